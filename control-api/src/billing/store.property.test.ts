// Property test through the SQLite store: random sequences of days passing (with invoice runs),
// plan changes and payments never create or lose a cent, and a repeated run changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, ShardRegistry, type TenantShard, writeTenantSetting } from '@kiunga/schemas';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changeSubscriberPlan } from '../domains/subscribers';
import { LedgerAccount } from './accounts';
import { DAY_MS } from './calendar';
import type { InvoiceLine } from './lines';
import { recordManualPayment } from './payments-store';
import {
  BILLING_SETTINGS_KEY,
  defaultBillingSettings,
  readBillingSettings,
  writeBillingSettings,
} from './settings';
import { refreshSubscriberBilling, runTenantInvoices } from './store';
import { eat } from './test-fixtures';
import { CENTS_PER_SHILLING, isWholeUnits } from './units';

const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-billing-property-'));
const shards = new ShardRegistry({ dataDir });
let tenantCounter = 0;

afterAll(() => {
  shards.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const PLAN_PRICES = [99_999, 150_000, 250_001];

function seed(shard: TenantShard, signupAtMs: number[], wholeShillings: boolean): void {
  writeBillingSettings(shard, { ...defaultBillingSettings, wholeShillings }, 0);
  PLAN_PRICES.forEach((price, index) => {
    shard
      .statement(
        `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
         VALUES (?, ?, 'pppoe', ?, 1, 1000, 1000, 0, 0)`,
      )
      .run(`pln_${index}`, `Plan ${index}`, price);
  });
  signupAtMs.forEach((createdAt, index) => {
    shard
      .statement(
        `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
         VALUES (?, ?, 'sealed', 'pln_0', ?, 'pppoe', 'active', ?, ?)`,
      )
      .run(`sub_${index}`, `user${index}`, `ACC${index}`, createdAt, createdAt);
  });
}

type Operation =
  | { kind: 'days'; days: number; hour: number }
  | { kind: 'plan'; subscriber: number; plan: number }
  | { kind: 'pay'; subscriber: number; amountCents: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('days' as const),
    days: fc.integer({ min: 0, max: 45 }),
    hour: fc.integer({ min: 0, max: 23 }),
  }),
  fc.record({
    kind: fc.constant('plan' as const),
    subscriber: fc.integer({ min: 0, max: 1 }),
    plan: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('pay' as const),
    subscriber: fc.integer({ min: 0, max: 1 }),
    amountCents: fc.integer({ min: 1, max: 400_000 }),
  }),
);

function balanceOf(shard: TenantShard, account: string): number {
  return (
    shard
      .statement(
        `SELECT COALESCE(SUM(CASE WHEN debit_account = @account THEN amount_cents ELSE -amount_cents END), 0) AS balance
           FROM ledger_entries WHERE debit_account = @account OR credit_account = @account`,
      )
      .get({ account }) as { balance: number }
  ).balance;
}

function assertBooksBalance(shard: TenantShard, wholeShillings: boolean): void {
  const accounts = shard
    .statement(
      'SELECT debit_account AS account FROM ledger_entries UNION SELECT credit_account FROM ledger_entries',
    )
    .pluck()
    .all() as string[];
  expect(accounts.reduce((sum, account) => sum + balanceOf(shard, account), 0)).toBe(0);
  const invoices = shard
    .statement('SELECT subscriber_id AS subscriberId, total_cents AS total, lines FROM invoices')
    .all() as Array<{
    subscriberId: string;
    total: number;
    lines: string;
  }>;
  let invoiced = 0;
  for (const invoice of invoices) {
    const lines = JSON.parse(invoice.lines) as InvoiceLine[];
    expect(lines.reduce((sum, line) => sum + line.amountCents, 0)).toBe(invoice.total);
    // Plan prices with cents (99,999 and 250,001) are billed to the nearest shilling.
    if (wholeShillings) {
      for (const line of lines) expect(isWholeUnits(line.amountCents, CENTS_PER_SHILLING)).toBe(true);
    }
    invoiced += invoice.total;
  }
  // Revenue holds exactly what invoices billed; each receivable is its invoices minus its payments.
  expect(0 - balanceOf(shard, LedgerAccount.subscriptionRevenue)).toBe(invoiced);
  for (const subscriberId of ['sub_0', 'sub_1']) {
    const billed = invoices
      .filter((row) => row.subscriberId === subscriberId)
      .reduce((sum, row) => sum + row.total, 0);
    const paid = shard
      .statement(`SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE matched_id = ?`)
      .pluck()
      .get(subscriberId) as number;
    expect(balanceOf(shard, LedgerAccount.subscriber(subscriberId))).toBe(billed - paid);
    const standing = refreshSubscriberBilling(shard, subscriberId, readBillingSettings(shard), 0);
    const outstanding = standing.invoices.reduce((sum, invoice) => sum + invoice.outstandingCents, 0);
    expect(outstanding - standing.creditBalanceCents).toBe(billed - paid);
  }
}

describe('billing store', () => {
  it('never creates or loses a cent across plan changes, payments and cycles; reruns change nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * 24 }), { minLength: 2, maxLength: 2 }),
        fc.array(operationArbitrary, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        (signupOffsetsHours, operations, wholeShillings) => {
          const tenantId = `ten_prop${tenantCounter++}`;
          const shard = shards.forTenant(tenantId);
          const startMs = eat(2026, 1, 1, 0);
          seed(
            shard,
            signupOffsetsHours.map((hours) => startMs + hours * 3_600_000),
            wholeShillings,
          );
          let nowMs = startMs;
          let paymentCounter = 0;
          for (const operation of operations) {
            if (operation.kind === 'days') {
              nowMs += operation.days * DAY_MS + operation.hour * 3_600_000;
              runTenantInvoices(shard, tenantId, nowMs);
              const ledgerBefore = shard.statement('SELECT COUNT(*) FROM ledger_entries').pluck().get();
              expect(runTenantInvoices(shard, tenantId, nowMs).invoices).toBe(0);
              expect(shard.statement('SELECT COUNT(*) FROM ledger_entries').pluck().get()).toBe(ledgerBefore);
            }
            const subscriberId = operation.kind === 'days' ? null : `sub_${operation.subscriber}`;
            const createdAt = subscriberId
              ? (shard
                  .statement('SELECT created_at FROM subscribers WHERE id = ?')
                  .pluck()
                  .get(subscriberId) as number)
              : 0;
            if (operation.kind === 'plan' && subscriberId && createdAt <= nowMs) {
              changeSubscriberPlan(shard, subscriberId, `pln_${operation.plan}`, nowMs);
            }
            if (operation.kind === 'pay' && subscriberId) {
              recordManualPayment(
                shard,
                {
                  subscriberId,
                  amountCents: cents(operation.amountCents),
                  method: 'cash',
                  reference: null,
                  idempotencyKey: `key-${paymentCounter++}`,
                },
                nowMs,
              );
            }
          }
          assertBooksBalance(shard, wholeShillings);
          shards.close(tenantId);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * sub_0 starts January on plan 0, moves to plan 1 on day index 10 and to plan 2 on day index 20;
 * February's run bills it. Returns the lines of its January and February and the shard.
 */
function januaryWithTwoPlanChanges(wholeShillings: boolean) {
  const tenantId = `ten_prop${tenantCounter++}`;
  const shard = shards.forTenant(tenantId);
  seed(shard, [eat(2026, 1, 1, 0), eat(2026, 1, 1, 0)], wholeShillings);
  runTenantInvoices(shard, tenantId, eat(2026, 1, 1, 9));
  changeSubscriberPlan(shard, 'sub_0', 'pln_1', eat(2026, 1, 11, 15)); // day index 10
  changeSubscriberPlan(shard, 'sub_0', 'pln_2', eat(2026, 1, 21, 8)); // day index 20
  runTenantInvoices(shard, tenantId, eat(2026, 2, 1, 9));
  const lines = (
    shard
      .statement(`SELECT lines FROM invoices WHERE subscriber_id = 'sub_0' ORDER BY period_start`)
      .pluck()
      .all() as string[]
  ).flatMap((text) => JSON.parse(text) as InvoiceLine[]);
  return {
    shard,
    january: lines.filter((line) => line.periodEndMs === eat(2026, 2, 1, 0)),
    february: lines.filter((line) => line.periodStartMs === eat(2026, 2, 1, 0)),
  };
}

const sumOf = (lines: InvoiceLine[]) => lines.reduce((sum, line) => sum + line.amountCents, 0);

describe('plan changes through the store', () => {
  it('bills January to the cent as the exact sum of its plan segments when whole shillings are off', () => {
    const { shard, january, february } = januaryWithTwoPlanChanges(false);
    const [prices0, prices1, prices2] = PLAN_PRICES as [number, number, number];
    const share = (price: number, days: number) => Math.floor((price * days) / 31);
    const januaryExpected =
      share(prices0, 10) + share(prices1, 20) - share(prices1, 10) + prices2 - share(prices2, 20);
    expect(sumOf(january)).toBe(januaryExpected);
    expect(february.map((line) => [line.kind, line.amountCents])).toEqual([['recurring', prices2]]);
    assertBooksBalance(shard, false);
  });

  it('bills January in whole shillings as the exact sum of its plan segments (the default)', () => {
    const { shard, january } = januaryWithTwoPlanChanges(true);
    // Ksh 999.99, 1,500 and 2,500.01 are billed as Ksh 1,000, 1,500 and 2,500, floored in shillings.
    const share = (shillings: number, days: number) => Math.floor((shillings * days) / 31) * 100;
    const januaryExpected =
      share(1_000, 10) + share(1_500, 20) - share(1_500, 10) + 250_000 - share(2_500, 20);
    expect(january.map((line) => line.amountCents)).toEqual([100_000, -67_800, 101_700, -53_300, 88_800]);
    expect(sumOf(january)).toBe(januaryExpected);
    assertBooksBalance(shard, true);
  });

  it('reads settings stored before whole shillings existed as whole shillings on', () => {
    const shard = shards.forTenant(`ten_prop${tenantCounter++}`);
    const { wholeShillings: _, ...before } = defaultBillingSettings;
    writeTenantSetting(shard, BILLING_SETTINGS_KEY, { ...before, dueDays: 12 }, 0);
    expect(readBillingSettings(shard)).toMatchObject({ dueDays: 12, wholeShillings: true });
  });
});
