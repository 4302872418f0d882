// The one ledger: immutable double-entry transfers with caller-chosen idempotent ids (TigerBeetle's
// model), posted inside the caller's transaction. Billing, M-Pesa and staff payments all post here.
//
// Every money change is a transfer debiting one account and crediting another by a positive amount,
// so the balances of all accounts always sum to zero. Corrections are new transfers, never edits.
import { type Cents, cents, type SqlDatabase } from '@kiunga/schemas';

import type { ResellerTransferKind } from '../features/resellers/core/ledger';

export { LedgerAccount, type ManualPaymentMethod, receivingAccountFor } from './accounts';

export type TransferKind =
  | 'invoice'
  | 'payment'
  | 'credit'
  | 'refund'
  | 'adjustment'
  | 'hotspot_sale'
  | 'unmatched_payment'
  | ResellerTransferKind;

export interface Transfer {
  /** Chosen by the caller from the event (invoice id, provider transaction id): replays collide. */
  readonly id: string;
  readonly debitAccount: string;
  readonly creditAccount: string;
  /** Always positive; direction is given by the two accounts. */
  readonly amount: Cents;
  readonly kind: TransferKind;
  /** Invoice number, provider transaction id, payment id, or the reason for an adjustment. */
  readonly reference: string;
  /** The invoice this transfer belongs to; null for payments and balance-level entries. */
  readonly invoiceId: string | null;
  readonly atMs: number;
}

/** The fields a replay must repeat exactly (TigerBeetle's `exists_with_different_*` results); the time is the ledger's. */
const COMPARED_FIELDS = [
  'debitAccount',
  'creditAccount',
  'amount',
  'kind',
  'reference',
  'invoiceId',
] as const;

/**
 * A transfer id already in the ledger with other fields: a forged or corrupt replay, or two events
 * given one id by mistake. Nothing is written; the caller's transaction should roll back.
 */
export class TransferExistsError extends Error {
  constructor(
    readonly transferId: string,
    readonly fields: readonly string[],
  ) {
    super(`transfer ${transferId} exists with different ${fields.join(', ')}`);
    this.name = 'TransferExistsError';
  }
}

/** Refuses what no caller may post: a non-positive or fractional amount, or a transfer to itself. */
export function assertTransfer(transfer: Transfer): void {
  if (!Number.isSafeInteger(transfer.amount) || transfer.amount <= 0) {
    throw new RangeError(
      `transfer ${transfer.id} amount must be a positive integer of cents, got ${transfer.amount}`,
    );
  }
  if (transfer.debitAccount === transfer.creditAccount)
    throw new Error(`transfer ${transfer.id} moves to itself`);
}

/** The fields of `stored` that differ from `transfer` (empty for an exact replay). */
export function differingFields(stored: Transfer, transfer: Transfer): string[] {
  return COMPARED_FIELDS.filter((field) => stored[field] !== transfer[field]);
}

/**
 * Posts one transfer. True when it was posted now; false when the same id was already posted with
 * the same fields (a replay); throws TransferExistsError when the id is taken by other fields.
 */
export async function postTransfer(database: SqlDatabase, transfer: Transfer): Promise<boolean> {
  assertTransfer(transfer);
  const result = await database.run(
    `INSERT INTO ledger_entries (transfer_id, debit_account, credit_account, amount_cents, kind, reference, created_at, invoice_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transfer_id) DO NOTHING`,
    [
      transfer.id,
      transfer.debitAccount,
      transfer.creditAccount,
      transfer.amount,
      transfer.kind,
      transfer.reference,
      transfer.atMs,
      transfer.invoiceId,
    ],
  );
  if (result.changes === 1) return true;
  const stored = await findTransfer(database, transfer.id);
  const fields = stored ? differingFields(stored, transfer) : ['id'];
  if (fields.length > 0) throw new TransferExistsError(transfer.id, fields);
  return false;
}

/** Posts transfers in order; returns how many were new (replays are skipped, conflicts throw). */
export async function postTransfers(database: SqlDatabase, transfers: readonly Transfer[]): Promise<number> {
  let posted = 0;
  for (const transfer of transfers) {
    if (await postTransfer(database, transfer)) posted++;
  }
  return posted;
}

interface TransferRow {
  id: string;
  debitAccount: string;
  creditAccount: string;
  amount: number;
  kind: string;
  reference: string;
  invoiceId: string | null;
  atMs: number;
}

const transferColumns = `transfer_id AS id, debit_account AS "debitAccount", credit_account AS "creditAccount",
  amount_cents AS amount, kind, COALESCE(reference, '') AS reference, invoice_id AS "invoiceId", created_at AS "atMs"`;

function transferOf(row: TransferRow): Transfer {
  return { ...row, amount: cents(row.amount), kind: row.kind as TransferKind };
}

export async function findTransfer(database: SqlDatabase, transferId: string): Promise<Transfer | undefined> {
  const row = await database.get<TransferRow>(
    `SELECT ${transferColumns} FROM ledger_entries WHERE transfer_id = ?`,
    [transferId],
  );
  return row && transferOf(row);
}

/** Every transfer touching one account, in ledger order (the order a standing replays). */
export async function loadAccountTransfers(database: SqlDatabase, account: string): Promise<Transfer[]> {
  const rows = await database.all<TransferRow>(
    `SELECT ${transferColumns} FROM ledger_entries
      WHERE debit_account = ? OR credit_account = ? ORDER BY ledger_entries.id`,
    [account, account],
  );
  return rows.map(transferOf);
}

/** Debits minus credits of one account over the given transfers. */
export function balanceOf(transfers: readonly Transfer[], account: string): Cents {
  let balance = 0;
  for (const transfer of transfers) {
    if (transfer.debitAccount === account) balance += transfer.amount;
    if (transfer.creditAccount === account) balance -= transfer.amount;
  }
  return cents(balance);
}
