// The CSV export of a period's ledger, invoices and payments for any other accounting package: RFC 4180
// (comma separated, CRLF line ends, a header row, fields with a comma, quote or line break quoted and
// quotes doubled), amounts as decimal shillings with two decimals written from integer cents by digits,
// instants as ISO 8601 in Africa/Nairobi (+03:00) and dates as YYYY-MM-DD there. Layout: README.md.
import { formatLocalDate, localDateOf, NAIROBI_OFFSET_MS } from '../../../billing/core/calendar';

/** Rows in one file: a decade of a large ISP's month; a longer period is exported in parts. */
export const CSV_ROWS_MAX = 1_000_000;

export interface LedgerCsvEntry {
  readonly transferId: string;
  readonly atMs: number;
  readonly kind: string;
  readonly debitAccount: string;
  readonly creditAccount: string;
  readonly amountCents: number;
  readonly reference: string;
  readonly invoiceId: string | null;
}

export interface InvoiceCsvRow {
  readonly id: string;
  readonly number: string;
  readonly subscriberId: string;
  readonly accountNumber: string;
  readonly issuedAtMs: number;
  readonly dueAtMs: number;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
  readonly totalCents: number;
  readonly status: string;
}

export interface PaymentCsvRow {
  readonly id: string;
  readonly receivedAtMs: number;
  readonly provider: string;
  readonly providerTransactionId: string;
  readonly accountReference: string | null;
  readonly phone: string | null;
  readonly amountCents: number;
  readonly status: string;
  readonly matchedKind: string | null;
  readonly matchedId: string | null;
}

export interface CsvPeriod {
  /** [startMs, endMs): rows whose instant falls inside. */
  readonly startMs: number;
  readonly endMs: number;
}

export function ledgerCsv(entries: readonly LedgerCsvEntry[], period: CsvPeriod): string {
  const header = [
    'transfer_id',
    'date',
    'occurred_at',
    'kind',
    'debit_account',
    'credit_account',
    'amount',
    'reference',
    'invoice_id',
  ];
  return csvOf(
    header,
    inPeriod(entries, period, (entry) => entry.atMs).map((entry) => [
      text(entry.transferId),
      nairobiDate(entry.atMs),
      nairobiInstant(entry.atMs),
      text(entry.kind),
      text(entry.debitAccount),
      text(entry.creditAccount),
      shillings(entry.amountCents),
      text(entry.reference),
      text(entry.invoiceId ?? ''),
    ]),
  );
}

export function invoicesCsv(invoices: readonly InvoiceCsvRow[], period: CsvPeriod): string {
  const header = [
    'invoice_id',
    'number',
    'subscriber_id',
    'account_number',
    'issued_date',
    'due_date',
    'period_start',
    'period_end',
    'total',
    'status',
  ];
  return csvOf(
    header,
    inPeriod(invoices, period, (invoice) => invoice.issuedAtMs).map((invoice) => [
      text(invoice.id),
      text(invoice.number),
      text(invoice.subscriberId),
      text(invoice.accountNumber),
      nairobiDate(invoice.issuedAtMs),
      nairobiDate(invoice.dueAtMs),
      nairobiDate(invoice.periodStartMs),
      nairobiDate(invoice.periodEndMs),
      shillings(invoice.totalCents),
      text(invoice.status),
    ]),
  );
}

export function paymentsCsv(payments: readonly PaymentCsvRow[], period: CsvPeriod): string {
  const header = [
    'payment_id',
    'received_date',
    'received_at',
    'provider',
    'provider_transaction_id',
    'account_reference',
    'phone',
    'amount',
    'status',
    'matched_kind',
    'matched_id',
  ];
  return csvOf(
    header,
    inPeriod(payments, period, (payment) => payment.receivedAtMs).map((payment) => [
      text(payment.id),
      nairobiDate(payment.receivedAtMs),
      nairobiInstant(payment.receivedAtMs),
      text(payment.provider),
      text(payment.providerTransactionId),
      text(payment.accountReference ?? ''),
      text(payment.phone ?? ''),
      shillings(payment.amountCents),
      text(payment.status),
      text(payment.matchedKind ?? ''),
      text(payment.matchedId ?? ''),
    ]),
  );
}

/** Cents as decimal shillings by digits: -150050 → "-1500.50", 5 → "0.05". */
export function shillings(amountCents: number): string {
  if (!Number.isSafeInteger(amountCents))
    throw new RangeError(`cents must be a safe integer, got ${amountCents}`);
  const absolute = Math.abs(amountCents);
  return `${amountCents < 0 ? '-' : ''}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** `2026-01-05T10:30:00+03:00`: the instant in Nairobi's fixed offset, whole seconds. */
export function nairobiInstant(timeMs: number): string {
  const shifted = new Date(timeMs + NAIROBI_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+03:00`;
}

function nairobiDate(timeMs: number): string {
  return formatLocalDate(localDateOf(timeMs));
}

/**
 * A text field as RFC 4180 wants it, and defused for spreadsheets: a value starting with = + - @ or a
 * tab/CR is prefixed with a quote so Excel or LibreOffice show it instead of running it (OWASP "CSV
 * Injection"). Amounts are written by `shillings` and never pass here.
 */
export function text(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

function inPeriod<Row>(rows: readonly Row[], period: CsvPeriod, timeOf: (row: Row) => number): Row[] {
  const selected = rows.filter((row) => timeOf(row) >= period.startMs && timeOf(row) < period.endMs);
  if (selected.length > CSV_ROWS_MAX)
    throw new RangeError(`${selected.length} rows: export a shorter period`);
  return selected.sort((left, right) => timeOf(left) - timeOf(right));
}

function csvOf(header: readonly string[], rows: readonly string[][]): string {
  return [header.join(','), ...rows.map((row) => row.join(','))].map((line) => `${line}\r\n`).join('');
}
