// Reads for the API and documents: invoices (page, one with its standing), payments, a statement.
import { type Cents, cents, KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { equals, type SqlCondition, whereAll } from '../kernel/listing';
import { decodeTimeCursor, type Page, pageOf, timeCursorKey } from '../kernel/pagination';
import { LedgerAccount } from '../ledger/accounts';
import type { InvoiceLine } from './core/lines';
import { accountStanding } from './core/standing';
import { assertSubscriberExists, type PaymentRow, paymentColumns } from './payments-store';
import { loadSubscriberLedger } from './store';

/** Statement lines returned at most: a decade of monthly activity, and one page of JSON. */
export const STATEMENT_ENTRIES_MAX = 500;

export interface InvoiceOutput {
  id: string;
  number: string;
  subscriberId: string;
  accountNumber: string;
  cycleKey: string;
  periodStart: number;
  periodEnd: number;
  issuedAt: number;
  dueAt: number;
  totalCents: number;
  status: string;
  lines: InvoiceLine[];
}

export interface InvoiceDetail extends InvoiceOutput {
  paidCents: Cents;
  outstandingCents: Cents;
}

const invoiceColumns = `id, number, subscriber_id AS "subscriberId", account_number AS "accountNumber",
  cycle_key AS "cycleKey", period_start AS "periodStart", period_end AS "periodEnd", issued_at AS "issuedAt",
  due_at AS "dueAt", total_cents AS "totalCents", status, lines`;

type InvoiceRow = Omit<InvoiceOutput, 'lines'> & { lines: string };

function toInvoiceOutput(row: InvoiceRow): InvoiceOutput {
  return { ...row, lines: JSON.parse(row.lines) as InvoiceLine[] };
}

function pageByTime<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  timeOf: (row: Row) => number,
  toItem: (row: Row) => Item,
): Page<Item> {
  const page = pageOf(rows, limit, (row) => timeCursorKey(timeOf(row), row.id));
  return { items: page.items.map(toItem), nextCursor: page.nextCursor };
}

export interface ListFilter {
  status?: string | undefined;
  subscriberId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** After the cursor of a list newest first by `timeColumn`, then by `keyCondition` on the key. */
function afterTimeCursor(
  timeColumn: string,
  after: { atMs: number; id: string } | null,
  keyCondition: SqlCondition,
): SqlCondition | undefined {
  if (after === null) return undefined;
  return {
    sql: `(${timeColumn} < ? OR (${timeColumn} = ? AND ${keyCondition.sql}))`,
    params: [after.atMs, after.atMs, ...keyCondition.params],
  };
}

/**
 * Newest first: by issue time, then by number, highest first. One run issues many invoices at the
 * same instant with consecutive numbers from the ISP's sequence, so the number orders them as they
 * were issued (a catch-up run's later cycles get higher numbers). Numbers issued together share a
 * prefix and format; a longer one is a sequence past `sequenceDigits`, so length is compared first.
 * The cursor is (issued at, number): numbers are unique per ISP.
 */
export async function listInvoices(database: SqlDatabase, filter: ListFilter): Promise<Page<InvoiceOutput>> {
  const after = decodeTimeCursor(filter.cursor);
  const afterNumber = after?.id ?? '';
  const where = whereAll([
    equals('status', filter.status),
    equals('subscriber_id', filter.subscriberId),
    afterTimeCursor('issued_at', after, {
      sql: '(length(number) < ? OR (length(number) = ? AND number < ?))',
      params: [afterNumber.length, afterNumber.length, afterNumber],
    }),
  ]);
  const rows = await database.all<InvoiceRow>(
    `SELECT ${invoiceColumns} FROM invoices${where.sql}
      ORDER BY issued_at DESC, length(number) DESC, number DESC LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  const page = pageOf(rows, filter.limit, (row) => timeCursorKey(row.issuedAt, row.number));
  return { items: page.items.map(toInvoiceOutput), nextCursor: page.nextCursor };
}

export async function getInvoice(database: SqlDatabase, invoiceId: string): Promise<InvoiceDetail> {
  const row = await database.get<InvoiceRow>(`SELECT ${invoiceColumns} FROM invoices WHERE id = ?`, [
    invoiceId,
  ]);
  if (!row) throw new KiungaError('not_found', 'No such invoice.');
  const standing = accountStanding(
    await loadSubscriberLedger(database, row.subscriberId),
    LedgerAccount.subscriber(row.subscriberId),
  ).invoices.find((invoice) => invoice.invoiceId === row.id);
  return {
    ...toInvoiceOutput(row),
    // No ledger entries: the invoice moved no money (a zero total), so nothing was paid on it.
    paidCents: standing?.paidCents ?? cents(0),
    outstandingCents: standing?.outstandingCents ?? cents(0),
  };
}

export async function listPayments(database: SqlDatabase, filter: ListFilter): Promise<Page<PaymentRow>> {
  const after = decodeTimeCursor(filter.cursor);
  const where = whereAll([
    equals('status', filter.status),
    filter.subscriberId === undefined
      ? undefined
      : { sql: `matched_kind = 'subscriber' AND matched_id = ?`, params: [filter.subscriberId] },
    afterTimeCursor('received_at', after, { sql: 'id < ?', params: [after?.id ?? ''] }),
  ]);
  const rows = await database.all<PaymentRow>(
    `SELECT ${paymentColumns} FROM payments${where.sql} ORDER BY received_at DESC, id DESC LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  return pageByTime(
    rows,
    filter.limit,
    (row) => row.receivedAt,
    (row) => row,
  );
}

export interface StatementEntry {
  transferId: string;
  kind: string;
  /** From the subscriber's side: positive charges, negative payments and credits. */
  amountCents: number;
  reference: string;
  invoiceId: string | null;
  at: number;
  balanceAfterCents: number;
}

export interface Statement {
  subscriberId: string;
  /** Positive: owes the ISP; negative: money held as credit. */
  balanceCents: Cents;
  outstandingCents: Cents;
  creditBalanceCents: Cents;
  /** Oldest first, the most recent STATEMENT_ENTRIES_MAX. */
  entries: StatementEntry[];
}

export async function subscriberStatement(database: SqlDatabase, subscriberId: string): Promise<Statement> {
  await assertSubscriberExists(database, subscriberId);
  const account = LedgerAccount.subscriber(subscriberId);
  const transfers = await loadSubscriberLedger(database, subscriberId);
  const standing = accountStanding(transfers, account);
  let balance = 0;
  const entries = transfers.map((transfer): StatementEntry => {
    const amountCents = transfer.debitAccount === account ? transfer.amount : -transfer.amount;
    balance += amountCents;
    return {
      transferId: transfer.id,
      kind: transfer.kind,
      amountCents,
      reference: transfer.reference,
      invoiceId: transfer.invoiceId,
      at: transfer.atMs,
      balanceAfterCents: balance,
    };
  });
  let outstanding = 0;
  for (const invoice of standing.invoices) outstanding += invoice.outstandingCents;
  return {
    subscriberId,
    balanceCents: standing.balanceCents,
    outstandingCents: cents(outstanding + standing.unbilledDebtCents),
    creditBalanceCents: standing.creditBalanceCents,
    entries: entries.slice(-STATEMENT_ENTRIES_MAX),
  };
}

/** The ISP's name as its invoices print it ('' when the tenant is gone). */
export async function ispNameOf(platform: SqlDatabase, tenantId: string): Promise<string> {
  const row = await platform.get<{ name: string }>('SELECT name FROM tenants WHERE id = ?', [tenantId]);
  return row?.name ?? '';
}

/** Who an invoice is addressed to. */
export function subscriberContactOf(
  database: SqlDatabase,
  subscriberId: string,
): Promise<{ fullName: string; phone: string | null } | undefined> {
  return database.get<{ fullName: string; phone: string | null }>(
    'SELECT full_name AS "fullName", phone FROM subscribers WHERE id = ?',
    [subscriberId],
  );
}
