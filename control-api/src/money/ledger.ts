// Posting to the double-entry ledger: one immutable transfer per money movement, idempotent by
// the caller-chosen transfer id, always inside the caller's transaction.
import type { Cents, TenantShard } from '@kiunga/schemas';

// Account names are defined once, with the billing core (which posts to the same accounts).
export { LedgerAccount } from '../billing/accounts';

export interface Transfer {
  transferId: string;
  debitAccount: string;
  creditAccount: string;
  amount: Cents;
  kind: 'hotspot_sale' | 'payment' | 'invoice' | 'credit' | 'refund' | 'adjustment' | 'unmatched_payment';
  reference: string | null;
  /** The invoice a billing transfer belongs to (charge, credit, void); absent for payments. */
  invoiceId?: string | null;
}

/** True when the transfer was posted now; false when that transfer id was already in the ledger. */
export function postTransfer(shard: TenantShard, transfer: Transfer, nowMs: number): boolean {
  if (!Number.isSafeInteger(transfer.amount) || transfer.amount <= 0) {
    throw new Error(`transfer amount must be a positive integer of cents, got ${transfer.amount}`);
  }
  if (transfer.debitAccount === transfer.creditAccount)
    throw new Error('a transfer needs two different accounts');
  const result = shard
    .statement(
      `INSERT OR IGNORE INTO ledger_entries (transfer_id, debit_account, credit_account, amount_cents, kind, reference, created_at, invoice_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      transfer.transferId,
      transfer.debitAccount,
      transfer.creditAccount,
      transfer.amount,
      transfer.kind,
      transfer.reference,
      nowMs,
      transfer.invoiceId ?? null,
    );
  return result.changes === 1;
}

/** Debits minus credits of one account, in cents. */
export function accountBalance(shard: TenantShard, account: string): number {
  const row = shard
    .statement(
      `SELECT COALESCE(SUM(CASE WHEN debit_account = @account THEN amount_cents ELSE 0 END), 0)
            - COALESCE(SUM(CASE WHEN credit_account = @account THEN amount_cents ELSE 0 END), 0) AS balance
         FROM ledger_entries WHERE debit_account = @account OR credit_account = @account`,
    )
    .get({ account }) as { balance: number };
  return row.balance;
}
