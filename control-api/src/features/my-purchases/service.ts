// "My purchases" on the captive portal (issue 15): a hotspot client proves a phone with the M-Pesa receipt
// of one of its purchases, or (Tier 2, through the ISP's own SMS account) with a one-time code sent to it,
// and then sees that phone's vouchers here. Limited per address and per phone, each per ISP; a wrong proof
// is answered the same whether or not the phone ever bought anything.
import { randomInt } from 'node:crypto';
import { normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import type { Language } from '../../i18n';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { rateLimitsOf } from '../../kernel/rate-limits';
import { perApp } from '../../mpesa/purchase-limits';
import { normaliseReceipt } from '../../portal/recovery';
import { readSmsSettings, smsClientFor } from '../notifications/sms-settings';
import {
  MY_PURCHASES_LISTED_MAX,
  MY_PURCHASES_WINDOW_MS,
  normaliseTypedCode,
  PURCHASES_CODE_DIGITS,
  PURCHASES_CODE_LIFETIME_MS,
  purchasesCodeFromRandom,
  purchasesCodeKey,
  type VoucherState,
  voucherStateAt,
} from './core';
import { purchasesCodeSms } from './messages';
import { hasPaidPurchases, isReceiptOfPhone, paidPurchasesOf } from './store';

/** Proof tries from one address per window (any outcome): a person mistyping needs a few. */
export const PROOF_TRIES_PER_ADDRESS_MAX = 10;
export const PROOF_ADDRESS_WINDOW_MS = 15 * 60_000;
/** Wrong proofs against one phone per window, from anywhere: keeps many addresses from guessing its code. */
export const PROOF_FAILURES_PER_PHONE_MAX = 10;
export const PROOF_PHONE_WINDOW_MS = 60 * 60_000;
/** SMS codes to one phone per hour: each costs the ISP an SMS, and nobody needs more. */
export const CODES_PER_PHONE_MAX = 3;
/** SMS code requests from one address per hour, whatever the phone: stops texting strangers in bulk. */
export const CODE_REQUESTS_PER_ADDRESS_MAX = 5;
export const CODE_WINDOW_MS = 60 * 60_000;

const limitsOf = perApp((dependencies) => {
  const backend = rateLimitsOf(dependencies);
  return {
    proofsByAddress: backend.limiter({
      name: 'my_purchases_proof_address',
      attemptsMax: PROOF_TRIES_PER_ADDRESS_MAX,
      windowMs: PROOF_ADDRESS_WINDOW_MS,
    }),
    failuresByPhone: backend.limiter({
      name: 'my_purchases_failures_phone',
      attemptsMax: PROOF_FAILURES_PER_PHONE_MAX,
      windowMs: PROOF_PHONE_WINDOW_MS,
    }),
    codesByPhone: backend.limiter({
      name: 'my_purchases_codes_phone',
      attemptsMax: CODES_PER_PHONE_MAX,
      windowMs: CODE_WINDOW_MS,
    }),
    codesByAddress: backend.limiter({
      name: 'my_purchases_codes_address',
      attemptsMax: CODE_REQUESTS_PER_ADDRESS_MAX,
      windowMs: CODE_WINDOW_MS,
    }),
    codes: backend.recentKeys('my_purchases_codes', PURCHASES_CODE_LIFETIME_MS),
  };
});

export interface MyPurchase {
  id: string;
  boughtAt: number;
  amountCents: number;
  planName: string;
  code: string;
  state: VoucherState;
  remainingSeconds: number;
}

export type PurchasesProof = { kind: 'receipt'; receipt: string } | { kind: 'code'; code: string };

export type ProofOutcome =
  | { kind: 'shown'; phone: string; purchases: MyPurchase[] }
  | { kind: 'refused'; reason: 'bad_input' | 'no_match' }
  | { kind: 'limited'; retryAfterMs: number; scope: 'address' | 'phone' };

export type CodeRequestOutcome =
  /** Said the same whether or not a code went out: a code goes only to a phone that bought here. */
  | { kind: 'requested' }
  | { kind: 'refused'; reason: 'bad_input' }
  | { kind: 'limited'; retryAfterMs: number; scope: 'address' | 'phone' }
  | { kind: 'unavailable' };

/** The ISP's own SMS account when it may text its clients (Tier 2, configured and on); null otherwise. */
async function ispSmsOf(dependencies: ApiDependencies, tenantId: string, database: SqlDatabase) {
  if (!dependencies.smsBaseUrl) return null;
  const hasFeature = await tenantFeatures(dependencies.databases.platform, tenantId);
  if (!hasFeature('sms')) return null;
  const settings = await readSmsSettings(dependencies.secretBox, database);
  if (!settings?.enabled) return null;
  return { client: smsClientFor(dependencies.smsBaseUrl, settings), senderId: settings.senderId };
}

/** Whether the portal offers the SMS code (else only the receipt). */
export async function canSendPurchasesCode(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
): Promise<boolean> {
  return (await ispSmsOf(dependencies, tenantId, database)) !== null;
}

async function listOf(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  phone: string,
): Promise<MyPurchase[]> {
  const nowMs = dependencies.clock.now();
  const rows = await paidPurchasesOf(
    database,
    phone,
    nowMs - MY_PURCHASES_WINDOW_MS,
    MY_PURCHASES_LISTED_MAX,
  );
  return rows.map((row) => ({
    id: row.id,
    boughtAt: row.createdAt,
    amountCents: row.amountCents,
    planName: row.planName,
    code: row.code,
    ...voucherStateAt(row, nowMs),
  }));
}

/** Checks the proof for the phone on this ISP's portal; answers the phone's purchases when it holds. */
export async function showMyPurchases(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  request: { phone: string; proof: PurchasesProof; address: string },
): Promise<ProofOutcome> {
  const limits = limitsOf(dependencies);
  const nowMs = dependencies.clock.now();
  const addressKey = `${tenantId}|${request.address}`;
  const addressVerdict = await limits.proofsByAddress.check(addressKey, nowMs);
  if (addressVerdict.isLimited)
    return { kind: 'limited', retryAfterMs: addressVerdict.retryAfterMs, scope: 'address' };
  await limits.proofsByAddress.record(addressKey, nowMs);
  const phone = normaliseKenyanPhone(request.phone);
  if (!phone) return { kind: 'refused', reason: 'bad_input' };
  const phoneKey = `${tenantId}|${phone}`;
  const phoneVerdict = await limits.failuresByPhone.check(phoneKey, nowMs);
  if (phoneVerdict.isLimited)
    return { kind: 'limited', retryAfterMs: phoneVerdict.retryAfterMs, scope: 'phone' };
  const sinceMs = nowMs - MY_PURCHASES_WINDOW_MS;
  let isProven = false;
  if (request.proof.kind === 'receipt') {
    const receipt = normaliseReceipt(request.proof.receipt);
    if (!receipt) return { kind: 'refused', reason: 'bad_input' };
    isProven = await isReceiptOfPhone(database, phone, receipt, sinceMs);
  } else {
    const code = normaliseTypedCode(request.proof.code);
    if (!code) return { kind: 'refused', reason: 'bad_input' };
    isProven = await limits.codes.has(purchasesCodeKey(dependencies.tokenKey, tenantId, phone, code), nowMs);
  }
  if (!isProven) {
    await limits.failuresByPhone.record(phoneKey, nowMs);
    return { kind: 'refused', reason: 'no_match' };
  }
  return { kind: 'shown', phone, purchases: await listOf(dependencies, database, phone) };
}

/**
 * Sends a one-time code to the phone through the ISP's SMS account, when the phone bought here in the
 * window; answers `requested` either way, so the answer tells nobody whether the phone is a client.
 */
export async function requestPurchasesCode(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  request: { phone: string; address: string },
  language: Language,
): Promise<CodeRequestOutcome> {
  const sms = await ispSmsOf(dependencies, tenantId, database);
  if (!sms) return { kind: 'unavailable' };
  const phone = normaliseKenyanPhone(request.phone);
  if (!phone) return { kind: 'refused', reason: 'bad_input' };
  const limits = limitsOf(dependencies);
  const nowMs = dependencies.clock.now();
  const addressKey = `${tenantId}|${request.address}`;
  const phoneKey = `${tenantId}|${phone}`;
  const addressVerdict = await limits.codesByAddress.check(addressKey, nowMs);
  if (addressVerdict.isLimited)
    return { kind: 'limited', retryAfterMs: addressVerdict.retryAfterMs, scope: 'address' };
  const phoneVerdict = await limits.codesByPhone.check(phoneKey, nowMs);
  if (phoneVerdict.isLimited)
    return { kind: 'limited', retryAfterMs: phoneVerdict.retryAfterMs, scope: 'phone' };
  await limits.codesByAddress.record(addressKey, nowMs);
  await limits.codesByPhone.record(phoneKey, nowMs);
  if (!(await hasPaidPurchases(database, phone, nowMs - MY_PURCHASES_WINDOW_MS)))
    return { kind: 'requested' };
  const code = purchasesCodeFromRandom(randomInt(10 ** PURCHASES_CODE_DIGITS));
  await limits.codes.remember(purchasesCodeKey(dependencies.tokenKey, tenantId, phone, code), nowMs);
  try {
    const result = await sms.client.send({
      to: [`+${phone}`],
      message: purchasesCodeSms(language, code),
      ...(sms.senderId ? { from: sms.senderId } : {}),
    });
    if (result.recipients[0]?.outcome !== 'sent')
      dependencies.logger.warn(
        { tenantId, summary: result.summary },
        'my-purchases code refused by the SMS gateway',
      );
  } catch (error) {
    // The client is told the same as ever; "send again" (within the limits) retries.
    dependencies.logger.warn({ tenantId, error }, 'my-purchases code not sent');
  }
  return { kind: 'requested' };
}
