// A campaign's messages and preview: who is skipped and why, parts and cost.
import { describe, expect, it } from 'vitest';
import { type CampaignRecipient, previewCampaign, renderCampaign } from './campaign-messages';
import { parseTemplate } from './templates';

const base = { name: 'Otieno', planName: 'Daily', expiresAtMs: null, amountDueCents: 0, accountNumber: 'A1' };
const recipient = (recipientId: string, phone: string | null, extra: Partial<CampaignRecipient> = {}) => ({
  ...base,
  recipientId,
  phone,
  ...extra,
});

function templateOf(source: string) {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error('template');
  return result.template;
}

describe('renderCampaign and previewCampaign', () => {
  it('skips bad numbers, opted-out numbers, repeats and missing values, and prices the rest by part', () => {
    const rendered = renderCampaign({
      template: templateOf('Hi {{name}}, your {{plan}} plan: pay to {{paybill}}.'),
      recipients: [
        recipient('s1', '0712 000 001'),
        recipient('s2', '+254712000001'),
        recipient('s3', '020 2000 000'),
        recipient('s4', null),
        recipient('s5', '0712000005'),
        recipient('s6', '0712000006', { planName: null }),
        recipient('s7', '0712000007', { name: 'Achieng’' }),
      ],
      context: { paybill: '522533' },
      optedOutPhones: new Set(['254712000005']),
    });
    expect(rendered.messages.map((message) => [message.recipientId, message.to, message.encoding])).toEqual([
      ['s1', '+254712000001', 'GSM-7'],
      ['s7', '+254712000007', 'UCS-2'],
    ]);
    expect(rendered.skipped).toEqual([
      { recipientId: 's2', reason: 'duplicate_phone' },
      { recipientId: 's3', reason: 'invalid_phone' },
      { recipientId: 's4', reason: 'invalid_phone' },
      { recipientId: 's5', reason: 'opted_out' },
      { recipientId: 's6', reason: 'missing_value', missing: ['plan'] },
    ]);
    const preview = previewCampaign(rendered, 80);
    expect(preview).toMatchObject({
      recipientCount: 7,
      messageCount: 2,
      skipped: { invalid_phone: 2, opted_out: 1, duplicate_phone: 1, missing_value: 1, too_long: 0 },
      partCount: 2,
      costCents: 160,
      unicodeMessageCount: 1,
    });
    expect(preview.samples[0]?.text).toBe('Hi Otieno, your Daily plan: pay to 522533.');
  });

  it('skips a recipient whose message would pass six parts', () => {
    const rendered = renderCampaign({
      template: templateOf('{{name}} '.concat('x'.repeat(900))),
      recipients: [recipient('s1', '0712000001'), recipient('s2', '0712000002', { name: 'Ndege 🐦' })],
      context: { paybill: null },
      optedOutPhones: new Set(),
    });
    expect(rendered.messages.map((message) => [message.recipientId, message.parts])).toEqual([['s1', 6]]);
    expect(rendered.skipped).toEqual([{ recipientId: 's2', reason: 'too_long' }]);
  });
});
