import { describe, expect, it } from 'vitest';
import { classifySmsStatus, classifySmsStatusName, SmsStatusCode } from './status-codes';

describe('classifySmsStatus', () => {
  it('takes processed, sent and queued as sent', () => {
    expect([100, 101, 102].map(classifySmsStatus)).toEqual(['sent', 'sent', 'sent']);
  });

  it('fails for good what the same request would fail again: bad number, blacklist, DND, sender id', () => {
    for (const code of [
      SmsStatusCode.InvalidPhoneNumber,
      SmsStatusCode.UserInBlacklist,
      SmsStatusCode.DoNotDisturbRejection,
      SmsStatusCode.InvalidSenderId,
      SmsStatusCode.UnsupportedNumberType,
      SmsStatusCode.CouldNotRoute,
    ]) {
      expect(classifySmsStatus(code)).toBe('failed');
    }
  });

  it('retries gateway errors, a low balance, risk hold and codes it does not know', () => {
    for (const code of [405, 401, 500, 501, 502, 999]) expect(classifySmsStatus(code)).toBe('retryable');
  });

  it('reads a request-level status word', () => {
    expect(classifySmsStatusName('InvalidSenderId')).toBe('failed');
    expect(classifySmsStatusName('InsufficientBalance')).toBe('retryable');
    expect(classifySmsStatusName('Sent to 0/1')).toBe('retryable');
  });
});
