// Property test through the store (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres): whatever
// payments are recorded, matched later, recorded many in one statement or removed, the sales report
// read from sales_daily_totals and sales_hourly_totals plus the partial hours at the edges equals the
// report read from payments alone, for any range.
import type { SqlDatabase, SqlValue } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../billing/core/calendar';
import { buildSalesReport } from './core';
import { salesRecordsFromPaymentsOf, salesRecordsOf } from './store';

const testDatabases = useTestDatabases();
let tenantCounter = 0;

/** Local (Nairobi) midnight starting 1 March 2030; payments fall in the 4 days from there. */
const WINDOW_START_MS = Date.UTC(2030, 2, 1) - 3 * 60 * 60 * 1000;
const WINDOW_DAYS = 4;
const PLAN_IDS = ['pln_a', 'pln_b'];
const PURCHASE_IDS = ['pur_0', 'pur_1', 'pur_2'];
const VOUCHER_IDS = ['vou_0', 'vou_1', 'vou_2'];

const HOUR_MS = 3_600_000;

/** Instants that matter most (local midnights, hours, and either side of them), and any instant of the window. */
const instantArbitrary = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: WINDOW_DAYS }), fc.constantFrom(-1, 0, 1))
    .map(([day, offset]) => WINDOW_START_MS + day * DAY_MS + offset),
  fc
    .tuple(fc.integer({ min: 0, max: WINDOW_DAYS * 24 }), fc.constantFrom(-1, 0, 1))
    .map(([hour, offset]) => WINDOW_START_MS + hour * HOUR_MS + offset),
  fc.integer({ min: WINDOW_START_MS - 1, max: WINDOW_START_MS + WINDOW_DAYS * DAY_MS }),
);

const paymentArbitrary = fc.record({
  provider: fc.constantFrom('mpesa_stk', 'mpesa_c2b', 'manual'),
  match: fc.constantFrom('purchase', 'voucher', 'subscriber', 'unmatched'),
  target: fc.integer({ min: 0, max: 2 }),
  amountCents: fc.integer({ min: -50_000, max: 5_000_000 }),
  atMs: instantArbitrary,
});
type PaymentInput = typeof paymentArbitrary extends fc.Arbitrary<infer Input> ? Input : never;

type Operation =
  | { kind: 'record'; payments: PaymentInput[] }
  | { kind: 'match'; payment: number; subscriber: number }
  | { kind: 'remove'; payment: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      payments: fc.array(paymentArbitrary, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('match' as const), payment: fc.nat(), subscriber: fc.nat(9) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), payment: fc.nat() }) },
);

async function seedPlansPurchasesAndVouchers(database: SqlDatabase): Promise<void> {
  for (const planId of PLAN_IDS) {
    await database.run(
      `INSERT INTO plans (id, name, kind, price_cents, validity_seconds, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, ?, 'hotspot', 3000, 7200, 512, 1024, 0, 0)`,
      [planId, planId],
    );
  }
  for (const [index, purchaseId] of PURCHASE_IDS.entries()) {
    await database.run(
      `INSERT INTO purchases (id, plan_id, phone, amount_cents, status, created_at, updated_at)
       VALUES (?, ?, '254700000000', 3000, 'paid', 0, 0)`,
      [purchaseId, PLAN_IDS[index % PLAN_IDS.length] ?? null],
    );
  }
  for (const [index, voucherId] of VOUCHER_IDS.entries()) {
    // Vouchers a payment may be matched to (the payment then sells the voucher's plan).
    await database.run(
      `INSERT INTO vouchers (id, code, plan_id, batch_id, price_cents, validity_seconds, device_limit, rate_limit,
                             status, first_used_at, created_at)
       VALUES (?, ?, ?, NULL, 3000, 7200, 2, '512k/1M', 'active', ?, 0)`,
      [
        voucherId,
        `CODE-${voucherId}`,
        PLAN_IDS[(index + 1) % PLAN_IDS.length] ?? null,
        WINDOW_START_MS + index * DAY_MS,
      ],
    );
  }
}

async function apply(database: SqlDatabase, operations: readonly Operation[]): Promise<void> {
  const recorded: string[] = [];
  for (const operation of operations) {
    if (operation.kind === 'record') {
      // Several payments in one statement: PostgreSQL's statement-level trigger sees them together.
      const values: SqlValue[] = [];
      for (const payment of operation.payments) {
        const id = `pay_${recorded.length}`;
        recorded.push(id);
        const matchedId =
          payment.match === 'purchase'
            ? (PURCHASE_IDS[payment.target] ?? null)
            : payment.match === 'voucher'
              ? (VOUCHER_IDS[payment.target] ?? null)
              : payment.match === 'subscriber'
                ? `sub_${payment.target}`
                : null;
        const matchedKind = payment.match === 'unmatched' ? null : payment.match;
        values.push(id, payment.provider, `R-${id}`, payment.amountCents, matchedKind, matchedId);
        values.push(matchedKind === null ? 'unmatched' : 'matched', payment.atMs);
      }
      await database.run(
        `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, matched_kind, matched_id, status, received_at)
         VALUES ${operation.payments.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        values,
      );
    } else if (recorded.length > 0) {
      const id = recorded[operation.payment % recorded.length] ?? null;
      if (operation.kind === 'match')
        await database.run(
          `UPDATE payments SET matched_kind = 'subscriber', matched_id = ?, status = 'matched'
            WHERE id = ? AND status = 'unmatched'`,
          [`sub_${operation.subscriber}`, id],
        );
      else await database.run('DELETE FROM payments WHERE id = ?', [id]);
    }
  }
}

describe('the sales report from daily totals', () => {
  it('equals the report read from payments alone, for any payments and any range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(operationArbitrary, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(instantArbitrary, instantArbitrary), { minLength: 1, maxLength: 6 }),
        async (operations, ranges) => {
          const database = await testDatabases().createTenantDatabase(`ten_sales${tenantCounter++}`);
          await seedPlansPurchasesAndVouchers(database);
          await apply(database, operations);
          for (const [left, right] of ranges) {
            if (left === right) continue;
            const range = { fromMs: Math.min(left, right), toMs: Math.max(left, right) };
            const fromTotals = buildSalesReport(await salesRecordsOf(database, range), range);
            const fromPayments = buildSalesReport(await salesRecordsFromPaymentsOf(database, range), range);
            expect(fromTotals).toEqual(fromPayments);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
