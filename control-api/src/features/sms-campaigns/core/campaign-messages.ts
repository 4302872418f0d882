// From a template and a segment's recipients to the messages of a campaign, and the preview the ISP sees
// before sending: how many go out, how many are skipped and why, how many SMS parts, what it costs.
import { type Cents, cents, normaliseKenyanPhone } from '@kiunga/schemas';
import { z } from 'zod';
import { SMS_MESSAGE_CHARS_MAX } from '../../../integrations/sms/client';
import { measureSms, type SmsEncoding } from './sms-length';
import {
  type CampaignContext,
  type ParsedTemplate,
  type RecipientFacts,
  renderTemplate,
  type TemplateVariable,
} from './templates';

/**
 * Six parts (6 × 153 GSM-7 characters, the SMS client's SMS_MESSAGE_CHARS_MAX): a notice is one or two;
 * a UCS-2 message with an emoji reaches six parts at 402 characters and costs six SMS per recipient.
 */
export const CAMPAIGN_MESSAGE_PARTS_MAX = 6;
/** Rendered samples shown in the preview. */
export const PREVIEW_SAMPLES_MAX = 3;
/** Ksh 10 per part: far above any gateway's price; a larger figure is a typo. */
export const SMS_PART_PRICE_CENTS_MAX = 1_000;

/** ISP setting: what one SMS part costs it at its gateway (Africa's Talking Kenya: about KES 0.80). */
export const smsPartPriceSchema = z.number().int().min(1).max(SMS_PART_PRICE_CENTS_MAX);

export interface CampaignRecipient extends RecipientFacts {
  /** The subscriber (or client) id the message belongs to. */
  readonly recipientId: string;
  /** As stored, any Kenyan form. */
  readonly phone: string | null;
}

export type SkipReason = 'invalid_phone' | 'opted_out' | 'duplicate_phone' | 'missing_value' | 'too_long';

export interface SkippedRecipient {
  readonly recipientId: string;
  readonly reason: SkipReason;
  /** The variables without a value, for 'missing_value'. */
  readonly missing?: readonly TemplateVariable[];
}

export interface CampaignMessageDraft {
  readonly recipientId: string;
  /** International form the gateway takes: `+2547XXXXXXXX`. */
  readonly to: string;
  readonly text: string;
  readonly parts: number;
  readonly encoding: SmsEncoding;
}

export interface RenderedCampaign {
  readonly messages: readonly CampaignMessageDraft[];
  readonly skipped: readonly SkippedRecipient[];
}

/**
 * Renders every recipient, in order. A phone that is not a Kenyan mobile, has opted out (STOP), or already
 * received this campaign through an earlier recipient is skipped; so is a recipient missing a variable
 * without a fallback, or whose message would exceed the part limit.
 */
export function renderCampaign(input: {
  readonly template: ParsedTemplate;
  readonly recipients: Iterable<CampaignRecipient>;
  readonly context: CampaignContext;
  /** Normalised numbers (`2547…`) that sent STOP. */
  readonly optedOutPhones: ReadonlySet<string>;
}): RenderedCampaign {
  const messages: CampaignMessageDraft[] = [];
  const skipped: SkippedRecipient[] = [];
  const seen = new Set<string>();
  for (const recipient of input.recipients) {
    const skip = (reason: SkipReason, missing?: readonly TemplateVariable[]) =>
      skipped.push(
        missing === undefined
          ? { recipientId: recipient.recipientId, reason }
          : { recipientId: recipient.recipientId, reason, missing },
      );
    const phone = recipient.phone === null ? null : normaliseKenyanPhone(recipient.phone);
    if (phone === null) {
      skip('invalid_phone');
      continue;
    }
    if (input.optedOutPhones.has(phone)) {
      skip('opted_out');
      continue;
    }
    if (seen.has(phone)) {
      skip('duplicate_phone');
      continue;
    }
    const rendered = renderTemplate(input.template, recipient, input.context);
    if (!rendered.ok) {
      skip('missing_value', rendered.missing);
      continue;
    }
    const measure = measureSms(rendered.text);
    if (measure.parts > CAMPAIGN_MESSAGE_PARTS_MAX || rendered.text.length > SMS_MESSAGE_CHARS_MAX) {
      skip('too_long');
      continue;
    }
    seen.add(phone);
    messages.push({
      recipientId: recipient.recipientId,
      to: `+${phone}`,
      text: rendered.text,
      parts: measure.parts,
      encoding: measure.encoding,
    });
  }
  return { messages, skipped };
}

export interface CampaignPreview {
  readonly recipientCount: number;
  readonly messageCount: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly partCount: number;
  readonly costCents: Cents;
  readonly unicodeMessageCount: number;
  readonly samples: readonly CampaignMessageDraft[];
}

/** What the compose screen shows before "Send": counts, parts, cost. */
export function previewCampaign(rendered: RenderedCampaign, partPriceCents: number): CampaignPreview {
  smsPartPriceSchema.parse(partPriceCents);
  const skipped: Record<SkipReason, number> = {
    invalid_phone: 0,
    opted_out: 0,
    duplicate_phone: 0,
    missing_value: 0,
    too_long: 0,
  };
  for (const entry of rendered.skipped) skipped[entry.reason] += 1;
  let partCount = 0;
  let unicodeMessageCount = 0;
  for (const message of rendered.messages) {
    partCount += message.parts;
    if (message.encoding === 'UCS-2') unicodeMessageCount += 1;
  }
  return {
    recipientCount: rendered.messages.length + rendered.skipped.length,
    messageCount: rendered.messages.length,
    skipped,
    partCount,
    costCents: cents(partCount * partPriceCents),
    unicodeMessageCount,
    samples: rendered.messages.slice(0, PREVIEW_SAMPLES_MAX),
  };
}
