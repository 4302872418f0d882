// The one-time SMS code on a moved clock: expiry, tries, single use, and the per-phone / per-address limits.
import { ManualClock } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSmsCode,
  decideSmsCodeSend,
  newSmsCodeChallenge,
  normaliseSmsCode,
  type SentSmsCode,
  SMS_CODE_ATTEMPTS_MAX,
  SMS_CODE_LIFETIME_MS,
  SMS_CODE_RESEND_INTERVAL_MS,
  SMS_CODES_PER_ADDRESS_MAX,
  SMS_CODES_PER_PHONE_MAX,
  SMS_CODES_PER_PHONE_WINDOW_MS,
  smsCodeFromRandom,
} from './sms-code';

const START_MS = Date.UTC(2030, 2, 14, 7, 0);
const PHONE = '254712345678';
const ADDRESS = '198.51.100.7';

describe('the code', () => {
  it('is six digits, zero-padded, from a random integer below a million', () => {
    expect(smsCodeFromRandom(42)).toBe('000042');
    expect(smsCodeFromRandom(999_999)).toBe('999999');
    expect(() => smsCodeFromRandom(1_000_000)).toThrow(RangeError);
    expect(() => smsCodeFromRandom(-1)).toThrow(RangeError);
  });

  it('accepts what people type around the digits, nothing else', () => {
    expect(normaliseSmsCode(' 123 456 ')).toBe('123456');
    expect(normaliseSmsCode('123-456')).toBe('123456');
    for (const typed of ['12345', '1234567', '12a456', '', '١٢٣٤٥٦'])
      expect(normaliseSmsCode(typed), typed).toBeNull();
  });

  it('keeps only a digest of the code', () => {
    const challenge = newSmsCodeChallenge('svc_1', PHONE, '482913', START_MS);
    expect(JSON.stringify(challenge)).not.toContain('482913');
    expect(challenge.expiresAtMs).toBe(START_MS + SMS_CODE_LIFETIME_MS);
  });
});

describe('checkSmsCode', () => {
  it('verifies the right code once; the same code again is refused', () => {
    const clock = new ManualClock(START_MS);
    const challenge = newSmsCodeChallenge('svc_1', PHONE, '482913', clock.now());
    clock.advance(2 * 60_000);
    const first = checkSmsCode(challenge, '482 913', clock.now());
    expect(first.outcome).toBe('verified');
    expect(first.challenge.usedAtMs).toBe(clock.now());
    expect(checkSmsCode(first.challenge, '482913', clock.now()).outcome).toBe('already_used');
  });

  it('refuses the right code once it has expired', () => {
    const clock = new ManualClock(START_MS);
    const challenge = newSmsCodeChallenge('svc_1', PHONE, '482913', clock.now());
    clock.advance(SMS_CODE_LIFETIME_MS - 1);
    expect(checkSmsCode(challenge, '482913', clock.now()).outcome).toBe('verified');
    clock.advance(1);
    expect(checkSmsCode(challenge, '482913', clock.now()).outcome).toBe('expired');
  });

  it('counts wrong tries and refuses even the right code after the last one', () => {
    let challenge = newSmsCodeChallenge('svc_1', PHONE, '482913', START_MS);
    for (let attempt = 1; attempt < SMS_CODE_ATTEMPTS_MAX; attempt += 1) {
      const check = checkSmsCode(challenge, '000000', START_MS + attempt);
      expect(check).toMatchObject({ outcome: 'wrong_code', attemptsLeft: SMS_CODE_ATTEMPTS_MAX - attempt });
      challenge = check.challenge;
    }
    const last = checkSmsCode(challenge, 'not a code', START_MS + 10);
    expect(last).toMatchObject({ outcome: 'attempts_exhausted', attemptsLeft: 0 });
    expect(checkSmsCode(last.challenge, '482913', START_MS + 11).outcome).toBe('attempts_exhausted');
  });

  it('never verifies a code other than the one sent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 999_999 }),
        (sent, typed) => {
          const challenge = newSmsCodeChallenge('svc_p', PHONE, smsCodeFromRandom(sent), START_MS);
          const outcome = checkSmsCode(challenge, smsCodeFromRandom(typed), START_MS + 1).outcome;
          return (outcome === 'verified') === (sent === typed);
        },
      ),
    );
  });
});

describe('decideSmsCodeSend', () => {
  const sent = (phone: string, address: string, sentAtMs: number): SentSmsCode => ({
    phone,
    address,
    sentAtMs,
  });

  it('lets "send again" through only after the resend interval', () => {
    const history = [sent(PHONE, ADDRESS, START_MS)];
    expect(decideSmsCodeSend(history, PHONE, ADDRESS, START_MS + 30_000)).toEqual({
      isAllowed: false,
      reason: 'resend_too_soon',
      retryAtMs: START_MS + SMS_CODE_RESEND_INTERVAL_MS,
    });
    expect(decideSmsCodeSend(history, PHONE, ADDRESS, START_MS + SMS_CODE_RESEND_INTERVAL_MS).isAllowed).toBe(
      true,
    );
  });

  it('stops a phone at SMS_CODES_PER_PHONE_MAX codes an hour, from any addresses', () => {
    const history = Array.from({ length: SMS_CODES_PER_PHONE_MAX }, (_, index) =>
      sent(PHONE, `203.0.113.${index}`, START_MS + index * 5 * 60_000),
    );
    const nowMs = START_MS + 30 * 60_000;
    expect(decideSmsCodeSend(history, PHONE, ADDRESS, nowMs)).toEqual({
      isAllowed: false,
      reason: 'phone_limit',
      retryAtMs: START_MS + SMS_CODES_PER_PHONE_WINDOW_MS,
    });
    // Once the oldest has aged out of the window, one more fits.
    expect(
      decideSmsCodeSend(history, PHONE, ADDRESS, START_MS + SMS_CODES_PER_PHONE_WINDOW_MS).isAllowed,
    ).toBe(true);
    expect(decideSmsCodeSend(history, '254799000000', ADDRESS, nowMs).isAllowed).toBe(true);
  });

  it('stops an address at SMS_CODES_PER_ADDRESS_MAX codes an hour, to any phones', () => {
    const history = Array.from({ length: SMS_CODES_PER_ADDRESS_MAX }, (_, index) =>
      sent(`2547120000${String(index).padStart(2, '0')}`, ADDRESS, START_MS + index * 60_000),
    );
    const decision = decideSmsCodeSend(history, PHONE, ADDRESS, START_MS + 20 * 60_000);
    expect(decision).toMatchObject({ isAllowed: false, reason: 'address_limit' });
    expect(decideSmsCodeSend(history, PHONE, '198.51.100.8', START_MS + 20 * 60_000).isAllowed).toBe(true);
  });

  it('never allows more than the per-phone limit within any window, whatever the request times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 * 60 * 60_000 }), { maxLength: 80 }), (offsets) => {
        const history: SentSmsCode[] = [];
        for (const offset of [...offsets].sort((a, b) => a - b)) {
          const nowMs = START_MS + offset;
          if (decideSmsCodeSend(history, PHONE, `addr-${offset}`, nowMs).isAllowed) {
            history.push(sent(PHONE, `addr-${offset}`, nowMs));
          }
        }
        return history.every(
          (code) =>
            history.filter(
              (other) =>
                other.sentAtMs <= code.sentAtMs &&
                other.sentAtMs > code.sentAtMs - SMS_CODES_PER_PHONE_WINDOW_MS,
            ).length <= SMS_CODES_PER_PHONE_MAX,
        );
      }),
    );
  });
});
