// Which invoices each payment settled, replayed from a subscriber's ledger exactly as standing.ts
// settles them (oldest open invoice first, money in the order it arrived), for the accounting sync:
// QuickBooks and Xero link a payment to the invoices it paid, while Kiunga stores no allocation.
//
// The pool of unspent money is kept as a queue of its sources (a payment, or anything else: a credit
// released by a void or an over-credited invoice); every amount standing.ts takes from the pool is
// taken from the front of the queue, so each cent that settles an invoice is traced to where it came
// from. Money released back from an invoice (a void of a paid invoice) re-enters as a non-payment
// source: the books show it as the void's credit note, not as the payment again.
import { type Cents, cents } from '@kiunga/schemas';
import type { Transfer } from '../../ledger/ledger';
import { rebalance } from './standing';

export interface PaymentAllocation {
  readonly invoiceId: string;
  readonly amountCents: Cents;
}

interface Running {
  net: number;
  paid: number;
  released: number;
}

interface PoolPart {
  /** The payment transfer's id, or null for money from elsewhere (a release, an untied credit). */
  readonly paymentTransferId: string | null;
  amount: number;
}

/**
 * For every payment transfer (kind 'payment', crediting the receivable, tied to no invoice) the
 * invoices it settled and how much of each, in ledger order; a payment whose money is still credit
 * balance maps to the part it settled (possibly nothing).
 */
export function paymentAllocations(
  entries: readonly Transfer[],
  receivable: string,
): Map<string, PaymentAllocation[]> {
  const allocations = new Map<string, Map<string, number>>();
  const invoices = new Map<string, Running>();
  const pool: PoolPart[] = [];
  const take = (amount: number, invoiceId: string | null): void => {
    let left = amount;
    while (left > 0 && pool.length > 0) {
      const part = pool[0]!;
      const used = Math.min(part.amount, left);
      part.amount -= used;
      left -= used;
      if (part.amount === 0) pool.shift();
      if (invoiceId !== null && part.paymentTransferId !== null) {
        const byInvoice = allocations.get(part.paymentTransferId) ?? new Map<string, number>();
        allocations.set(part.paymentTransferId, byInvoice);
        byInvoice.set(invoiceId, (byInvoice.get(invoiceId) ?? 0) + used);
      }
    }
  };
  const poolTotal = () => pool.reduce((sum, part) => sum + part.amount, 0);
  let debt = 0;
  for (const entry of entries) {
    const sign = entry.debitAccount === receivable ? 1 : entry.creditAccount === receivable ? -1 : 0;
    if (sign === 0) continue;
    if (entry.invoiceId === null && sign < 0) {
      const isPayment = entry.kind === 'payment';
      if (isPayment) allocations.set(entry.id, allocations.get(entry.id) ?? new Map());
      pool.push({ paymentTransferId: isPayment ? entry.id : null, amount: entry.amount });
    }
    if (entry.invoiceId === null && sign > 0) {
      const covered = Math.min(poolTotal(), entry.amount);
      take(covered, null);
      debt += entry.amount - covered;
    }
    if (entry.invoiceId !== null) {
      const invoice = invoices.get(entry.invoiceId) ?? { net: 0, paid: 0, released: 0 };
      invoices.set(entry.invoiceId, invoice);
      invoice.net += sign * entry.amount;
      const movement = rebalance(invoice);
      if (movement >= 0) {
        if (movement > 0) pool.push({ paymentTransferId: null, amount: movement });
      } else {
        const covered = Math.min(poolTotal(), -movement);
        take(covered, null);
        debt += -movement - covered;
      }
    }
    for (const [invoiceId, invoice] of invoices) {
      const available = poolTotal();
      if (available === 0) break;
      const payment = Math.min(Math.max(invoice.net - invoice.paid, 0), available);
      if (payment === 0) continue;
      invoice.paid += payment;
      take(payment, invoiceId);
    }
    const towardsDebt = Math.min(poolTotal(), debt);
    take(towardsDebt, null);
    debt -= towardsDebt;
  }
  return new Map(
    [...allocations].map(([paymentId, byInvoice]) => [
      paymentId,
      [...byInvoice].map(([invoiceId, amount]) => ({ invoiceId, amountCents: cents(amount) })),
    ]),
  );
}
