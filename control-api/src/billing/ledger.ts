// The subscriber ledger: immutable double-entry transfers with idempotent ids (TigerBeetle-style).
//
// Accounts: each subscriber has a receivable (debit-normal: positive = owes the ISP, negative
// = credit balance); each ISP has a revenue and cash (collections) accounts, named in accounts.ts. Every money
// change is a transfer debiting one account and crediting another by a positive amount, so
// the sum of all balances is always zero. Corrections are new transfers, never edits.
import { type Cents, cents } from '@kiunga/schemas';
import { LedgerAccount } from './accounts';
import type { Invoice } from './invoices';

export type TransferKind = 'invoice' | 'payment' | 'credit' | 'refund' | 'adjustment';

export interface Transfer {
  /** Chosen by the caller from the event (invoice id, provider transaction id): replays collide. */
  readonly id: string;
  readonly debitAccount: string;
  readonly creditAccount: string;
  /** Always positive; direction is given by the two accounts. */
  readonly amount: Cents;
  readonly kind: TransferKind;
  /** Invoice number, provider transaction id, or the reason for an adjustment. */
  readonly reference: string;
  /** The invoice this transfer belongs to; null for payments and balance-level entries. */
  readonly invoiceId: string | null;
  readonly atMs: number;
}

export interface SubscriberAccounts {
  readonly receivable: string;
  readonly revenue: string;
  readonly cash: string;
}

/** The reference a voiding transfer carries; an invoice with one is void. */
export const VOID_REFERENCE = 'void';

/**
 * The accounts of the stored ledger (see accounts.ts); `cash` is where a payment lands, cash on
 * hand unless the caller says otherwise (M-Pesa clearing, bank).
 */
export function subscriberAccounts(
  subscriberId: string,
  cash: string = LedgerAccount.cashOnHand,
): SubscriberAccounts {
  return {
    receivable: LedgerAccount.subscriber(subscriberId),
    revenue: LedgerAccount.subscriptionRevenue,
    cash,
  };
}

/** Debits minus credits. */
export function balanceOf(entries: readonly Transfer[], account: string): Cents {
  let balance = 0;
  for (const entry of entries) {
    if (entry.debitAccount === account) balance += entry.amount;
    if (entry.creditAccount === account) balance -= entry.amount;
  }
  return cents(balance);
}

export type AppendResult = { entries: readonly Transfer[]; created: readonly Transfer[]; duplicates: number };

/**
 * Appends transfers whose ids are new; an id already present with identical fields is a
 * replay and is skipped; the same id with different fields is a programmer error.
 */
export function appendTransfers(entries: readonly Transfer[], transfers: readonly Transfer[]): AppendResult {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const created: Transfer[] = [];
  let duplicates = 0;
  for (const transfer of transfers) {
    assertTransfer(transfer);
    const existing = byId.get(transfer.id);
    if (existing) {
      if (!sameTransfer(existing, transfer))
        throw new Error(`transfer ${transfer.id} exists with different fields`);
      duplicates++;
      continue;
    }
    byId.set(transfer.id, transfer);
    created.push(transfer);
  }
  return { entries: created.length === 0 ? entries : [...entries, ...created], created, duplicates };
}

export function assertTransfer(transfer: Transfer): void {
  if (!Number.isSafeInteger(transfer.amount) || transfer.amount <= 0) {
    throw new RangeError(`transfer ${transfer.id} amount must be a positive integer, got ${transfer.amount}`);
  }
  if (transfer.debitAccount === transfer.creditAccount)
    throw new Error(`transfer ${transfer.id} moves to itself`);
}

export function sameTransfer(left: Transfer, right: Transfer): boolean {
  return (
    left.id === right.id &&
    left.debitAccount === right.debitAccount &&
    left.creditAccount === right.creditAccount &&
    left.amount === right.amount &&
    left.kind === right.kind &&
    left.reference === right.reference &&
    left.invoiceId === right.invoiceId
  );
}

/** The charge (positive lines) and credit (negative lines) transfers of an invoice. */
export function postInvoice(invoice: Invoice, accounts: SubscriberAccounts, atMs: number): Transfer[] {
  let charges = 0;
  let credits = 0;
  for (const line of invoice.lines) {
    if (line.amountCents > 0) charges += line.amountCents;
    else credits -= line.amountCents;
  }
  const base = { reference: invoice.number, invoiceId: invoice.id, atMs };
  const transfers: Transfer[] = [];
  if (charges > 0) {
    transfers.push({
      ...base,
      id: `${invoice.id}:charge`,
      debitAccount: accounts.receivable,
      creditAccount: accounts.revenue,
      amount: cents(charges),
      kind: 'invoice',
    });
  }
  if (credits > 0) {
    transfers.push({
      ...base,
      id: `${invoice.id}:credit`,
      debitAccount: accounts.revenue,
      creditAccount: accounts.receivable,
      amount: cents(credits),
      kind: 'credit',
    });
  }
  return transfers;
}

/**
 * A signed correction: positive charges the subscriber, negative credits them. Tied to an
 * invoice it changes what that invoice owes; untied it changes the balance.
 */
export function adjustmentTransfer(
  accounts: SubscriberAccounts,
  adjustment: { id: string; amountCents: Cents; reason: string; invoiceId: string | null; atMs: number },
): Transfer {
  if (adjustment.amountCents === 0) throw new RangeError('an adjustment of zero moves nothing');
  const isCharge = adjustment.amountCents > 0;
  return {
    id: adjustment.id,
    debitAccount: isCharge ? accounts.receivable : accounts.revenue,
    creditAccount: isCharge ? accounts.revenue : accounts.receivable,
    amount: cents(Math.abs(adjustment.amountCents)),
    kind: 'adjustment',
    reference: adjustment.reason,
    invoiceId: adjustment.invoiceId,
    atMs: adjustment.atMs,
  };
}
