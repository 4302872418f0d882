// STK purchases: a hotspot client's from the captive portal becomes exactly one voucher when M-Pesa
// confirms it, a subscriber's from /account credits their account; however many callbacks arrive.
// A failure keeps the reason for the client.
import { type Cents, cents, insertReturningId, KiungaError, newId, type SqlDatabase } from '@kiunga/schemas';
import { settleReferral } from '../features/referrals/service';
import {
  completeResellerTopUp,
  resellerOfTopUpPurchase,
  settlePortalSale,
} from '../features/resellers/sales';
import { queueVoucherCodeSms } from '../features/sms-campaigns/automatic-messages';
import { createVoucherBatch } from '../features/vouchers/service';
import { recordPaymentReceived, recordVoucherSold } from '../features/webhooks/emitters';
import { LedgerAccount, postTransfer } from '../ledger/ledger';

/**
 * A subscriber's STK payment buys no plan: its row's plan_id holds the subscriber's id (`sub_…`,
 * never a plan's `pln_…`), which keeps the purchases table unchanged and the portal's flow as is.
 */
const SUBSCRIBER_ID_PREFIX = 'sub_';

/** The subscriber a purchase pays for, or null for a hotspot package purchase. */
export function subscriberOfPurchase(purchase: Pick<PurchaseRow, 'planId'>): string | null {
  return purchase.planId.startsWith(SUBSCRIBER_ID_PREFIX) ? purchase.planId : null;
}

export type PurchaseStatus = 'pending' | 'paid' | 'failed';

export interface PurchaseRow {
  id: string;
  planId: string;
  phone: string;
  macAddress: string | null;
  amountCents: number;
  status: PurchaseStatus;
  merchantRequestId: string | null;
  checkoutRequestId: string | null;
  voucherId: string | null;
  mpesaReceipt: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** The reseller the buyer came through (issue 13), credited with commission when paid. */
  resellerId: string | null;
  createdAt: number;
  updatedAt: number;
}

const purchaseColumns = `id, plan_id AS "planId", phone, mac_address AS "macAddress",
  amount_cents AS "amountCents", status, merchant_request_id AS "merchantRequestId",
  checkout_request_id AS "checkoutRequestId", voucher_id AS "voucherId", mpesa_receipt AS "mpesaReceipt",
  failure_code AS "failureCode", failure_message AS "failureMessage", reseller_id AS "resellerId",
  created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export async function createPendingPurchase(
  database: SqlDatabase,
  input: {
    planId: string;
    phone: string;
    macAddress: string | null;
    amount: Cents;
    resellerId?: string | null | undefined;
  },
  nowMs: number,
): Promise<PurchaseRow> {
  const id = newId('purchase');
  await database.run(
    `INSERT INTO purchases (id, plan_id, phone, mac_address, amount_cents, status, reseller_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    [id, input.planId, input.phone, input.macAddress, input.amount, input.resellerId ?? null, nowMs, nowMs],
  );
  return getPurchase(database, id);
}

/** A pending STK payment towards a subscriber's account (the subscriber's self-service page). */
export function createPendingSubscriberPayment(
  database: SqlDatabase,
  input: { subscriberId: string; phone: string; amount: Cents },
  nowMs: number,
): Promise<PurchaseRow> {
  if (!input.subscriberId.startsWith(SUBSCRIBER_ID_PREFIX)) throw new Error('not a subscriber id');
  return createPendingPurchase(
    database,
    { planId: input.subscriberId, phone: input.phone, macAddress: null, amount: input.amount },
    nowMs,
  );
}

export async function recordStkAccepted(
  database: SqlDatabase,
  purchaseId: string,
  ids: { merchantRequestId: string; checkoutRequestId: string },
  nowMs: number,
): Promise<void> {
  await database.run(
    `UPDATE purchases SET merchant_request_id = ?, checkout_request_id = ?, updated_at = ? WHERE id = ?`,
    [ids.merchantRequestId, ids.checkoutRequestId, nowMs, purchaseId],
  );
}

export async function getPurchase(database: SqlDatabase, purchaseId: string): Promise<PurchaseRow> {
  const row = await database.get<PurchaseRow>(`SELECT ${purchaseColumns} FROM purchases WHERE id = ?`, [
    purchaseId,
  ]);
  if (!row) throw new KiungaError('not_found', 'No such purchase.');
  return row;
}

export function findPurchaseByCheckout(
  database: SqlDatabase,
  checkoutRequestId: string,
): Promise<PurchaseRow | undefined> {
  return database.get<PurchaseRow>(`SELECT ${purchaseColumns} FROM purchases WHERE checkout_request_id = ?`, [
    checkoutRequestId,
  ]);
}

export function pendingPurchasesOlderThan(
  database: SqlDatabase,
  beforeMs: number,
  limit: number,
): Promise<PurchaseRow[]> {
  return database.all<PurchaseRow>(
    `SELECT ${purchaseColumns} FROM purchases
      WHERE status = 'pending' AND checkout_request_id IS NOT NULL AND created_at < ?
      ORDER BY created_at, id LIMIT ?`,
    [beforeMs, limit],
  );
}

export async function failPurchase(
  database: SqlDatabase,
  purchaseId: string,
  failure: { code: string; message: string },
  nowMs: number,
): Promise<void> {
  // Only a pending purchase can fail: a late failure never undoes a payment.
  await database.run(
    `UPDATE purchases SET status = 'failed', failure_code = ?, failure_message = ?, updated_at = ?
      WHERE id = ? AND status = 'pending'`,
    [failure.code, failure.message, nowMs, purchaseId],
  );
}

export type CompletionOutcome =
  | { kind: 'paid'; voucherId: string }
  /** The receipt already paid for something else: an M-Pesa receipt pays once, so nothing is credited. */
  | { kind: 'receipt_already_used' }
  | { kind: 'already_paid'; voucherId: string }
  | { kind: 'amount_mismatch' }
  | { kind: 'subscriber_paid'; subscriberId: string }
  | { kind: 'subscriber_already_paid'; subscriberId: string }
  /** A reseller's STK top-up (features/resellers/sales.ts): its wallet credited, or already. */
  | { kind: 'reseller_topped_up' | 'reseller_already_topped_up'; resellerId: string };

/**
 * Marks a purchase paid and issues its voucher, in one transaction with the payment record and the
 * ledger transfer. The receipt is unique in payments and the purchase row is checked first, so a
 * duplicate or replayed callback changes nothing.
 */
export function completePurchase(
  database: SqlDatabase,
  purchase: PurchaseRow,
  payment: { receipt: string; amount: Cents; phone: string | null },
  nowMs: number,
): Promise<CompletionOutcome> {
  return database.transaction(async (transaction): Promise<CompletionOutcome> => {
    const current = await getPurchase(transaction, purchase.id);
    const subscriberId = subscriberOfPurchase(current);
    if (subscriberId) return completeSubscriberPayment(transaction, current, subscriberId, payment, nowMs);
    const toppedUpResellerId = resellerOfTopUpPurchase(current);
    if (toppedUpResellerId) {
      if (current.status !== 'paid' && (await isMpesaReceiptRecorded(transaction, payment.receipt)))
        return { kind: 'receipt_already_used' };
      const result = await completeResellerTopUp(transaction, current, toppedUpResellerId, payment, nowMs);
      // Money received like every other M-Pesa payment (issue 13): its payments row beside the wallet's
      // ledger entry, in this transaction; a repeated callback finds the purchase paid and writes none.
      if (result === 'paid') {
        await recordMatchedStkPayment(
          transaction,
          payment,
          { accountReference: current.id, matchedKind: 'reseller', matchedId: toppedUpResellerId },
          nowMs,
        );
      }
      return {
        kind: result === 'paid' ? 'reseller_topped_up' : 'reseller_already_topped_up',
        resellerId: toppedUpResellerId,
      };
    }
    if (current.status === 'paid' && current.voucherId) {
      await recordLateReceipt(transaction, current, payment.receipt, nowMs);
      return { kind: 'already_paid', voucherId: current.voucherId };
    }
    if (await isMpesaReceiptRecorded(transaction, payment.receipt)) return { kind: 'receipt_already_used' };
    if (payment.amount !== current.amountCents) return { kind: 'amount_mismatch' };
    const batch = await createVoucherBatch(
      transaction,
      { planId: current.planId, count: 1, length: 8, prefix: '' },
      { nowMs, createdBy: `mpesa:${payment.receipt}` },
    );
    const voucherId = batch.items[0]!.id;
    await recordMatchedStkPayment(
      transaction,
      payment,
      { accountReference: current.id, matchedKind: 'purchase', matchedId: current.id },
      nowMs,
    );
    await recordVoucherSold(
      transaction,
      batch.items[0]!,
      { channel: 'portal', phone: payment.phone ?? current.phone },
      nowMs,
    );
    await postTransfer(transaction, {
      id: `mpesa:${payment.receipt}`,
      debitAccount: LedgerAccount.mpesaClearing,
      creditAccount: LedgerAccount.hotspotSales,
      amount: cents(payment.amount),
      kind: 'hotspot_sale',
      reference: current.id,
      invoiceId: null,
      atMs: nowMs,
    });
    if (current.resellerId) {
      await settlePortalSale(transaction, { ...current, resellerId: current.resellerId }, nowMs);
    }
    await transaction.run(
      `UPDATE purchases SET status = 'paid', voucher_id = ?, mpesa_receipt = ?, failure_code = NULL,
              failure_message = NULL, updated_at = ? WHERE id = ?`,
      [voucherId, payment.receipt, nowMs, current.id],
    );
    // Issue 13: the buyer's referral code, and the reward the purchase's code earns, in the same transaction.
    await settleReferral(transaction, current, nowMs);
    await queueVoucherCodeSms(transaction, { id: current.id, phone: current.phone, voucherId }, nowMs);
    return { kind: 'paid', voucherId };
  });
}

/**
 * An STK payment matched to what it paid for (a purchase, a subscriber's account, a reseller's wallet), and
 * its `payment.received` webhook event, in the caller's transaction; the payment's id.
 */
async function recordMatchedStkPayment(
  transaction: SqlDatabase,
  payment: { receipt: string; amount: Cents; phone: string | null },
  match: { accountReference: string; matchedKind: 'purchase' | 'subscriber' | 'reseller'; matchedId: string },
  nowMs: number,
): Promise<string> {
  const paymentId = newId('payment');
  await transaction.run(
    `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, phone, account_reference,
                           matched_kind, matched_id, status, received_at)
     VALUES (?, 'mpesa_stk', ?, ?, ?, ?, ?, ?, 'matched', ?)`,
    [
      paymentId,
      payment.receipt,
      payment.amount,
      payment.phone,
      match.accountReference,
      match.matchedKind,
      match.matchedId,
      nowMs,
    ],
  );
  await recordPaymentReceived(
    transaction,
    {
      paymentId,
      subscriberId: match.matchedKind === 'subscriber' ? match.matchedId : null,
      amountCents: payment.amount,
      method: 'mpesa',
      providerReference: payment.receipt,
    },
    nowMs,
  );
  return paymentId;
}

/** Receipts made up by reconciliation (STK query carries none): `Q` + the checkout request id. */
export const QUERY_RECEIPT_PREFIX = 'Q';

/**
 * A purchase paid by reconciliation knows no M-Pesa receipt; when the real callback comes after all,
 * its receipt is kept on the purchase (the payer's SMS shows it, and voucher recovery asks for it).
 */
async function recordLateReceipt(
  database: SqlDatabase,
  current: PurchaseRow,
  receipt: string,
  nowMs: number,
): Promise<void> {
  if (!current.mpesaReceipt?.startsWith(QUERY_RECEIPT_PREFIX) || receipt.startsWith(QUERY_RECEIPT_PREFIX))
    return;
  await database.run('UPDATE purchases SET mpesa_receipt = ?, updated_at = ? WHERE id = ?', [
    receipt,
    nowMs,
    current.id,
  ]);
}

/**
 * Inside completePurchase's transaction. What M-Pesa says was paid is credited, even if it differs
 * from what was asked: a subscriber's account keeps partial and over-payments as balance.
 */
async function completeSubscriberPayment(
  database: SqlDatabase,
  current: PurchaseRow,
  subscriberId: string,
  payment: { receipt: string; amount: Cents; phone: string | null },
  nowMs: number,
): Promise<CompletionOutcome> {
  if (current.status === 'paid') return { kind: 'subscriber_already_paid', subscriberId };
  if (await isMpesaReceiptRecorded(database, payment.receipt)) return { kind: 'receipt_already_used' };
  const account = await database.get<{ accountNumber: string }>(
    'SELECT account_number AS "accountNumber" FROM subscribers WHERE id = ?',
    [subscriberId],
  );
  const paymentId = await recordMatchedStkPayment(
    database,
    payment,
    {
      accountReference: account?.accountNumber ?? current.id,
      matchedKind: 'subscriber',
      matchedId: subscriberId,
    },
    nowMs,
  );
  await postTransfer(database, {
    id: `mpesa:${payment.receipt}`,
    debitAccount: LedgerAccount.mpesaClearing,
    creditAccount: LedgerAccount.subscriber(subscriberId),
    amount: cents(payment.amount),
    kind: 'payment',
    reference: paymentId,
    invoiceId: null,
    atMs: nowMs,
  });
  await database.run(
    `UPDATE purchases SET status = 'paid', mpesa_receipt = ?, amount_cents = ?, failure_code = NULL,
            failure_message = NULL, updated_at = ? WHERE id = ?`,
    [payment.receipt, payment.amount, nowMs, current.id],
  );
  return { kind: 'subscriber_paid', subscriberId };
}

/**
 * Whether an M-Pesa receipt (STK MpesaReceiptNumber or C2B TransID: one numbering) is already a
 * payment here, by whichever path it came. Its ledger transfer id `mpesa:<receipt>` is taken too.
 */
export async function isMpesaReceiptRecorded(database: SqlDatabase, receipt: string): Promise<boolean> {
  const row = await database.get(
    `SELECT 1 AS found FROM payments WHERE provider IN ('mpesa_stk', 'mpesa_c2b') AND provider_transaction_id = ? LIMIT 1`,
    [receipt],
  );
  return row !== undefined;
}

export async function voucherCodeOf(database: SqlDatabase, voucherId: string): Promise<string | null> {
  const row = await database.get<{ code: string }>('SELECT code FROM vouchers WHERE id = ?', [voucherId]);
  return row?.code ?? null;
}

/**
 * The voucher code of the paid purchase that `phone` paid with M-Pesa receipt `receipt` since
 * `sinceMs`, or null: the proof a voucher recovery asks for (the receipt is in the payer's SMS).
 */
export async function voucherCodeOfPaidPurchase(
  database: SqlDatabase,
  proof: { phone: string; receipt: string },
  sinceMs: number,
): Promise<string | null> {
  const row = await database.get<{ code: string }>(
    `SELECT v.code FROM purchases p JOIN vouchers v ON v.id = p.voucher_id
      WHERE p.phone = ? AND p.mpesa_receipt = ? AND p.status = 'paid' AND p.created_at >= ?`,
    [proof.phone, proof.receipt, sinceMs],
  );
  return row?.code ?? null;
}

export function storeCallback(
  database: SqlDatabase,
  callback: { provider: string; kind: string; body: string; outcome: string },
  nowMs: number,
): Promise<number> {
  return insertReturningId(
    database,
    `INSERT INTO provider_callbacks (provider, kind, received_at, body, outcome) VALUES (?, ?, ?, ?, ?)
     RETURNING id`,
    [callback.provider, callback.kind, nowMs, callback.body, callback.outcome],
  );
}

export async function setCallbackOutcome(
  database: SqlDatabase,
  callbackId: number,
  outcome: string,
): Promise<void> {
  await database.run('UPDATE provider_callbacks SET outcome = ? WHERE id = ?', [outcome, callbackId]);
}
