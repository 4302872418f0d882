import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { cycleContaining, nextCycle, resolveCycleAnchor } from './cycles';
import { generateInvoice, type Invoice } from './invoices';
import {
  adjustmentTransfer,
  appendTransfers,
  balanceOf,
  postInvoice,
  subscriberAccounts,
  type Transfer,
} from './ledger';
import { applyPayment, type LedgerState, refundTransfer, voidInvoiceTransfer } from './payments';
import { accountStanding, invoiceStatus } from './standing';
import { basicPlan, eat, numbering, subscriber, terms } from './test-fixtures';

const accounts = subscriberAccounts(subscriber.id);
const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);
const january = cycleContaining(anchor, eat(2026, 1, 1));
const february = nextCycle(anchor, january);
const januaryInvoice = generateInvoice(subscriber, basicPlan, january, [], numbering(1), terms);
const februaryInvoice = generateInvoice(subscriber, basicPlan, february, [], numbering(2), terms);

function post(entries: readonly Transfer[], invoice: Invoice): readonly Transfer[] {
  return appendTransfers(entries, postInvoice(invoice, accounts, invoice.periodStartMs)).entries;
}

function pay(entries: readonly Transfer[], transactionId: string, amount: number): LedgerState {
  const result = applyPayment(
    { entries, accounts },
    { provider: 'mpesa', transactionId, amountCents: cents(amount), receivedAtMs: eat(2026, 1, 3) },
  );
  if (result.outcome !== 'applied') throw new Error(result.outcome);
  return { entries: result.entries, accounts };
}

const statusOf = (entries: readonly Transfer[], invoiceId: string) =>
  invoiceStatus(entries, accounts.receivable, invoiceId);

describe('ledger', () => {
  it('posts an invoice as a receivable debit and keeps every transfer balanced', () => {
    const entries = post([], januaryInvoice);
    expect(balanceOf(entries, accounts.receivable)).toBe(100_000);
    expect(balanceOf(entries, accounts.revenue)).toBe(-100_000);
    expect(statusOf(entries, januaryInvoice.id)).toBe('open');
  });

  it('skips a replayed transfer and refuses the same id with other fields', () => {
    const entries = post([], januaryInvoice);
    const replay = appendTransfers(entries, postInvoice(januaryInvoice, accounts, 0));
    expect(replay.created).toEqual([]);
    expect(replay.duplicates).toBe(1);
    const [charge] = postInvoice(januaryInvoice, accounts, 0);
    expect(() => appendTransfers(entries, [{ ...charge!, amount: cents(1) }])).toThrow(/different fields/);
  });

  it('leaves an invoice partially paid, then paid, oldest first', () => {
    let entries = post(post([], januaryInvoice), februaryInvoice);
    const partial = applyPayment(
      { entries, accounts },
      { provider: 'mpesa', transactionId: 'SAB1', amountCents: cents(60_000), receivedAtMs: eat(2026, 2, 3) },
    );
    expect(partial.outcome === 'applied' && partial.allocations).toEqual([
      { invoiceId: januaryInvoice.id, amountCents: 60_000 },
    ]);
    entries = partial.entries;
    expect(statusOf(entries, januaryInvoice.id)).toBe('partially_paid');
    expect(statusOf(entries, februaryInvoice.id)).toBe('open');
    entries = pay(entries, 'SAB2', 70_000).entries;
    expect(statusOf(entries, januaryInvoice.id)).toBe('paid');
    expect(statusOf(entries, februaryInvoice.id)).toBe('partially_paid');
    expect(accountStanding(entries, accounts.receivable).balanceCents).toBe(70_000);
  });

  it('keeps an over-payment as credit balance that pays the next invoice when posted', () => {
    let entries = pay(post([], januaryInvoice), 'SAC1', 150_000).entries;
    expect(statusOf(entries, januaryInvoice.id)).toBe('paid');
    expect(accountStanding(entries, accounts.receivable).creditBalanceCents).toBe(50_000);
    expect(balanceOf(entries, accounts.receivable)).toBe(-50_000);
    entries = post(entries, februaryInvoice);
    const standing = accountStanding(entries, accounts.receivable);
    expect(standing.invoices[1]).toMatchObject({
      status: 'partially_paid',
      paidCents: 50_000,
      outstandingCents: 50_000,
    });
    expect(standing.creditBalanceCents).toBe(0);
  });

  it('treats a replayed M-Pesa callback as a duplicate and a forged amount as a conflict', () => {
    const state = pay(post([], januaryInvoice), 'SAD1', 10_000);
    const payment = { provider: 'mpesa', transactionId: 'SAD1', amountCents: cents(10_000), receivedAtMs: 0 };
    expect(applyPayment(state, payment).outcome).toBe('duplicate');
    const forged = applyPayment(state, { ...payment, amountCents: cents(99_000) });
    expect(forged.outcome).toBe('conflict');
    expect(forged.entries).toBe(state.entries);
  });

  it('voids an invoice with a new transfer and returns what was paid to the credit balance', () => {
    let entries = pay(post([], januaryInvoice), 'SAE1', 40_000).entries;
    const voiding = voidInvoiceTransfer({ entries, accounts }, januaryInvoice.id, eat(2026, 1, 4));
    entries = appendTransfers(entries, [voiding!]).entries;
    expect(statusOf(entries, januaryInvoice.id)).toBe('void');
    expect(accountStanding(entries, accounts.receivable).creditBalanceCents).toBe(40_000);
    expect(voidInvoiceTransfer({ entries, accounts }, januaryInvoice.id, 0)).toBeNull();
  });

  it('refunds no more than the credit balance', () => {
    const state = pay(post([], januaryInvoice), 'SAF1', 130_000);
    const refund = { id: 'rfd_1', reference: 'M-Pesa B2C', atMs: eat(2026, 1, 5) };
    expect(refundTransfer(state, { ...refund, amountCents: cents(30_001) })).toMatchObject({
      refused: 'exceeds_credit_balance',
      creditBalanceCents: 30_000,
    });
    const transfer = refundTransfer(state, { ...refund, amountCents: cents(30_000) }) as Transfer;
    const entries = appendTransfers(state.entries, [transfer]).entries;
    expect(balanceOf(entries, accounts.receivable)).toBe(0);
  });

  it('does not let refunded money pay a later invoice', () => {
    const state = pay(post([], januaryInvoice), 'SAG1', 150_000);
    const refund = refundTransfer(state, {
      id: 'rfd_2',
      amountCents: cents(50_000),
      reference: 'B2C',
      atMs: 0,
    });
    const entries = post(appendTransfers(state.entries, [refund as Transfer]).entries, februaryInvoice);
    expect(statusOf(entries, januaryInvoice.id)).toBe('paid');
    expect(statusOf(entries, februaryInvoice.id)).toBe('open');
  });

  it('reduces an invoice with a tied adjustment', () => {
    const adjustment = adjustmentTransfer(accounts, {
      id: 'adj_outage',
      amountCents: cents(-100_000),
      reason: 'Outage all month',
      invoiceId: januaryInvoice.id,
      atMs: eat(2026, 1, 30),
    });
    const entries = appendTransfers(post([], januaryInvoice), [adjustment]).entries;
    expect(statusOf(entries, januaryInvoice.id)).toBe('paid');
    expect(balanceOf(entries, accounts.receivable)).toBe(0);
  });
});
