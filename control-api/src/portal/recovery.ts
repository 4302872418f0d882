// "Paid but lost your code?" on the captive portal. A phone number alone proves nothing (anyone can type
// one, and the code lets them take the buyer's device slot), so recovery asks for the M-Pesa receipt
// number from the confirmation SMS M-Pesa sends the payer, and answers only the voucher of the purchase
// that receipt paid, from that number. Limited per address and per number, each per ISP.
import { normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { type Language, t } from '../i18n';
import type { ApiDependencies } from '../kernel/dependencies';
import { rateLimitsOf } from '../kernel/rate-limits';
import { minutesText, perApp } from '../mpesa/purchase-limits';
import { voucherCodeOfPaidPurchase } from '../mpesa/purchases';

/** Recovery looks back this far: a hotspot package lasts days at most. */
export const RECOVERY_WINDOW_MS = 7 * 86_400_000;
/** Tries from one address per window (any outcome): a person mistyping a receipt needs a few. */
export const RECOVERY_TRIES_PER_ADDRESS_MAX = 5;
export const RECOVERY_ADDRESS_WINDOW_MS = 15 * 60_000;
/**
 * Failed tries against one number per window, from anywhere: with 36^10 receipts guessing is hopeless
 * anyway; this also keeps many addresses from trying one number's receipts.
 */
export const RECOVERY_FAILURES_PER_PHONE_MAX = 10;
export const RECOVERY_PHONE_WINDOW_MS = 60 * 60_000;
/** M-Pesa receipts (TransID, MpesaReceiptNumber) are 10 capitals and digits, like "NLJ7RT61SV". */
const RECEIPT = /^[A-Z0-9]{10}$/;
/** People paste "NLJ7RT61SV Confirmed." or type spaces; only the first word counts. */
const RECEIPT_INPUT_LENGTH_MAX = 64;

export type RecoveryResult =
  | { readonly kind: 'found'; readonly code: string }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'limited'; readonly message: string };

const limitersOf = perApp((dependencies) => ({
  byAddress: rateLimitsOf(dependencies).limiter({
    name: 'portal_recovery_address',
    attemptsMax: RECOVERY_TRIES_PER_ADDRESS_MAX,
    windowMs: RECOVERY_ADDRESS_WINDOW_MS,
  }),
  failuresByPhone: rateLimitsOf(dependencies).limiter({
    name: 'portal_recovery_phone',
    attemptsMax: RECOVERY_FAILURES_PER_PHONE_MAX,
    windowMs: RECOVERY_PHONE_WINDOW_MS,
  }),
}));

/** The receipt as M-Pesa prints it, from what a person typed or pasted; null when it cannot be one. */
export function normaliseReceipt(input: string): string | null {
  if (input.length > RECEIPT_INPUT_LENGTH_MAX) return null;
  const firstWord = input.trim().split(/\s+/)[0]?.replace(/[.,]$/, '').toUpperCase() ?? '';
  return RECEIPT.test(firstWord) ? firstWord : null;
}

export async function recoverVoucher(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  request: { readonly phone: string; readonly receipt: string; readonly address: string },
  language: Language,
): Promise<RecoveryResult> {
  const { byAddress, failuresByPhone } = limitersOf(dependencies);
  const nowMs = dependencies.clock.now();
  const addressKey = `${tenantId}|${request.address}`;
  const addressVerdict = await byAddress.check(addressKey, nowMs);
  if (addressVerdict.isLimited) {
    return {
      kind: 'limited',
      message: t(language, 'portal.recover.tooManyTries', {
        minutes: minutesText(addressVerdict.retryAfterMs, language),
      }),
    };
  }
  await byAddress.record(addressKey, nowMs);
  const phone = normaliseKenyanPhone(request.phone);
  const receipt = normaliseReceipt(request.receipt);
  if (!phone || !receipt) {
    return {
      kind: 'refused',
      message: t(language, 'portal.recover.badInput'),
    };
  }
  const phoneKey = `${tenantId}|${phone}`;
  const phoneVerdict = await failuresByPhone.check(phoneKey, nowMs);
  if (phoneVerdict.isLimited) {
    return {
      kind: 'limited',
      message: t(language, 'portal.recover.tooManyTriesForNumber', {
        minutes: minutesText(phoneVerdict.retryAfterMs, language),
      }),
    };
  }
  const code = await voucherCodeOfPaidPurchase(database, { phone, receipt }, nowMs - RECOVERY_WINDOW_MS);
  if (code === null) {
    await failuresByPhone.record(phoneKey, nowMs);
    return { kind: 'refused', message: t(language, 'portal.recover.noMatch') };
  }
  return { kind: 'found', code };
}
