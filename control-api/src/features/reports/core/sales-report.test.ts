// The sales report: per local day, plan and channel, with sums that always agree.
import { cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSalesReport, SALES_CHANNELS, type SaleRecord } from './sales-report';

const HOUR_MS = 3_600_000;
/** Local midnight, 1 March 2030, Nairobi. */
const MARCH_1 = Date.UTC(2030, 1, 28, 21);
const MARCH = { fromMs: MARCH_1, toMs: MARCH_1 + 31 * 24 * HOUR_MS };

describe('buildSalesReport', () => {
  it('groups by local day (a sale at 23:30 UTC on 1 March is 2 March in Nairobi), plan and channel', () => {
    const sales: SaleRecord[] = [
      { atMs: MARCH_1 + HOUR_MS, amountCents: 5_000, planId: 'pln_day', channel: 'portal_stk' },
      { atMs: MARCH_1 + 2 * HOUR_MS, amountCents: 5_000, planId: 'pln_day', channel: 'portal_stk' },
      { atMs: MARCH_1 + 3 * HOUR_MS, amountCents: 150_000, planId: null, channel: 'c2b_paybill' },
      {
        atMs: Date.UTC(2030, 2, 1, 23, 30),
        amountCents: 2_000,
        planId: 'pln_hour',
        channel: 'voucher_sheet',
      },
      // Outside the range.
      { atMs: MARCH_1 - 1, amountCents: 999_999, planId: 'pln_day', channel: 'portal_stk' },
    ];
    const report = buildSalesReport(sales, MARCH);
    expect(report.rows).toEqual([
      { day: '2030-03-01', planId: 'pln_day', channel: 'portal_stk', count: 2, amountCents: 10_000 },
      { day: '2030-03-01', planId: null, channel: 'c2b_paybill', count: 1, amountCents: 150_000 },
      { day: '2030-03-02', planId: 'pln_hour', channel: 'voucher_sheet', count: 1, amountCents: 2_000 },
    ]);
    expect(report.totals).toEqual({ count: 4, amountCents: 162_000 });
    expect(report.byChannel).toEqual([
      { channel: 'portal_stk', count: 2, amountCents: 10_000 },
      { channel: 'c2b_paybill', count: 1, amountCents: 150_000 },
      { channel: 'voucher_sheet', count: 1, amountCents: 2_000 },
    ]);
  });

  it('refuses an amount that is not integer cents', () => {
    expect(() =>
      buildSalesReport([{ atMs: MARCH_1, amountCents: 10.5, planId: null, channel: 'manual' }], MARCH),
    ).toThrow(RangeError);
  });

  it('adds up: rows, days, plans and channels all total every sale in the range', () => {
    const sale = fc.record({
      atMs: fc.integer({ min: MARCH_1 - 5 * 24 * HOUR_MS, max: MARCH.toMs + 5 * 24 * HOUR_MS }),
      amountCents: fc.integer({ min: -50_000, max: 10_000_000 }),
      planId: fc.constantFrom(null, 'pln_a', 'pln_b', 'pln_c'),
      channel: fc.constantFrom(...SALES_CHANNELS),
    });
    fc.assert(
      fc.property(fc.array(sale, { maxLength: 300 }), (sales) => {
        const report = buildSalesReport(sales, MARCH);
        const inRange = sales.filter((item) => item.atMs >= MARCH.fromMs && item.atMs < MARCH.toMs);
        const expected = {
          count: inRange.length,
          amountCents: cents(inRange.reduce((sum, item) => sum + item.amountCents, 0)),
        };
        expect(report.totals).toEqual(expected);
        for (const grouping of [report.rows, report.byDay, report.byPlan, report.byChannel]) {
          expect(grouping.reduce((sum, item) => sum + item.count, 0)).toBe(expected.count);
          expect(grouping.reduce((sum, item) => sum + item.amountCents, 0)).toBe(expected.amountCents);
        }
      }),
    );
  });
});
