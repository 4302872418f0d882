// The captive portal's purchase flow: STK push out, callback in, one voucher per paid purchase.

import { cents, KiungaError, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { findPlan } from '../features/plans/service';
import { rememberPurchaseReferral } from '../features/referrals/service';
import { portalResellerOf } from '../features/resellers/sales';
import { DEFAULT_LANGUAGE, type Language, t } from '../i18n';
import {
  readStkCallback,
  type StkOutcome,
  stkCallbackFromText,
  wholeShillings,
} from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { requireMpesaReady } from './availability';
import { limitStkPush } from './purchase-limits';
import {
  completePurchase,
  createPendingPurchase,
  failPurchase,
  findPurchaseByCheckout,
  getPurchase,
  type PurchaseRow,
  setCallbackOutcome,
  storeCallback,
  voucherCodeOf,
} from './purchases';
import { darajaClientFor } from './settings';
import { sendStkPushForPurchase } from './stk-push';

/** What the client reads on the portal for each way a payment can fail. */
export const paymentFailureMessages: Record<
  Exclude<StkOutcome, 'paid'> | 'amount_mismatch' | 'receipt_already_used',
  string
> = {
  cancelled: 'You cancelled the M-Pesa request. Tap Buy to try again.',
  timeout: 'The M-Pesa request timed out before you entered your PIN. Tap Buy to try again.',
  insufficient_funds: 'Your M-Pesa balance is too low for this package. Top up or choose a smaller package.',
  wrong_pin: 'The M-Pesa PIN was wrong. Tap Buy to try again and enter your PIN carefully.',
  failed: 'M-Pesa could not complete the payment. Tap Buy to try again.',
  amount_mismatch:
    'The amount paid does not match the package. Contact your provider with your M-Pesa message.',
  receipt_already_used:
    'M-Pesa reported a payment that was already used for another purchase. Contact your provider with your M-Pesa message.',
};

export interface PurchaseView {
  id: string;
  status: 'pending' | 'paid' | 'failed';
  voucherCode?: string;
  error?: { code: string; message: string };
}

type PaymentFailureReason = keyof typeof paymentFailureMessages;

/**
 * A stored failure (kept in English, as the catalogue's text) in the buyer's language; a text that is not
 * one of paymentFailureMessages stays as it is.
 */
function failureMessageIn(language: Language, stored: string): string {
  const reason = (Object.keys(paymentFailureMessages) as PaymentFailureReason[]).find(
    (candidate) => paymentFailureMessages[candidate] === stored,
  );
  return reason === undefined ? stored : t(language, `portal.payment.${reason}`);
}

export async function purchaseView(
  database: SqlDatabase,
  purchase: PurchaseRow,
  language: Language = DEFAULT_LANGUAGE,
): Promise<PurchaseView> {
  if (purchase.status === 'paid' && purchase.voucherId) {
    return {
      id: purchase.id,
      status: 'paid',
      voucherCode: (await voucherCodeOf(database, purchase.voucherId)) ?? undefined,
    };
  }
  if (purchase.status === 'failed') {
    return {
      id: purchase.id,
      status: 'failed',
      error: {
        code: purchase.failureCode ?? 'payment_failed',
        message: failureMessageIn(language, purchase.failureMessage ?? paymentFailureMessages.failed),
      },
    };
  }
  return { id: purchase.id, status: 'pending' };
}

export async function startPurchase(
  dependencies: ApiDependencies,
  tenant: { id: string; slug: string },
  database: SqlDatabase,
  input: {
    planId: string;
    phone: string;
    mac?: string | undefined;
    referral?: string | undefined;
    reseller?: string | undefined;
  },
  /** The buyer's address, for the per-address push limit. */
  clientAddress: string,
  /** The portal page's language: refusals and the view are said in it. */
  language: Language = DEFAULT_LANGUAGE,
): Promise<PurchaseView> {
  // First: without M-Pesa nothing else about the request matters to the buyer.
  const settings = await requireMpesaReady(dependencies, database, tenant.id);
  const phone = normaliseKenyanPhone(input.phone);
  if (!phone) {
    throw new KiungaError('validation_failed', t(language, 'phone.invalid'));
  }
  const plan = await findPlan(database, input.planId);
  if (plan?.kind !== 'hotspot' || !plan.isActive)
    throw new KiungaError('not_found', t(language, 'portal.purchase.noSuchPackage'));
  const shillings = wholeShillings(cents(plan.priceCents));
  if (shillings === null || shillings < 1) {
    throw new KiungaError('conflict', t(language, 'portal.purchase.notWholeShillings'));
  }
  const reseller = await portalResellerOf(database, input.reseller);
  await limitStkPush(dependencies, { tenantId: tenant.id, phone, address: clientAddress }, language);
  const nowMs = dependencies.clock.now();
  const purchase = await createPendingPurchase(
    database,
    {
      planId: plan.id,
      phone,
      macAddress: input.mac ?? null,
      amount: cents(plan.priceCents),
      resellerId: reseller?.id ?? null,
    },
    nowMs,
  );
  await rememberPurchaseReferral(database, purchase.id, input.referral);
  await sendStkPushForPurchase(dependencies, database, {
    tenantId: tenant.id,
    purchaseId: purchase.id,
    settings,
    client: () => darajaClientFor(dependencies, tenant.id, settings),
    amountShillings: shillings,
    phone,
    accountReference: tenant.slug,
    description: 'Wi-Fi',
    failureLog: { message: 'STK push failed', fields: { tenantId: tenant.id, purchaseId: purchase.id } },
  });
  return purchaseView(database, await getPurchase(database, purchase.id), language);
}

/** What became of a callback, kept on its raw row (provider_callbacks.outcome). */
export type CallbackOutcome =
  | 'applied'
  | 'duplicate'
  | 'unmatched'
  | 'rejected'
  | 'failed'
  /** Its receipt already paid for another purchase: nothing credited, the purchase failed for a person to look at. */
  | 'receipt_conflict';

/** Stores the raw callback first, then applies it; answering is the caller's job (always Accepted). */
export async function applyStkCallback(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  rawBody: string,
): Promise<CallbackOutcome> {
  const nowMs = dependencies.clock.now();
  const callbackId = await storeCallback(
    database,
    { provider: 'mpesa', kind: 'stk', body: rawBody, outcome: 'stored' },
    nowMs,
  );
  let paidSubscriberId: string | null = null;
  const outcome = await interpretStkCallback(database, rawBody, nowMs, (subscriberId) => {
    paidSubscriberId = subscriberId;
  });
  await setCallbackOutcome(database, callbackId, outcome);
  // A subscriber's payment (from /account) settles billing at once, as a C2B payment does.
  if (paidSubscriberId) dependencies.onSubscriberPayment?.(tenantId, paidSubscriberId);
  return outcome;
}

/** Completions that credit nothing: the purchase's failure code and the callback's outcome. */
const completionRefusals = {
  receipt_already_used: {
    code: 'mpesa_receipt_already_used',
    reason: 'receipt_already_used',
    outcome: 'receipt_conflict',
  },
  amount_mismatch: { code: 'amount_mismatch', reason: 'amount_mismatch', outcome: 'rejected' },
} as const satisfies Record<
  string,
  { code: string; reason: keyof typeof paymentFailureMessages; outcome: CallbackOutcome }
>;

async function interpretStkCallback(
  database: SqlDatabase,
  rawBody: string,
  nowMs: number,
  onSubscriberPaid: (subscriberId: string) => void,
): Promise<CallbackOutcome> {
  const callback = stkCallbackFromText(rawBody);
  if (!callback) return 'rejected';
  const purchase = await findPurchaseByCheckout(database, callback.CheckoutRequestID);
  if (!purchase) return 'unmatched';
  const reading = readStkCallback(callback);
  if (reading.kind === 'malformed') return 'rejected';
  if (reading.kind === 'failed') {
    if (purchase.status !== 'pending') return 'duplicate';
    await failPurchase(
      database,
      purchase.id,
      { code: `mpesa_${reading.outcome}`, message: paymentFailureMessages[reading.outcome] },
      nowMs,
    );
    return 'failed';
  }
  const completion = await completePurchase(
    database,
    purchase,
    {
      receipt: reading.payment.mpesaReceiptNumber,
      amount: reading.payment.amount,
      phone: reading.payment.phoneNumber,
    },
    nowMs,
  );
  if (
    completion.kind === 'already_paid' ||
    completion.kind === 'subscriber_already_paid' ||
    completion.kind === 'reseller_already_topped_up'
  )
    return 'duplicate';
  if (completion.kind === 'subscriber_paid') onSubscriberPaid(completion.subscriberId);
  if (completion.kind === 'receipt_already_used' || completion.kind === 'amount_mismatch') {
    // Nothing was credited: the purchase fails with what the client should do.
    const refusal = completionRefusals[completion.kind];
    await failPurchase(
      database,
      purchase.id,
      { code: refusal.code, message: paymentFailureMessages[refusal.reason] },
      nowMs,
    );
    return refusal.outcome;
  }
  return 'applied';
}
