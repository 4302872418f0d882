// Platform analytics as the operator reads them: MRR, churn, conversion, tiers, months and cohorts.
import { shillingsToCents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyticsMonthsCsv } from './analytics-documents';
import {
  analyticsQuerySchema,
  computePlatformAnalytics,
  type IspAnalyticsFacts,
  monthlyFeeAt,
  type PlatformAccountPhase,
} from './platform-analytics';

const DAY_MS = 86_400_000;
/** Local midnights in Nairobi (UTC+3). */
const JAN_1 = Date.UTC(2029, 11, 31, 21);
const FEB_1 = Date.UTC(2030, 0, 31, 21);
const MAR_1 = Date.UTC(2030, 1, 28, 21);
const NOW = MAR_1 + 10 * DAY_MS;

function isp(
  tenantId: string,
  signedUpAtMs: number,
  spans: Array<[number, PlatformAccountPhase, 'trial' | 'tier1' | 'tier2']>,
): IspAnalyticsFacts {
  return {
    tenantId,
    signedUpAtMs,
    trialEndsAtMs: signedUpAtMs + DAY_MS,
    spans: spans.map(([fromMs, phase, tier]) => ({ fromMs, phase, tier })),
  };
}

describe('computePlatformAnalytics', () => {
  const isps = [
    // Tier 1 since January, paying.
    isp('a', JAN_1 + DAY_MS, [
      [JAN_1 + DAY_MS, 'trial', 'trial'],
      [JAN_1 + 2 * DAY_MS, 'active', 'tier1'],
    ]),
    // Tier 2 in January, restricted (unpaid) from 20 February: churned in February.
    isp('b', JAN_1 + 3 * DAY_MS, [
      [JAN_1 + 3 * DAY_MS, 'trial', 'trial'],
      [JAN_1 + 4 * DAY_MS, 'active', 'tier2'],
      [FEB_1 + 19 * DAY_MS, 'restricted', 'tier2'],
    ]),
    // Signed up in February, trial ended unpaid, in grace now (still in good standing): not converted.
    isp('c', FEB_1 + 5 * DAY_MS, [
      [FEB_1 + 5 * DAY_MS, 'trial', 'trial'],
      [FEB_1 + 6 * DAY_MS, 'grace', 'tier1'],
    ]),
    // In trial now.
    isp('d', NOW - DAY_MS / 2, [[NOW - DAY_MS / 2, 'trial', 'trial']]),
  ];
  const payments = [
    { tenantId: 'a', receivedAtMs: JAN_1 + 2 * DAY_MS, amountCents: shillingsToCents(1_000) },
    { tenantId: 'b', receivedAtMs: JAN_1 + 4 * DAY_MS, amountCents: shillingsToCents(1_500) },
    { tenantId: 'a', receivedAtMs: FEB_1 + DAY_MS, amountCents: shillingsToCents(500) },
  ];
  const analytics = computePlatformAnalytics({ isps, payments, months: 3, nowMs: NOW });

  it('gives MRR of ISPs in good standing now, ARR, active ISPs and ARPU', () => {
    expect(analytics.mrrCents).toBe(shillingsToCents(1_000));
    expect(analytics.arrCents).toBe(shillingsToCents(12_000));
    expect(analytics.activeIsps).toBe(2);
    expect(analytics.arpuCents).toBe(shillingsToCents(500));
    expect(analytics.tiers).toEqual({ trial: 1, tier1: 2, tier2: 0 });
  });

  it('gives each month its MRR, new and churned ISPs, churn rates and revenue', () => {
    expect(analytics.months).toEqual([
      {
        month: '2030-01',
        mrrCents: 200_000,
        newIsps: 2,
        churnedIsps: 0,
        logoChurnRate: 0,
        revenueChurnRate: 0,
        revenueCents: 250_000,
      },
      {
        month: '2030-02',
        mrrCents: 100_000,
        newIsps: 1,
        churnedIsps: 1,
        logoChurnRate: 0.5,
        revenueChurnRate: 0.75,
        revenueCents: 50_000,
      },
      {
        month: '2030-03',
        mrrCents: 100_000,
        newIsps: 1,
        churnedIsps: 0,
        logoChurnRate: 0,
        revenueChurnRate: 0,
        revenueCents: 0,
      },
    ]);
    expect(analytics.churn).toEqual({ logoRate: 0.5, revenueRate: 0.75 });
  });

  it('counts trial conversion over trials that ended in the window', () => {
    // a and b paid after their trials; c did not (grace is not a payment).
    expect(analytics.trialConversionRate).toBe(0.6667);
  });

  it('follows each sign-up cohort month by month', () => {
    expect(analytics.cohorts).toEqual([
      { cohort: '2030-01', signedUp: 2, inGoodStanding: [2, 1, 1] },
      { cohort: '2030-02', signedUp: 1, inGoodStanding: [1, 1] },
      { cohort: '2030-03', signedUp: 1, inGoodStanding: [0] },
    ]);
  });

  it('exports the months as CSV', () => {
    expect(analyticsMonthsCsv(analytics).split('\r\n')[2]).toBe('2030-02,100000,1,1,0.5,0.75,50000');
  });

  it('takes 1 to 36 months, 12 by default', () => {
    expect(analyticsQuerySchema.parse({})).toEqual({ months: 12 });
    expect(analyticsQuerySchema.safeParse({ months: '37' }).success).toBe(false);
  });
});

describe('computePlatformAnalytics over random platforms', () => {
  const phase = fc.constantFrom<PlatformAccountPhase>(
    'trial',
    'active',
    'grace',
    'restricted',
    'suspended',
    'archived',
  );
  const ispArbitrary = fc
    .record({
      id: fc.nat(),
      signedUpAtMs: fc.integer({ min: JAN_1 - 400 * DAY_MS, max: NOW }),
      changes: fc.array(
        fc.record({
          afterDays: fc.integer({ min: 1, max: 90 }),
          phase,
          tier: fc.constantFrom('tier1' as const, 'tier2' as const),
        }),
        { maxLength: 6 },
      ),
    })
    .map(({ id, signedUpAtMs, changes }): IspAnalyticsFacts => {
      let atMs = signedUpAtMs;
      const spans = [
        { fromMs: signedUpAtMs, phase: 'trial' as const, tier: 'trial' as const },
        ...changes.map((change) => {
          atMs += change.afterDays * DAY_MS;
          return { fromMs: atMs, phase: change.phase, tier: change.tier };
        }),
      ];
      return { tenantId: `t${id}`, signedUpAtMs, trialEndsAtMs: signedUpAtMs + DAY_MS, spans };
    });

  it('adds up: months’ new ISPs and revenue, tiers against MRR, cohorts against sign-ups', () => {
    fc.assert(
      fc.property(
        fc.array(ispArbitrary, { maxLength: 25 }),
        fc.array(
          fc.record({
            atMs: fc.integer({ min: JAN_1 - 400 * DAY_MS, max: NOW }),
            amount: fc.integer({ min: 0, max: 500_000 }),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 18 }),
        (isps, rawPayments, months) => {
          const payments = rawPayments.map((payment) => ({
            tenantId: 't0',
            receivedAtMs: payment.atMs,
            amountCents: payment.amount,
          }));
          const analytics = computePlatformAnalytics({ isps, payments, months, nowMs: NOW });
          const firstMonth = analytics.months[0]!.month;
          const windowStartMs =
            Date.UTC(Number(firstMonth.slice(0, 4)), Number(firstMonth.slice(5)) - 1, 1) - 3 * 3_600_000;
          const inWindow = (atMs: number) => atMs >= windowStartMs && atMs <= NOW;
          expect(analytics.months).toHaveLength(months);
          expect(analytics.months.reduce((sum, month) => sum + month.newIsps, 0)).toBe(
            isps.filter((item) => inWindow(item.signedUpAtMs)).length,
          );
          expect(analytics.months.reduce((sum, month) => sum + month.revenueCents, 0)).toBe(
            payments
              .filter((item) => inWindow(item.receivedAtMs))
              .reduce((sum, item) => sum + item.amountCents, 0),
          );
          expect(analytics.mrrCents).toBe(isps.reduce((sum, item) => sum + monthlyFeeAt(item, NOW), 0));
          expect(analytics.mrrCents).toBe(
            analytics.tiers.tier1 * shillingsToCents(500) + analytics.tiers.tier2 * shillingsToCents(1_500),
          );
          expect(analytics.activeIsps).toBe(analytics.tiers.tier1 + analytics.tiers.tier2);
          expect(analytics.arrCents).toBe(12 * analytics.mrrCents);
          expect(analytics.months.at(-1)!.mrrCents).toBe(analytics.mrrCents);
          expect(analytics.cohorts.reduce((sum, row) => sum + row.signedUp, 0)).toBe(
            isps.filter((item) => inWindow(item.signedUpAtMs)).length,
          );
          for (const month of analytics.months) {
            expect(month.logoChurnRate).toBeGreaterThanOrEqual(0);
            expect(month.logoChurnRate).toBeLessThanOrEqual(1);
            expect(month.revenueChurnRate).toBeLessThanOrEqual(1);
          }
          for (const row of analytics.cohorts)
            expect(Math.max(...row.inGoodStanding)).toBeLessThanOrEqual(row.signedUp);
        },
      ),
    );
  });
});
