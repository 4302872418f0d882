// Payments staff record (cash, bank) and C2B payments staff assign: one payments row and one
// ledger transfer in one transaction, idempotent by the client's key or the payment id.
import { type Cents, KiungaError, newId, type TenantShard } from '@kiunga/schemas';
import { LedgerAccount, type ManualPaymentMethod, receivingAccountFor } from './accounts';
import { paymentTransferId } from './payments';
import { readBillingSettings } from './settings';
import { refreshSubscriberBilling, storeTransfers } from './store';

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

export const paymentColumns = `id, provider, provider_transaction_id AS providerTransactionId, amount_cents AS amountCents,
  phone, account_reference AS accountReference, matched_kind AS matchedKind, matched_id AS matchedId, status,
  received_at AS receivedAt`;

export function getPayment(shard: TenantShard, paymentId: string): PaymentRow {
  const row = shard.statement(`SELECT ${paymentColumns} FROM payments WHERE id = ?`).get(paymentId) as
    | PaymentRow
    | undefined;
  if (!row) throw new KiungaError('not_found', 'No such payment.');
  return row;
}

function assertSubscriber(shard: TenantShard, subscriberId: string): void {
  if (!shard.statement('SELECT 1 FROM subscribers WHERE id = ?').get(subscriberId)) {
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
  shard: TenantShard,
  input: ManualPaymentInput,
  nowMs: number,
): { payment: PaymentRow; isDuplicate: boolean } {
  return shard.sqlite
    .transaction(() => {
      const existing = shard
        .statement(
          `SELECT ${paymentColumns} FROM payments WHERE provider = ? AND provider_transaction_id = ?`,
        )
        .get(MANUAL_PAYMENT_PROVIDER, input.idempotencyKey) as PaymentRow | undefined;
      if (existing) {
        if (existing.matchedId !== input.subscriberId || existing.amountCents !== input.amountCents) {
          throw new KiungaError('conflict', 'This idempotency key was used for a different payment.');
        }
        return { payment: existing, isDuplicate: true };
      }
      assertSubscriber(shard, input.subscriberId);
      const id = newId('payment');
      shard
        .statement(
          `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, phone, account_reference,
                                 matched_kind, matched_id, status, received_at)
           VALUES (?, ?, ?, ?, NULL, ?, 'subscriber', ?, 'matched', ?)`,
        )
        .run(
          id,
          MANUAL_PAYMENT_PROVIDER,
          input.idempotencyKey,
          input.amountCents,
          input.reference ?? input.method,
          input.subscriberId,
          nowMs,
        );
      storeTransfers(shard, [
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
      refreshSubscriberBilling(shard, input.subscriberId, readBillingSettings(shard), nowMs);
      return { payment: getPayment(shard, id), isDuplicate: false };
    })
    .immediate();
}

/**
 * Moves an unmatched C2B payment from the unassigned account to a subscriber. Assigning it to
 * the same subscriber again is a no-op; to someone else once assigned is a conflict.
 */
export function assignPayment(
  shard: TenantShard,
  paymentId: string,
  subscriberId: string,
  nowMs: number,
): { payment: PaymentRow; isDuplicate: boolean } {
  return shard.sqlite
    .transaction(() => {
      const payment = getPayment(shard, paymentId);
      if (payment.status === 'matched') {
        if (payment.matchedKind === 'subscriber' && payment.matchedId === subscriberId) {
          return { payment, isDuplicate: true };
        }
        throw new KiungaError('conflict', 'This payment is already matched to an account.');
      }
      assertSubscriber(shard, subscriberId);
      storeTransfers(shard, [
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
      shard
        .statement(
          `UPDATE payments SET matched_kind = 'subscriber', matched_id = ?, status = 'matched' WHERE id = ?`,
        )
        .run(subscriberId, payment.id);
      refreshSubscriberBilling(shard, subscriberId, readBillingSettings(shard), nowMs);
      return { payment: getPayment(shard, payment.id), isDuplicate: false };
    })
    .immediate();
}
