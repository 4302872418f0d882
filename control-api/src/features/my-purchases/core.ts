// "My purchases" rules without I/O: the one-time SMS code's stored form (a keyed hash, never the code),
// and what a voucher bought at the portal is worth now (status and time left), from the clock given.
import { createHmac } from 'node:crypto';

/** How far back a client's purchases are listed and proven: a month covers every hotspot package. */
export const MY_PURCHASES_WINDOW_MS = 30 * 86_400_000;
/** Purchases listed at most: a heavy buyer's month of daily packages, and a bounded page. */
export const MY_PURCHASES_LISTED_MAX = 40;
/** Digits of the SMS code: 10^6 codes against MY_PURCHASES_FAILURES_PER_PHONE_MAX tries an hour. */
export const PURCHASES_CODE_DIGITS = 6;
/** An SMS code is good this long: enough to read the SMS and type it, short enough to be useless later. */
export const PURCHASES_CODE_LIFETIME_MS = 10 * 60_000;

/**
 * The stored form of a code sent to `phone` by this ISP's portal: HMAC-SHA256 under the server's token key,
 * so what is kept (memory or Redis) neither shows the code nor lets anyone test guesses without the key.
 */
export function purchasesCodeKey(
  secretKey: Uint8Array,
  tenantId: string,
  phone: string,
  code: string,
): string {
  return createHmac('sha256', secretKey).update(`my-purchases|${tenantId}|${phone}|${code}`).digest('hex');
}

/** Six digits from a uniform draw below 10^6 (crypto.randomInt), zero-padded. */
export function purchasesCodeFromRandom(draw: number): string {
  return String(draw).padStart(PURCHASES_CODE_DIGITS, '0');
}

/** A typed code as compared: digits only (people type spaces), or null when it cannot be one. */
export function normaliseTypedCode(typed: string): string | null {
  const digits = typed.replace(/\s+/g, '');
  return new RegExp(`^\\d{${PURCHASES_CODE_DIGITS}}$`).test(digits) ? digits : null;
}

export type VoucherState = 'unused' | 'active' | 'expired' | 'revoked';

/**
 * A bought voucher now: not yet used (its whole validity left), running (time to its end), or over.
 * The stored status may lag the clock (the expiry job runs now and then), so the end decides.
 */
export function voucherStateAt(
  voucher: { voucherStatus: string; validitySeconds: number; expiresAt: number | null },
  nowMs: number,
): { state: VoucherState; remainingSeconds: number } {
  if (voucher.voucherStatus === 'revoked') return { state: 'revoked', remainingSeconds: 0 };
  if (voucher.voucherStatus === 'expired') return { state: 'expired', remainingSeconds: 0 };
  if (voucher.expiresAt === null) return { state: 'unused', remainingSeconds: voucher.validitySeconds };
  const remainingSeconds = Math.ceil((voucher.expiresAt - nowMs) / 1000);
  return remainingSeconds > 0
    ? { state: 'active', remainingSeconds }
    : { state: 'expired', remainingSeconds: 0 };
}
