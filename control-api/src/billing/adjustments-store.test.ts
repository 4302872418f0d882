// Voids and refunds on a real tenant database (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres):
// ledger transfers that re-derive the account, once per request.
import { cents, type SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { refundCredit, voidInvoice } from './adjustments-store';
import { eat } from './core/test-fixtures';
import { recordManualPayment } from './payments-store';
import { getInvoice, subscriberStatement } from './queries';
import { runTenantInvoices } from './store';

const testDatabases = useTestDatabases();
let tenantCounter = 0;
let database: SqlDatabase;
let tenantId: string;
const signupAt = eat(2026, 3, 1, 9);
const now = eat(2026, 3, 2, 9);

beforeEach(async () => {
  tenantId = `tnt_adjust_${++tenantCounter}`;
  database = await testDatabases().createTenantDatabase(tenantId);
  await database.run(
    `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
     VALUES ('pln_home', 'Home 10 Mbps', 'pppoe', 250000, 1, 10000, 10000, 0, 0)`,
  );
  await database.run(
    `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
     VALUES ('sub_wanjiru', 'wanjiru', 'sealed', 'pln_home', 'ACC1', 'pppoe', 'active', ?, ?)`,
    [signupAt, signupAt],
  );
  await runTenantInvoices(database, tenantId, now);
});

const onlyInvoice = async () => {
  const invoices = [];
  for (const id of await database.column<string>('SELECT id FROM invoices'))
    invoices.push(await getInvoice(database, id));
  return invoices;
};
const pay = (amountCents: number, key: string) =>
  recordManualPayment(
    database,
    {
      subscriberId: 'sub_wanjiru',
      amountCents: cents(amountCents),
      method: 'cash',
      reference: null,
      idempotencyKey: key,
    },
    now,
  );
const refund = (amountCents: number, key: string) =>
  refundCredit(
    database,
    {
      subscriberId: 'sub_wanjiru',
      amountCents: cents(amountCents),
      method: 'mpesa',
      reference: 'QK1',
      idempotencyKey: key,
    },
    now,
  );

describe('voiding an invoice', () => {
  it('reverses it once, turns what was paid into credit, and the cycle is not billed again', async () => {
    const [invoice] = await onlyInvoice();
    expect(invoice?.totalCents).toBeGreaterThan(0);
    await pay(40_000, 'partial-1');
    const voided = await voidInvoice(database, invoice!.id, now);
    expect(voided).toMatchObject({ isDuplicate: false, invoice: { status: 'void', outstandingCents: 0 } });
    const statement = await subscriberStatement(database, 'sub_wanjiru');
    expect(statement).toMatchObject({
      balanceCents: -40_000,
      creditBalanceCents: 40_000,
      outstandingCents: 0,
    });
    expect((await voidInvoice(database, invoice!.id, now)).isDuplicate).toBe(true);
    expect((await subscriberStatement(database, 'sub_wanjiru')).entries).toHaveLength(
      statement.entries.length,
    );
    expect((await runTenantInvoices(database, tenantId, now)).invoices).toBe(0);
    expect(await onlyInvoice()).toHaveLength(1);
  });

  it('answers not_found for an unknown invoice', async () => {
    await expect(voidInvoice(database, 'inv_nobody', now)).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });
});

describe('refunding a credit balance', () => {
  it('pays back at most the credit held, once per idempotency key', async () => {
    const [invoice] = await onlyInvoice();
    await pay(invoice!.totalCents + 30_000, 'over-1');
    await expect(refund(30_001, 'refund-too-much')).rejects.toThrow(/credit balance is Ksh 300/);
    const first = await refund(20_000, 'refund-0001');
    expect(first).toMatchObject({ isDuplicate: false, creditBalanceCents: 10_000 });
    expect(await refund(20_000, 'refund-0001')).toMatchObject({
      isDuplicate: true,
      creditBalanceCents: 10_000,
    });
    await expect(refund(5_000, 'refund-0001')).rejects.toThrow(expect.objectContaining({ code: 'conflict' }));
    const statement = await subscriberStatement(database, 'sub_wanjiru');
    expect(statement.entries.at(-1)).toMatchObject({ kind: 'refund', amountCents: 20_000 });
    expect(statement.creditBalanceCents).toBe(10_000);
  });

  it('refuses a refund when there is no credit', async () => {
    await expect(refund(100, 'refund-none')).rejects.toThrow(/no credit balance/);
  });
});
