// Payments staff record (cash, bank) and C2B payments staff assign: one payments row and one
// ledger transfer in one transaction, idempotent by the client's key or the payment id.
import { type Cents, KiungaError, newId, type SqlDatabase } from '@kiunga/schemas';
import { recordPaymentReceived } from '../features/webhooks/emitters';
import { LedgerAccount, type ManualPaymentMethod, receivingAccountFor } from '../ledger/accounts';
import { postTransfers } from '../ledger/ledger';
import { paymentTransferId } from './core/payments';
import { refreshSubscriberAccount } from './store';

export const MANUAL_PAYMENT_PROVIDER = 'manual';

export interface PaymentRow {
  id: string;
  provider: string;
  providerTransactionId: string;
  amountCents: number;
  phone: string | null;
  accountReference: string | null;
  matchedKind: string | null;
  matchedId: string | null;
  status: string;
  receivedAt: number;
}

export const paymentColumns = `id, provider, provider_transaction_id AS "providerTransactionId",
  amount_cents AS "amountCents", phone, account_reference AS "accountReference", matched_kind AS "matchedKind",
  matched_id AS "matchedId", status, received_at AS "receivedAt"`;

export async function getPayment(database: SqlDatabase, paymentId: string): Promise<PaymentRow> {
  const row = await database.get<PaymentRow>(`SELECT ${paymentColumns} FROM payments WHERE id = ?`, [
    paymentId,
  ]);
  if (!row) throw new KiungaError('not_found', 'No such payment.');
  return row;
}

/** Throws not_found unless the subscriber exists. */
export async function assertSubscriberExists(database: SqlDatabase, subscriberId: string): Promise<void> {
  if (!(await database.get('SELECT 1 AS found FROM subscribers WHERE id = ?', [subscriberId]))) {
    throw new KiungaError('not_found', 'No such subscriber.');
  }
}

export interface ManualPaymentInput {
  subscriberId: string;
  amountCents: Cents;
  method: ManualPaymentMethod;
  /** Receipt number, bank reference: printed on the statement. */
  reference: string | null;
  /** The client's key: retrying the same request records the payment once. */
  idempotencyKey: string;
}

export function recordManualPayment(
  database: SqlDatabase,
  input: ManualPaymentInput,
  nowMs: number,
): Promise<{ payment: PaymentRow; isDuplicate: boolean }> {
  return database.transaction(async (transaction) => {
    const existing = await transaction.get<PaymentRow>(
      `SELECT ${paymentColumns} FROM payments WHERE provider = ? AND provider_transaction_id = ?`,
      [MANUAL_PAYMENT_PROVIDER, input.idempotencyKey],
    );
    if (existing) {
      if (existing.matchedId !== input.subscriberId || existing.amountCents !== input.amountCents) {
        throw new KiungaError('conflict', 'This idempotency key was used for a different payment.');
      }
      return { payment: existing, isDuplicate: true };
    }
    await assertSubscriberExists(transaction, input.subscriberId);
    const id = newId('payment');
    await transaction.run(
      `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, phone, account_reference,
                               matched_kind, matched_id, status, received_at)
         VALUES (?, ?, ?, ?, NULL, ?, 'subscriber', ?, 'matched', ?)`,
      [
        id,
        MANUAL_PAYMENT_PROVIDER,
        input.idempotencyKey,
        input.amountCents,
        input.reference ?? input.method,
        input.subscriberId,
        nowMs,
      ],
    );
    await postTransfers(transaction, [
      {
        id: paymentTransferId(MANUAL_PAYMENT_PROVIDER, input.idempotencyKey),
        debitAccount: receivingAccountFor(input.method),
        creditAccount: LedgerAccount.subscriber(input.subscriberId),
        amount: input.amountCents,
        kind: 'payment',
        reference: id,
        invoiceId: null,
        atMs: nowMs,
      },
    ]);
    await refreshSubscriberAccount(transaction, input.subscriberId, nowMs);
    await recordPaymentReceived(
      transaction,
      {
        paymentId: id,
        subscriberId: input.subscriberId,
        amountCents: input.amountCents,
        method: input.method,
        providerReference: input.reference,
      },
      nowMs,
    );
    return { payment: await getPayment(transaction, id), isDuplicate: false };
  });
}

/**
 * Moves an unmatched C2B payment from the unassigned account to a subscriber. Assigning it to
 * the same subscriber again is a no-op; to someone else once assigned is a conflict.
 */
export function assignPayment(
  database: SqlDatabase,
  paymentId: string,
  subscriberId: string,
  nowMs: number,
): Promise<{ payment: PaymentRow; isDuplicate: boolean }> {
  return database.transaction(async (transaction) => {
    const payment = await getPayment(transaction, paymentId);
    if (payment.status === 'matched') {
      if (payment.matchedKind === 'subscriber' && payment.matchedId === subscriberId) {
        return { payment, isDuplicate: true };
      }
      throw new KiungaError('conflict', 'This payment is already matched to an account.');
    }
    await assertSubscriberExists(transaction, subscriberId);
    await postTransfers(transaction, [
      {
        id: `assign:${payment.id}`,
        debitAccount: LedgerAccount.unassignedPayments,
        creditAccount: LedgerAccount.subscriber(subscriberId),
        amount: payment.amountCents as Cents,
        kind: 'payment',
        reference: payment.id,
        invoiceId: null,
        atMs: nowMs,
      },
    ]);
    await transaction.run(
      `UPDATE payments SET matched_kind = 'subscriber', matched_id = ?, status = 'matched' WHERE id = ?`,
      [subscriberId, payment.id],
    );
    await refreshSubscriberAccount(transaction, subscriberId, nowMs);
    return { payment: await getPayment(transaction, payment.id), isDuplicate: false };
  });
}
