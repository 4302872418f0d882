// Payment allocations replayed from a subscriber's ledger agree with standing.ts: what each invoice
// was paid is exactly what the payments are said to have settled on it, and no payment settles more
// than it brought.
import { type Cents, cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../ledger/ledger';
import { paymentAllocations } from './allocations';
import { accountStanding } from './standing';
import { VOID_REFERENCE } from './transfers';

const RECEIVABLE = 'subscriber:sub_1';
const REVENUE = 'subscription_revenue';
const CASH = 'mpesa_clearing';

function charge(invoiceId: string, amount: number, atMs: number): Transfer {
  return {
    id: `${invoiceId}:charge`,
    debitAccount: RECEIVABLE,
    creditAccount: REVENUE,
    amount: cents(amount),
    kind: 'invoice',
    reference: invoiceId,
    invoiceId,
    atMs,
  };
}

function payment(id: string, amount: number, atMs: number): Transfer {
  return {
    id,
    debitAccount: CASH,
    creditAccount: RECEIVABLE,
    amount: cents(amount),
    kind: 'payment',
    reference: id,
    invoiceId: null,
    atMs,
  };
}

function voidOf(invoiceId: string, amount: number, atMs: number): Transfer {
  return {
    id: `${invoiceId}:void`,
    debitAccount: REVENUE,
    creditAccount: RECEIVABLE,
    amount: cents(amount),
    kind: 'adjustment',
    reference: VOID_REFERENCE,
    invoiceId,
    atMs,
  };
}

const sumOf = (amounts: readonly Cents[]) => amounts.reduce((sum, amount) => sum + amount, 0);

describe('paymentAllocations', () => {
  it('pays the oldest invoice first, splits a payment over two, and leaves the rest as credit', () => {
    const entries = [
      charge('inv_1', 1_000_00, 1),
      charge('inv_2', 500_00, 2),
      payment('pay_a', 1_200_00, 3),
      payment('pay_b', 800_00, 4),
    ];
    const allocations = paymentAllocations(entries, RECEIVABLE);
    expect(allocations.get('pay_a')).toEqual([
      { invoiceId: 'inv_1', amountCents: 1_000_00 },
      { invoiceId: 'inv_2', amountCents: 200_00 },
    ]);
    expect(allocations.get('pay_b')).toEqual([{ invoiceId: 'inv_2', amountCents: 300_00 }]);
  });

  it('money released by a void is not counted as the payment again when it pays the next invoice', () => {
    const entries = [
      charge('inv_1', 1_000_00, 1),
      payment('pay_a', 1_000_00, 2),
      voidOf('inv_1', 1_000_00, 3),
      charge('inv_2', 1_000_00, 4),
    ];
    const allocations = paymentAllocations(entries, RECEIVABLE);
    expect(allocations.get('pay_a')).toEqual([{ invoiceId: 'inv_1', amountCents: 1_000_00 }]);
    expect(accountStanding(entries, RECEIVABLE).invoices.find((i) => i.invoiceId === 'inv_2')?.status).toBe(
      'paid',
    );
  });

  it('without voids, each invoice was paid exactly what the payments settled on it (random ledgers)', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('charge' as const), amount: fc.integer({ min: 1, max: 500_000 }) }),
      fc.record({ type: fc.constant('payment' as const), amount: fc.integer({ min: 1, max: 500_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const entries = events.map((item, index) =>
          item.type === 'charge'
            ? charge(`inv_${index}`, item.amount, index)
            : payment(`pay_${index}`, item.amount, index),
        );
        const allocations = paymentAllocations(entries, RECEIVABLE);
        const standing = accountStanding(entries, RECEIVABLE);
        for (const invoice of standing.invoices) {
          const settled = sumOf(
            [...allocations.values()].flatMap((parts) =>
              parts.filter((part) => part.invoiceId === invoice.invoiceId).map((part) => part.amountCents),
            ),
          );
          expect(settled).toBe(invoice.paidCents);
        }
        for (const entry of entries.filter((item) => item.kind === 'payment')) {
          expect(
            sumOf((allocations.get(entry.id) ?? []).map((part) => part.amountCents)),
          ).toBeLessThanOrEqual(entry.amount);
        }
      }),
    );
  });
});
