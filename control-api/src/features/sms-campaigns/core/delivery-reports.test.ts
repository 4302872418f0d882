// Africa's Talking delivery reports as the gateway posts them (a form), applied to messages.
import { describe, expect, it } from 'vitest';
import { applyDeliveryReport, parseDeliveryReport } from './delivery-reports';
import type { CampaignMessage } from './messages';

const sent: CampaignMessage = {
  id: 'msg_1',
  to: '+254712000001',
  text: 'Hello',
  parts: 1,
  status: 'sent',
  attempts: 0,
  nextAttemptAtMs: null,
  claimedAtMs: 1,
  providerMessageId: 'ATXid_7a1',
  lastError: null,
};

describe('parseDeliveryReport', () => {
  it('reads the documented fields from a form body', () => {
    const body =
      'id=ATXid_7a1&status=Failed&phoneNumber=%2B254712000001&networkCode=63902&failureReason=UserInBlackList&retryCount=0';
    expect(parseDeliveryReport(body)).toEqual({
      ok: true,
      report: {
        id: 'ATXid_7a1',
        status: 'Failed',
        phoneNumber: '+254712000001',
        networkCode: '63902',
        failureReason: 'UserInBlackList',
        retryCount: 0,
      },
    });
    expect(
      parseDeliveryReport({
        id: 'ATXid_7a1',
        status: 'Success',
        phoneNumber: '+254712000001',
        failureReason: '',
      }),
    ).toMatchObject({
      ok: true,
      report: { status: 'Success', failureReason: undefined },
    });
  });

  it('refuses a status the gateway does not document, and bodies that are not notifications', () => {
    expect(parseDeliveryReport('id=x&status=Delivered&phoneNumber=%2B254712000001')).toMatchObject({
      ok: false,
    });
    expect(parseDeliveryReport('status=Success&phoneNumber=%2B254712000001')).toMatchObject({ ok: false });
    expect(parseDeliveryReport([1, 2])).toMatchObject({ ok: false });
  });
});

describe('applyDeliveryReport', () => {
  const report = (status: 'Success' | 'Rejected' | 'Buffered') => {
    const parsed = parseDeliveryReport({
      id: 'ATXid_7a1',
      status,
      phoneNumber: '+254712000001',
      failureReason: status === 'Rejected' ? 'DeliveryFailure' : undefined,
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.report;
  };

  it('marks delivered or undelivered on final reports and ignores the rest', () => {
    expect(applyDeliveryReport(sent, report('Success')).status).toBe('delivered');
    expect(applyDeliveryReport(sent, report('Rejected'))).toMatchObject({
      status: 'undelivered',
      lastError: 'DeliveryFailure',
    });
    expect(applyDeliveryReport(sent, report('Buffered'))).toBe(sent);
    const early = { ...sent, status: 'sending' as const };
    expect(applyDeliveryReport(early, report('Success'))).toBe(early);
  });

  it('refuses a report for another message', () => {
    expect(() =>
      applyDeliveryReport({ ...sent, providerMessageId: 'ATXid_other' }, report('Success')),
    ).toThrow(RangeError);
  });
});
