// "Pay with M-Pesa" from /account: an STK push to the ISP's shortcode with the subscriber's
// account number as reference; the STK callback (portal/purchase-service) credits the account.
import { cents, KiungaError, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { CENTS_PER_SHILLING } from '../billing/core/units';
import { errorMessage, type Language, t } from '../i18n';
import type { ApiDependencies } from '../kernel/dependencies';
import { type AttemptLimiter, rateLimitsOf } from '../kernel/rate-limits';
import {
  createPendingSubscriberPayment,
  getPurchase,
  type PurchaseRow,
  subscriberOfPurchase,
} from '../mpesa/purchases';
import { darajaClientFor, readMpesaSettings } from '../mpesa/settings';
import { sendStkPushForPurchase } from '../mpesa/stk-push';

/** M-Pesa's largest single customer payment, in shillings. */
export const PAYMENT_SHILLINGS_MAX = 150_000;

/** STK pushes ring a phone: five per subscriber per 10 minutes, as on the captive portal. */
const paymentLimitsByApp = new WeakMap<ApiDependencies, AttemptLimiter>();

function paymentLimiter(dependencies: ApiDependencies): AttemptLimiter {
  let limiter = paymentLimitsByApp.get(dependencies);
  if (!limiter) {
    limiter = rateLimitsOf(dependencies).limiter({
      name: 'account_stk_payments',
      attemptsMax: 5,
      windowMs: 10 * 60_000,
    });
    paymentLimitsByApp.set(dependencies, limiter);
  }
  return limiter;
}

/** M-Pesa's failure codes a subscriber is told about in their own words; any other says "failed". */
const FAILURE_CODES = [
  'mpesa_cancelled',
  'mpesa_timeout',
  'mpesa_insufficient_funds',
  'mpesa_wrong_pin',
] as const;

function failureMessage(language: Language, failureCode: string | null): string {
  const known = FAILURE_CODES.find((code) => code === failureCode);
  return t(language, known === undefined ? 'account.payment.failed' : `account.payment.${known}`);
}

/**
 * What the pay page says when a payment could not start, in the subscriber's language: the refusals
 * startSubscriberPayment throws by their codes, anything else (M-Pesa unreachable) by the catalogue.
 */
export function paymentRefusalMessage(language: Language, error: KiungaError): string {
  switch (error.code) {
    case 'validation_failed':
      return t(language, 'phone.invalid');
    case 'service_unavailable':
      return t(language, 'account.payment.mpesaNotTaken');
    case 'rate_limited':
      return t(language, 'account.payment.tooMany');
    case 'not_found':
      return t(language, 'account.payment.noSuchPayment');
    default:
      return errorMessage(language, error.code);
  }
}

export interface SubscriberPaymentView {
  id: string;
  status: 'pending' | 'paid' | 'failed';
  amountCents: number;
  receipt: string | null;
  message: string | null;
}

export function subscriberPaymentView(payment: PurchaseRow, language: Language): SubscriberPaymentView {
  return {
    id: payment.id,
    status: payment.status,
    amountCents: payment.amountCents,
    receipt: payment.mpesaReceipt,
    message: payment.status === 'failed' ? failureMessage(language, payment.failureCode) : null,
  };
}

/** The subscriber's own payment, or not_found (another subscriber's id is as unknown as a wrong one). */
export async function findSubscriberPayment(
  database: SqlDatabase,
  subscriberId: string,
  paymentId: string,
): Promise<PurchaseRow> {
  const payment = await getPurchase(database, paymentId);
  if (subscriberOfPurchase(payment) !== subscriberId) throw new KiungaError('not_found', 'No such payment.');
  return payment;
}

/** What the pay form asks M-Pesa for, given the subscriber's balance (positive: owes). */
export interface MpesaAmountToAsk {
  /** Whole shillings to fill in; 0 when nothing is owed. */
  shillings: number;
  /**
   * Cents that paying `shillings` puts on the account beyond the balance: 0 when the balance is whole
   * shillings (every invoice of an ISP on whole shillings), else what rounding up to M-Pesa's whole
   * shilling leaves as credit towards the next invoice.
   */
  creditLeftCents: number;
}

/**
 * M-Pesa moves whole shillings only (see billing/units.ts), so a balance with cents cannot be paid
 * exactly: the form asks for the next whole shilling, so the bill is settled, and says so.
 */
export function mpesaAmountToAsk(balanceCents: number): MpesaAmountToAsk {
  const owedCents = Math.max(0, balanceCents);
  const shillings = Math.ceil(owedCents / CENTS_PER_SHILLING);
  return { shillings, creditLeftCents: shillings * CENTS_PER_SHILLING - owedCents };
}

export function parseShillings(text: string): number | null {
  const trimmed = text.trim().replace(/,/g, '');
  if (!/^\d{1,7}$/.test(trimmed)) return null;
  const shillings = Number(trimmed);
  return shillings >= 1 && shillings <= PAYMENT_SHILLINGS_MAX ? shillings : null;
}

export async function startSubscriberPayment(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  input: { subscriberId: string; accountNumber: string; phone: string; shillings: number },
): Promise<PurchaseRow> {
  const phone = normaliseKenyanPhone(input.phone);
  if (!phone) throw new KiungaError('validation_failed', 'Enter a Safaricom number like 0712 345 678.');
  const settings = await readMpesaSettings(dependencies, database);
  if (!settings) {
    throw new KiungaError('service_unavailable', 'Your provider does not take M-Pesa payments here yet.');
  }
  const client = darajaClientFor(dependencies, tenantId, settings);
  const nowMs = dependencies.clock.now();
  const limiter = paymentLimiter(dependencies);
  if ((await limiter.check(input.subscriberId, nowMs)).isLimited) {
    throw new KiungaError('rate_limited', 'Too many payment requests. Wait a few minutes and try again.');
  }
  await limiter.record(input.subscriberId, nowMs);
  const payment = await createPendingSubscriberPayment(
    database,
    { subscriberId: input.subscriberId, phone, amount: cents(input.shillings * CENTS_PER_SHILLING) },
    nowMs,
  );
  await sendStkPushForPurchase(dependencies, database, {
    tenantId,
    purchaseId: payment.id,
    settings,
    client: () => client,
    amountShillings: input.shillings,
    phone,
    accountReference: input.accountNumber,
    description: 'Internet bill',
    failureLog: { message: 'subscriber STK push failed', fields: { tenantId, paymentId: payment.id } },
  });
  return getPurchase(database, payment.id);
}
