// Property test through the store (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres): random
// sequences of days passing (with invoice runs), plan changes and payments never create or lose a
// cent, and a repeated run changes nothing.
import { cents, type SqlDatabase, writeTenantSetting } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeSubscriberPlan } from '../features/subscribers/service';
import { LedgerAccount } from '../ledger/accounts';
import { DAY_MS } from './core/calendar';
import type { InvoiceLine } from './core/lines';
import { eat } from './core/test-fixtures';
import { CENTS_PER_SHILLING, isWholeUnits } from './core/units';
import { recordManualPayment } from './payments-store';
import {
  BILLING_SETTINGS_KEY,
  defaultBillingSettings,
  readBillingSettings,
  writeBillingSettings,
} from './settings';
import { refreshSubscriberBilling, runTenantInvoices } from './store';
import { insertPlan, insertSubscriber } from './test-tenant';

const testDatabases = useTestDatabases();
let tenantCounter = 0;

async function newTenant(): Promise<{ tenantId: string; database: SqlDatabase }> {
  const tenantId = `ten_prop${tenantCounter++}`;
  return { tenantId, database: await testDatabases().createTenantDatabase(tenantId) };
}

const PLAN_PRICES = [99_999, 150_000, 250_001];

async function seed(database: SqlDatabase, signupAtMs: number[], wholeShillings: boolean): Promise<void> {
  await writeBillingSettings(database, { ...defaultBillingSettings, wholeShillings }, 0);
  for (const [index, priceCents] of PLAN_PRICES.entries()) {
    await insertPlan(database, { id: `pln_${index}`, priceCents, cycleMonths: 1 });
  }
  for (const [index, createdAt] of signupAtMs.entries()) {
    await insertSubscriber(database, {
      id: `sub_${index}`,
      planId: 'pln_0',
      accountNumber: `ACC${index}`,
      createdAt,
    });
  }
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

async function balanceOf(database: SqlDatabase, account: string): Promise<number> {
  const row = await database.get<{ balance: number }>(
    `SELECT COALESCE(SUM(CASE WHEN debit_account = ? THEN amount_cents ELSE -amount_cents END), 0) AS balance
       FROM ledger_entries WHERE debit_account = ? OR credit_account = ?`,
    [account, account, account],
  );
  return row?.balance ?? 0;
}

async function assertBooksBalance(database: SqlDatabase, wholeShillings: boolean): Promise<void> {
  const accounts = await database.column<string>(
    'SELECT debit_account AS account FROM ledger_entries UNION SELECT credit_account FROM ledger_entries',
  );
  let total = 0;
  for (const account of accounts) total += await balanceOf(database, account);
  expect(total).toBe(0);
  const invoices = await database.all<{ subscriberId: string; total: number; lines: string }>(
    'SELECT subscriber_id AS "subscriberId", total_cents AS total, lines FROM invoices',
  );
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
  expect(0 - (await balanceOf(database, LedgerAccount.subscriptionRevenue))).toBe(invoiced);
  for (const subscriberId of ['sub_0', 'sub_1']) {
    const billed = invoices
      .filter((row) => row.subscriberId === subscriberId)
      .reduce((sum, row) => sum + row.total, 0);
    const [paid = 0] = await database.column<number>(
      'SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE matched_id = ?',
      [subscriberId],
    );
    expect(await balanceOf(database, LedgerAccount.subscriber(subscriberId))).toBe(billed - paid);
    const standing = await refreshSubscriberBilling(
      database,
      subscriberId,
      await readBillingSettings(database),
      0,
    );
    const outstanding = standing.invoices.reduce((sum, invoice) => sum + invoice.outstandingCents, 0);
    expect(outstanding - standing.creditBalanceCents).toBe(billed - paid);
  }
}

describe('billing store', () => {
  it('never creates or loses a cent across plan changes, payments and cycles; reruns change nothing', async () => {
    const ledgerSize = async (database: SqlDatabase) =>
      (await database.column<number>('SELECT COUNT(*) FROM ledger_entries'))[0];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 * 24 }), { minLength: 2, maxLength: 2 }),
        fc.array(operationArbitrary, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        async (signupOffsetsHours, operations, wholeShillings) => {
          const { tenantId, database } = await newTenant();
          const startMs = eat(2026, 1, 1, 0);
          await seed(
            database,
            signupOffsetsHours.map((hours) => startMs + hours * 3_600_000),
            wholeShillings,
          );
          let nowMs = startMs;
          let paymentCounter = 0;
          for (const operation of operations) {
            if (operation.kind === 'days') {
              nowMs += operation.days * DAY_MS + operation.hour * 3_600_000;
              await runTenantInvoices(database, tenantId, nowMs);
              const ledgerBefore = await ledgerSize(database);
              expect((await runTenantInvoices(database, tenantId, nowMs)).invoices).toBe(0);
              expect(await ledgerSize(database)).toBe(ledgerBefore);
            }
            const subscriberId = operation.kind === 'days' ? null : `sub_${operation.subscriber}`;
            const [createdAt = 0] = subscriberId
              ? await database.column<number>('SELECT created_at FROM subscribers WHERE id = ?', [
                  subscriberId,
                ])
              : [];
            if (operation.kind === 'plan' && subscriberId && createdAt <= nowMs) {
              await changeSubscriberPlan(database, subscriberId, `pln_${operation.plan}`, nowMs);
            }
            if (operation.kind === 'pay' && subscriberId) {
              await recordManualPayment(
                database,
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
          await assertBooksBalance(database, wholeShillings);
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
async function januaryWithTwoPlanChanges(wholeShillings: boolean) {
  const { tenantId, database } = await newTenant();
  await seed(database, [eat(2026, 1, 1, 0), eat(2026, 1, 1, 0)], wholeShillings);
  await runTenantInvoices(database, tenantId, eat(2026, 1, 1, 9));
  await changeSubscriberPlan(database, 'sub_0', 'pln_1', eat(2026, 1, 11, 15)); // day index 10
  await changeSubscriberPlan(database, 'sub_0', 'pln_2', eat(2026, 1, 21, 8)); // day index 20
  await runTenantInvoices(database, tenantId, eat(2026, 2, 1, 9));
  const lines = (
    await database.column<string>(
      `SELECT lines FROM invoices WHERE subscriber_id = 'sub_0' ORDER BY period_start`,
    )
  ).flatMap((text) => JSON.parse(text) as InvoiceLine[]);
  return {
    database,
    january: lines.filter((line) => line.periodEndMs === eat(2026, 2, 1, 0)),
    february: lines.filter((line) => line.periodStartMs === eat(2026, 2, 1, 0)),
  };
}

const sumOf = (lines: InvoiceLine[]) => lines.reduce((sum, line) => sum + line.amountCents, 0);

describe('plan changes through the store', () => {
  it('bills January to the cent as the exact sum of its plan segments when whole shillings are off', async () => {
    const { database, january, february } = await januaryWithTwoPlanChanges(false);
    const [prices0, prices1, prices2] = PLAN_PRICES as [number, number, number];
    const share = (price: number, days: number) => Math.floor((price * days) / 31);
    const januaryExpected =
      share(prices0, 10) + share(prices1, 20) - share(prices1, 10) + prices2 - share(prices2, 20);
    expect(sumOf(january)).toBe(januaryExpected);
    expect(february.map((line) => [line.kind, line.amountCents])).toEqual([['recurring', prices2]]);
    await assertBooksBalance(database, false);
  });

  it('bills January in whole shillings as the exact sum of its plan segments (the default)', async () => {
    const { database, january } = await januaryWithTwoPlanChanges(true);
    // Ksh 999.99, 1,500 and 2,500.01 are billed as Ksh 1,000, 1,500 and 2,500, floored in shillings.
    const share = (shillings: number, days: number) => Math.floor((shillings * days) / 31) * 100;
    const januaryExpected =
      share(1_000, 10) + share(1_500, 20) - share(1_500, 10) + 250_000 - share(2_500, 20);
    expect(january.map((line) => line.amountCents)).toEqual([100_000, -67_800, 101_700, -53_300, 88_800]);
    expect(sumOf(january)).toBe(januaryExpected);
    await assertBooksBalance(database, true);
  });

  it('reads settings stored before whole shillings existed as whole shillings on', async () => {
    const { database } = await newTenant();
    const { wholeShillings: _, ...before } = defaultBillingSettings;
    await writeTenantSetting(database, BILLING_SETTINGS_KEY, { ...before, dueDays: 12 }, 0);
    expect(await readBillingSettings(database)).toMatchObject({ dueDays: 12, wholeShillings: true });
  });
});
