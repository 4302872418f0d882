// The subscriber ledger through the production paths on a test shard: invoices posted by the invoice
// run, M-Pesa payments by the C2B recorder, voids and refunds by the adjustments store, replays and
// forged replays through the one postTransfer.
import { cents, KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { describe, expect, it } from 'vitest';
import { balanceOf, LedgerAccount, loadAccountTransfers, postTransfer } from '../ledger/ledger';
import { recordC2bPayment } from '../mpesa/c2b';
import { refundCredit, voidInvoice } from './adjustments-store';
import { accountStanding, invoiceStatus } from './core/standing';
import { eat } from './core/test-fixtures';
import { runTenantInvoices } from './store';
import { insertMonthlySubscriber } from './test-tenant';

const testDatabases = useTestDatabases();
const receivable = LedgerAccount.subscriber('sub_amina');
const revenue = LedgerAccount.subscriptionRevenue;
let tenantCounter = 0;

/** A shard whose one subscriber (account KLM0042) is on a Ksh 1,000 monthly plan from 1 January. */
async function amina(): Promise<{ database: SqlDatabase; tenantId: string }> {
  const tenantId = `ten_ledger${tenantCounter++}`;
  const database = await testDatabases().createTenantDatabase(tenantId);
  await insertMonthlySubscriber(database, {
    id: 'sub_amina',
    accountNumber: 'KLM0042',
    priceCents: 100_000,
    createdAt: eat(2026, 1, 1),
  });
  return { database, tenantId };
}

/** Runs the invoice job at 09:00 on the first of `month`; returns that month's invoice id. */
async function invoiceMonth(database: SqlDatabase, tenantId: string, month: number): Promise<string> {
  await runTenantInvoices(database, tenantId, eat(2026, month, 1, 9));
  const [invoiceId] = await database.column<string>(
    'SELECT id FROM invoices WHERE period_start = ? AND subscriber_id = ?',
    [eat(2026, month, 1), 'sub_amina'],
  );
  if (!invoiceId) throw new Error(`no invoice for month ${month}`);
  return invoiceId;
}

async function pay(database: SqlDatabase, transId: string, amount: number, atMs = eat(2026, 1, 3)) {
  return recordC2bPayment(
    database,
    { transId, amount, msisdn: '254700000001', billRefNumber: 'KLM0042' },
    atMs,
  );
}

const entriesOf = (database: SqlDatabase) => loadAccountTransfers(database, receivable);
const statusOf = async (database: SqlDatabase, invoiceId: string) =>
  invoiceStatus(await entriesOf(database), receivable, invoiceId);
const ledgerSize = async (database: SqlDatabase) =>
  (await database.column<number>('SELECT COUNT(*) FROM ledger_entries'))[0];

describe('ledger', () => {
  it('posts an invoice as a receivable debit and keeps every transfer balanced', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    expect(balanceOf(await entriesOf(database), receivable)).toBe(100_000);
    expect(balanceOf(await loadAccountTransfers(database, revenue), revenue)).toBe(-100_000);
    expect(await statusOf(database, january)).toBe('open');
  });

  it('skips a replayed transfer and refuses the same id with other fields', async () => {
    const { database, tenantId } = await amina();
    await invoiceMonth(database, tenantId, 1);
    const [charge] = await entriesOf(database);
    expect(await postTransfer(database, charge!)).toBe(false);
    await expect(postTransfer(database, { ...charge!, amount: cents(1) })).rejects.toThrow(
      /exists with different amount/,
    );
    await expect(postTransfer(database, { ...charge!, creditAccount: 'cash_on_hand' })).rejects.toThrow(
      /exists with different credit/,
    );
    expect(await entriesOf(database)).toEqual([charge]);
  });

  it('leaves an invoice partially paid, then paid, oldest first', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    const february = await invoiceMonth(database, tenantId, 2);
    await pay(database, 'SAB1', 60_000, eat(2026, 2, 3));
    expect(await statusOf(database, january)).toBe('partially_paid');
    expect(await statusOf(database, february)).toBe('open');
    await pay(database, 'SAB2', 70_000, eat(2026, 2, 3));
    expect(await statusOf(database, january)).toBe('paid');
    expect(await statusOf(database, february)).toBe('partially_paid');
    expect(accountStanding(await entriesOf(database), receivable).balanceCents).toBe(70_000);
  });

  it('keeps an over-payment as credit balance that pays the next invoice when posted', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    await pay(database, 'SAC1', 150_000);
    expect(await statusOf(database, january)).toBe('paid');
    expect(accountStanding(await entriesOf(database), receivable).creditBalanceCents).toBe(50_000);
    expect(balanceOf(await entriesOf(database), receivable)).toBe(-50_000);
    await invoiceMonth(database, tenantId, 2);
    const standing = accountStanding(await entriesOf(database), receivable);
    expect(standing.invoices[1]).toMatchObject({
      status: 'partially_paid',
      paidCents: 50_000,
      outstandingCents: 50_000,
    });
    expect(standing.creditBalanceCents).toBe(0);
  });

  it('treats a replayed M-Pesa callback as a duplicate and a forged amount as changing nothing', async () => {
    const { database, tenantId } = await amina();
    await invoiceMonth(database, tenantId, 1);
    expect((await pay(database, 'SAD1', 10_000)).kind).toBe('applied');
    const before = await entriesOf(database);
    expect((await pay(database, 'SAD1', 10_000)).kind).toBe('duplicate');
    expect((await pay(database, 'SAD1', 99_000)).kind).toBe('duplicate');
    const payment = before.find((entry) => entry.id === 'mpesa:SAD1')!;
    await expect(postTransfer(database, { ...payment, amount: cents(99_000) })).rejects.toThrow(
      /exists with different amount/,
    );
    expect(await entriesOf(database)).toEqual(before);
  });

  it('voids an invoice with a new transfer and returns what was paid to the credit balance', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    await pay(database, 'SAE1', 40_000);
    expect((await voidInvoice(database, january, eat(2026, 1, 4))).isDuplicate).toBe(false);
    expect(await statusOf(database, january)).toBe('void');
    expect(accountStanding(await entriesOf(database), receivable).creditBalanceCents).toBe(40_000);
    const size = await ledgerSize(database);
    expect((await voidInvoice(database, january, eat(2026, 1, 5))).isDuplicate).toBe(true);
    expect(await ledgerSize(database)).toBe(size);
  });

  it('refunds no more than the credit balance', async () => {
    const { database, tenantId } = await amina();
    await invoiceMonth(database, tenantId, 1);
    await pay(database, 'SAF1', 130_000);
    const refund = { subscriberId: 'sub_amina', method: 'mpesa' as const, reference: 'M-Pesa B2C' };
    const refused = refundCredit(
      database,
      { ...refund, amountCents: cents(30_001), idempotencyKey: 'rfd_1' },
      eat(2026, 1, 5),
    );
    await expect(refused).rejects.toThrow(KiungaError);
    await expect(refused).rejects.toThrow(/Ksh 300\b/);
    const done = await refundCredit(
      database,
      { ...refund, amountCents: cents(30_000), idempotencyKey: 'rfd_1' },
      eat(2026, 1, 5),
    );
    expect(done.creditBalanceCents).toBe(0);
    expect(balanceOf(await entriesOf(database), receivable)).toBe(0);
  });

  it('does not let refunded money pay a later invoice', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    await pay(database, 'SAG1', 150_000);
    await refundCredit(
      database,
      {
        subscriberId: 'sub_amina',
        amountCents: cents(50_000),
        method: 'mpesa',
        reference: 'B2C',
        idempotencyKey: 'rfd_2',
      },
      eat(2026, 1, 6),
    );
    const february = await invoiceMonth(database, tenantId, 2);
    expect(await statusOf(database, january)).toBe('paid');
    expect(await statusOf(database, february)).toBe('open');
  });

  it('reduces an invoice with a tied adjustment', async () => {
    const { database, tenantId } = await amina();
    const january = await invoiceMonth(database, tenantId, 1);
    await postTransfer(database, {
      id: 'adj_outage',
      debitAccount: revenue,
      creditAccount: receivable,
      amount: cents(100_000),
      kind: 'adjustment',
      reference: 'Outage all month',
      invoiceId: january,
      atMs: eat(2026, 1, 30),
    });
    expect(await statusOf(database, january)).toBe('paid');
    expect(balanceOf(await entriesOf(database), receivable)).toBe(0);
  });
});
