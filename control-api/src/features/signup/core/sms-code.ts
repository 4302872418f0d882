// The one-time SMS code that proves a signing-up ISP holds its phone: six digits, short-lived, a few
// tries, and limits on how many codes one phone or one address can have sent (each SMS costs the platform).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Six digits: what people are used to from M-Pesa and banks; 1 in a million per guess. */
export const SMS_CODE_DIGITS = 6;
const SMS_CODE_RANGE = 10 ** SMS_CODE_DIGITS;
/** Long enough for a delayed SMS and a slow typist, short enough that a leaked code soon means nothing. */
export const SMS_CODE_LIFETIME_MS = 10 * 60_000;
/** Wrong tries per code: with 5 of 10^6 a guesser's chance per code is 1 in 200,000. */
export const SMS_CODE_ATTEMPTS_MAX = 5;
/** "Send again" waits this long after the last code to the same phone (SMS can take a while to arrive). */
export const SMS_CODE_RESEND_INTERVAL_MS = 60_000;
/** Codes to one phone per window: a person needs two or three; more is someone pestering a number. */
export const SMS_CODES_PER_PHONE_MAX = 5;
export const SMS_CODES_PER_PHONE_WINDOW_MS = 60 * 60_000;
/** Codes from one address per window, any phones: a shop's shared NAT signs up a few ISPs at most. */
export const SMS_CODES_PER_ADDRESS_MAX = 10;
export const SMS_CODES_PER_ADDRESS_WINDOW_MS = 60 * 60_000;

/** A code sent, as the limits see it (the store keeps at least the last window's worth). */
export interface SentSmsCode {
  readonly phone: string;
  readonly address: string;
  readonly sentAtMs: number;
}

export type SmsCodeSendDecision =
  | { readonly isAllowed: true }
  | {
      readonly isAllowed: false;
      readonly reason: 'resend_too_soon' | 'phone_limit' | 'address_limit';
      readonly retryAtMs: number;
    };

/** Whether a new code may be sent to `phone` at the request of `address` now. */
export function decideSmsCodeSend(
  sent: readonly SentSmsCode[],
  phone: string,
  address: string,
  nowMs: number,
): SmsCodeSendDecision {
  const toPhone = sent.filter(
    (code) => code.phone === phone && code.sentAtMs > nowMs - SMS_CODES_PER_PHONE_WINDOW_MS,
  );
  const lastToPhoneMs = Math.max(Number.NEGATIVE_INFINITY, ...toPhone.map((code) => code.sentAtMs));
  if (nowMs < lastToPhoneMs + SMS_CODE_RESEND_INTERVAL_MS) {
    return {
      isAllowed: false,
      reason: 'resend_too_soon',
      retryAtMs: lastToPhoneMs + SMS_CODE_RESEND_INTERVAL_MS,
    };
  }
  if (toPhone.length >= SMS_CODES_PER_PHONE_MAX) {
    return {
      isAllowed: false,
      reason: 'phone_limit',
      retryAtMs: retryAtOf(toPhone, SMS_CODES_PER_PHONE_MAX, SMS_CODES_PER_PHONE_WINDOW_MS),
    };
  }
  const fromAddress = sent.filter(
    (code) => code.address === address && code.sentAtMs > nowMs - SMS_CODES_PER_ADDRESS_WINDOW_MS,
  );
  if (fromAddress.length >= SMS_CODES_PER_ADDRESS_MAX) {
    return {
      isAllowed: false,
      reason: 'address_limit',
      retryAtMs: retryAtOf(fromAddress, SMS_CODES_PER_ADDRESS_MAX, SMS_CODES_PER_ADDRESS_WINDOW_MS),
    };
  }
  return { isAllowed: true };
}

/** When enough of `inWindow` have aged out of the window for one more to fit under `max`. */
function retryAtOf(inWindow: readonly SentSmsCode[], max: number, windowMs: number): number {
  const times = inWindow.map((code) => code.sentAtMs).sort((a, b) => a - b);
  return (times[times.length - max] ?? times[0] ?? 0) + windowMs;
}

/** A code waiting to be typed; only its digest is kept. */
export interface SmsCodeChallenge {
  readonly id: string;
  readonly phone: string;
  readonly digest: string;
  readonly expiresAtMs: number;
  readonly attempts: number;
  readonly usedAtMs: number | null;
}

function digestOf(challengeId: string, code: string): string {
  return createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
}

/** The code text for a random integer in [0, 10^6) (`crypto.randomInt(10 ** 6)` at the edge), zero-padded. */
export function smsCodeFromRandom(randomBelowRange: number): string {
  if (!Number.isInteger(randomBelowRange) || randomBelowRange < 0 || randomBelowRange >= SMS_CODE_RANGE) {
    throw new RangeError(`an SMS code takes an integer in [0, ${SMS_CODE_RANGE})`);
  }
  return String(randomBelowRange).padStart(SMS_CODE_DIGITS, '0');
}

/** The challenge to store for a code just sent; the code itself goes only into the SMS. */
export function newSmsCodeChallenge(
  id: string,
  phone: string,
  code: string,
  nowMs: number,
): SmsCodeChallenge {
  return {
    id,
    phone,
    digest: digestOf(id, code),
    expiresAtMs: nowMs + SMS_CODE_LIFETIME_MS,
    attempts: 0,
    usedAtMs: null,
  };
}

export type SmsCodeOutcome =
  | 'verified'
  | 'wrong_code'
  /** Past SMS_CODE_LIFETIME_MS: ask for a new code. */
  | 'expired'
  /** SMS_CODE_ATTEMPTS_MAX wrong tries used up: ask for a new code. */
  | 'attempts_exhausted'
  /** The code was already used once. */
  | 'already_used';

export interface SmsCodeCheck {
  readonly outcome: SmsCodeOutcome;
  /** Store this back: tries are counted, a verified code is spent. */
  readonly challenge: SmsCodeChallenge;
  readonly attemptsLeft: number;
}

/** What a person typed ("123 456", "123-456") as six digits, or null. */
export function normaliseSmsCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) && digits.length === SMS_CODE_DIGITS ? digits : null;
}

/** Checks a typed code against the challenge; every try counts, a malformed one too. */
export function checkSmsCode(challenge: SmsCodeChallenge, typed: string, nowMs: number): SmsCodeCheck {
  const result = (outcome: SmsCodeOutcome, next: SmsCodeChallenge): SmsCodeCheck => ({
    outcome,
    challenge: next,
    attemptsLeft: Math.max(0, SMS_CODE_ATTEMPTS_MAX - next.attempts),
  });
  if (challenge.usedAtMs !== null) return result('already_used', challenge);
  if (nowMs >= challenge.expiresAtMs) return result('expired', challenge);
  if (challenge.attempts >= SMS_CODE_ATTEMPTS_MAX) return result('attempts_exhausted', challenge);
  const code = normaliseSmsCode(typed);
  const isMatch =
    code !== null &&
    timingSafeEqual(Buffer.from(digestOf(challenge.id, code), 'hex'), Buffer.from(challenge.digest, 'hex'));
  const tried = { ...challenge, attempts: challenge.attempts + 1 };
  if (isMatch) return result('verified', { ...tried, usedAtMs: nowMs });
  return result(tried.attempts >= SMS_CODE_ATTEMPTS_MAX ? 'attempts_exhausted' : 'wrong_code', tried);
}
