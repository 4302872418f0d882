// Voids and refunds on a real shard: ledger transfers that re-derive the account, once per request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, ShardRegistry, type TenantShard } from '@kiunga/schemas';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { refundCredit, voidInvoice } from './adjustments-store';
import { recordManualPayment } from './payments-store';
import { getInvoice, subscriberStatement } from './queries';
import { runTenantInvoices } from './store';
import { eat } from './test-fixtures';

const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-adjustments-'));
const shards = new ShardRegistry({ dataDir });
let tenantCounter = 0;
let shard: TenantShard;
let tenantId: string;
const signupAt = eat(2026, 3, 1, 9);
const now = eat(2026, 3, 2, 9);

afterAll(() => {
  shards.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  tenantId = `tnt_adjust_${++tenantCounter}`;
  shard = shards.forTenant(tenantId);
  shard
    .statement(
      `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES ('pln_home', 'Home 10 Mbps', 'pppoe', 250000, 1, 10000, 10000, 0, 0)`,
    )
    .run();
  shard
    .statement(
      `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
       VALUES ('sub_wanjiru', 'wanjiru', 'sealed', 'pln_home', 'ACC1', 'pppoe', 'active', ?, ?)`,
    )
    .run(signupAt, signupAt);
  runTenantInvoices(shard, tenantId, now);
});

const onlyInvoice = () =>
  (shard.statement('SELECT id FROM invoices').pluck().all() as string[]).map((id) => getInvoice(shard, id));
const pay = (amountCents: number, key: string) =>
  recordManualPayment(
    shard,
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
    shard,
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
  it('reverses it once, turns what was paid into credit, and the cycle is not billed again', () => {
    const [invoice] = onlyInvoice();
    expect(invoice?.totalCents).toBeGreaterThan(0);
    pay(40_000, 'partial-1');
    const voided = voidInvoice(shard, invoice!.id, now);
    expect(voided).toMatchObject({ isDuplicate: false, invoice: { status: 'void', outstandingCents: 0 } });
    const statement = subscriberStatement(shard, 'sub_wanjiru');
    expect(statement).toMatchObject({
      balanceCents: -40_000,
      creditBalanceCents: 40_000,
      outstandingCents: 0,
    });
    expect(voidInvoice(shard, invoice!.id, now).isDuplicate).toBe(true);
    expect(subscriberStatement(shard, 'sub_wanjiru').entries).toHaveLength(statement.entries.length);
    expect(runTenantInvoices(shard, tenantId, now).invoices).toBe(0);
    expect(onlyInvoice()).toHaveLength(1);
  });

  it('answers not_found for an unknown invoice', () => {
    expect(() => voidInvoice(shard, 'inv_nobody', now)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });
});

describe('refunding a credit balance', () => {
  it('pays back at most the credit held, once per idempotency key', () => {
    const [invoice] = onlyInvoice();
    pay(invoice!.totalCents + 30_000, 'over-1');
    expect(() => refund(30_001, 'refund-too-much')).toThrow(/credit balance is Ksh 300/);
    const first = refund(20_000, 'refund-0001');
    expect(first).toMatchObject({ isDuplicate: false, creditBalanceCents: 10_000 });
    expect(refund(20_000, 'refund-0001')).toMatchObject({ isDuplicate: true, creditBalanceCents: 10_000 });
    expect(() => refund(5_000, 'refund-0001')).toThrow(expect.objectContaining({ code: 'conflict' }));
    const statement = subscriberStatement(shard, 'sub_wanjiru');
    expect(statement.entries.at(-1)).toMatchObject({ kind: 'refund', amountCents: 20_000 });
    expect(statement.creditBalanceCents).toBe(10_000);
  });

  it('refuses a refund when there is no credit', () => {
    expect(() => refund(100, 'refund-none')).toThrow(/no credit balance/);
  });
});
