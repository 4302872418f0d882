// Invoice status derived from the ledger alone: money settles the oldest open invoices first.
//
// No allocation is stored; it is replayed from the transfers in ledger order. Each invoice
// owes its net (its charges minus its credits). Money not tied to an invoice (payments,
// untied credits) enters a pool; after every transfer the pool pays open invoices oldest
// first, then any untied debt. So a partial payment leaves the oldest invoice partially
// paid, and an over-payment waits as credit balance until the next invoice is posted, which
// it then pays. Untied charges (refunds, balance adjustments) take from the pool at the time
// they happen, else become untied debt; an invoice credited below what was paid on it (a
// void, a late credit) returns the excess to the pool. Re-deriving from the transfers is what
// makes payments and dunning replay- and catch-up safe.
import { type Cents, cents } from '@kiunga/schemas';
import type { Transfer } from '../../ledger/ledger';
import { VOID_REFERENCE } from './transfers';

export type InvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'void';

export interface InvoiceStanding {
  readonly invoiceId: string;
  /** Charges minus credits on the invoice. */
  readonly amountCents: Cents;
  readonly paidCents: Cents;
  readonly outstandingCents: Cents;
  readonly status: InvoiceStatus;
}

export interface AccountStanding {
  /** In ledger order, oldest first. */
  readonly invoices: readonly InvoiceStanding[];
  /** Money received and not yet needed by any invoice: applied to the next one. */
  readonly creditBalanceCents: Cents;
  /** Untied charges (e.g. a balance adjustment) not covered by money received. */
  readonly unbilledDebtCents: Cents;
  /** The receivable's balance: outstanding + unbilled debt − credit balance. */
  readonly balanceCents: Cents;
}

interface Running {
  net: number;
  paid: number;
  /** Surplus released to the pool while credits exceeded charges. */
  released: number;
  isVoid: boolean;
}

export function accountStanding(entries: readonly Transfer[], receivable: string): AccountStanding {
  const invoices = new Map<string, Running>();
  let pool = 0;
  let debt = 0;
  let balance = 0;
  for (const entry of entries) {
    const sign = entry.debitAccount === receivable ? 1 : entry.creditAccount === receivable ? -1 : 0;
    if (sign === 0) continue;
    balance += sign * entry.amount;
    if (entry.invoiceId === null && sign < 0) pool += entry.amount;
    if (entry.invoiceId === null && sign > 0) {
      const covered = Math.min(pool, entry.amount);
      pool -= covered;
      debt += entry.amount - covered;
    }
    if (entry.invoiceId !== null) {
      const invoice = invoices.get(entry.invoiceId) ?? { net: 0, paid: 0, released: 0, isVoid: false };
      invoices.set(entry.invoiceId, invoice);
      invoice.net += sign * entry.amount;
      if (entry.kind === 'adjustment' && entry.reference === VOID_REFERENCE) invoice.isVoid = true;
      const released = rebalance(invoice);
      if (released >= 0) pool += released;
      else {
        const covered = Math.min(pool, -released);
        pool -= covered;
        debt += -released - covered;
      }
    }
    pool = settle(invoices, pool);
    const towardsDebt = Math.min(pool, debt);
    pool -= towardsDebt;
    debt -= towardsDebt;
  }
  return {
    invoices: [...invoices].map(([invoiceId, invoice]) => standingOf(invoiceId, invoice)),
    creditBalanceCents: cents(pool),
    unbilledDebtCents: cents(debt),
    balanceCents: cents(balance),
  };
}

/**
 * After the invoice's net changed: it may hold no more than it owes (the rest of what was
 * paid returns), and a net below zero is money it releases. Returns what moves to the pool
 * (negative when a charge takes back surplus the invoice released earlier).
 */
export function rebalance(invoice: Pick<Running, 'net' | 'paid' | 'released'>): number {
  const paidTarget = Math.min(invoice.paid, Math.max(invoice.net, 0));
  const releasedTarget = Math.max(-invoice.net, 0);
  const movement = invoice.paid - paidTarget + (releasedTarget - invoice.released);
  invoice.paid = paidTarget;
  invoice.released = releasedTarget;
  return movement;
}

/** Pays open invoices oldest first from the pool; returns what is left. */
function settle(invoices: ReadonlyMap<string, Running>, pool: number): number {
  let left = pool;
  for (const invoice of invoices.values()) {
    if (left === 0) break;
    const payment = Math.min(Math.max(invoice.net - invoice.paid, 0), left);
    invoice.paid += payment;
    left -= payment;
  }
  return left;
}

function standingOf(invoiceId: string, { net, paid, isVoid }: Running): InvoiceStanding {
  const amountCents = cents(net);
  const outstanding = Math.max(net - paid, 0);
  let status: InvoiceStatus = 'open';
  if (isVoid) status = 'void';
  else if (outstanding === 0) status = 'paid';
  else if (paid > 0) status = 'partially_paid';
  return { invoiceId, amountCents, paidCents: cents(paid), outstandingCents: cents(outstanding), status };
}

export function invoiceStatus(
  entries: readonly Transfer[],
  receivable: string,
  invoiceId: string,
): InvoiceStatus | null {
  return (
    accountStanding(entries, receivable).invoices.find((invoice) => invoice.invoiceId === invoiceId)
      ?.status ?? null
  );
}
