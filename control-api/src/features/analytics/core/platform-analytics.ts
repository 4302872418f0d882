// Platform analytics for the operator: MRR, ARR, active ISPs, ARPU, churn, trial conversion, tiers, months, cohorts.
//
// Every figure is computed from each ISP's platform account history (which phase and tier it was in
// from when) and the platform payments received, at instants given by the caller's clock. Months are
// local calendar months in Nairobi. The README states each definition as computed here.
import { type Cents, cents } from '@kiunga/schemas';
import { z } from 'zod';
import {
  dateOfMonthIndex,
  formatLocalDate,
  localDateOf,
  localMidnightMs,
  monthIndexOf,
} from '../../../billing/core/calendar';
import {
  type PlatformTier,
  TIER1_MONTHLY_FEE_CENTS,
  TIER2_MONTHLY_FEE_CENTS,
} from '../../../platform-billing/core/tiers';

/** Three years of months: enough for a cohort table; a longer view is a report, not a dashboard. */
export const ANALYTICS_MONTHS_MAX = 36;

export const analyticsQuerySchema = z.object({
  months: z.coerce.number().int().min(1).max(ANALYTICS_MONTHS_MAX).default(12),
});

/**
 * An ISP's platform account phase: trial, active (paid up), grace (unpaid, within the week's grace),
 * restricted (unpaid past grace: read-only console), suspended or archived by the operator.
 */
export type PlatformAccountPhase = 'trial' | 'active' | 'grace' | 'restricted' | 'suspended' | 'archived';

/** The phase and tier an ISP was in from `fromMs` until the next span. */
export interface IspAccountSpan {
  readonly fromMs: number;
  readonly phase: PlatformAccountPhase;
  readonly tier: PlatformTier;
}

export interface IspAnalyticsFacts {
  readonly tenantId: string;
  readonly signedUpAtMs: number;
  readonly trialEndsAtMs: number;
  /** Ascending by `fromMs`, the first at sign-up. */
  readonly spans: readonly IspAccountSpan[];
}

export interface PlatformPaymentFact {
  readonly tenantId: string;
  readonly receivedAtMs: number;
  readonly amountCents: number;
}

export interface AnalyticsMonth {
  /** `YYYY-MM` */
  readonly month: string;
  readonly mrrCents: Cents;
  readonly newIsps: number;
  readonly churnedIsps: number;
  readonly logoChurnRate: number;
  readonly revenueChurnRate: number;
  readonly revenueCents: Cents;
}

export interface CohortRow {
  readonly cohort: string;
  readonly signedUp: number;
  /** ISPs of the cohort in good standing at the end of its month, the month after, … up to now. */
  readonly inGoodStanding: number[];
}

export interface PlatformAnalytics {
  readonly mrrCents: Cents;
  readonly arrCents: Cents;
  readonly activeIsps: number;
  readonly arpuCents: Cents;
  /** The last complete month's. */
  readonly churn: { readonly logoRate: number; readonly revenueRate: number };
  readonly trialConversionRate: number;
  readonly tiers: { readonly trial: number; readonly tier1: number; readonly tier2: number };
  readonly months: AnalyticsMonth[];
  readonly cohorts: CohortRow[];
}

/** Rates to four decimals, from integers: 0.0833 is 8.33 %. */
function rate(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator * 10_000) / denominator) / 10_000;
}

function spanAt(isp: IspAnalyticsFacts, atMs: number): IspAccountSpan | null {
  let found: IspAccountSpan | null = null;
  for (const span of isp.spans) {
    if (span.fromMs > atMs) break;
    found = span;
  }
  return found;
}

/** Good standing: past its trial, paid up or within grace, on a paid tier, not suspended or archived. */
export function paidTierAt(isp: IspAnalyticsFacts, atMs: number): 'tier1' | 'tier2' | null {
  const span = spanAt(isp, atMs);
  if (span === null || (span.phase !== 'active' && span.phase !== 'grace')) return null;
  return span.tier === 'trial' ? null : span.tier;
}

/** The platform fee of an ISP in good standing, per month; 0 otherwise. */
export function monthlyFeeAt(isp: IspAnalyticsFacts, atMs: number): number {
  const tier = paidTierAt(isp, atMs);
  if (tier === 'tier1') return TIER1_MONTHLY_FEE_CENTS;
  if (tier === 'tier2') return TIER2_MONTHLY_FEE_CENTS;
  return 0;
}

interface MonthWindow {
  readonly label: string;
  readonly startMs: number;
  /** The month's last instant considered: its end, or now for the current month. */
  readonly lastMs: number;
  readonly endMs: number;
}

function monthWindows(months: number, nowMs: number): MonthWindow[] {
  const current = monthIndexOf(localDateOf(nowMs));
  return Array.from({ length: months }, (_, offset) => {
    const monthIndex = current - months + 1 + offset;
    const startMs = localMidnightMs(dateOfMonthIndex(monthIndex, 1));
    const endMs = localMidnightMs(dateOfMonthIndex(monthIndex + 1, 1));
    return {
      label: formatLocalDate(dateOfMonthIndex(monthIndex, 1)).slice(0, 7),
      startMs,
      lastMs: Math.min(endMs, nowMs + 1) - 1,
      endMs,
    };
  });
}

function analyseMonth(
  isps: readonly IspAnalyticsFacts[],
  payments: readonly PlatformPaymentFact[],
  window: MonthWindow,
): AnalyticsMonth {
  let mrr = 0;
  let startMrr = 0;
  let lostMrr = 0;
  let activeAtStart = 0;
  let churned = 0;
  let newIsps = 0;
  for (const isp of isps) {
    const feeAtStart = monthlyFeeAt(isp, window.startMs - 1);
    const feeAtEnd = monthlyFeeAt(isp, window.lastMs);
    mrr += feeAtEnd;
    if (isp.signedUpAtMs >= window.startMs && isp.signedUpAtMs < window.endMs) newIsps += 1;
    if (feeAtStart === 0) continue;
    activeAtStart += 1;
    startMrr += feeAtStart;
    lostMrr += Math.max(0, feeAtStart - feeAtEnd);
    if (feeAtEnd === 0) churned += 1;
  }
  let revenue = 0;
  for (const payment of payments) {
    if (payment.receivedAtMs >= window.startMs && payment.receivedAtMs <= window.lastMs)
      revenue += payment.amountCents;
  }
  return {
    month: window.label,
    mrrCents: cents(mrr),
    newIsps,
    churnedIsps: churned,
    logoChurnRate: rate(churned, activeAtStart),
    revenueChurnRate: rate(lostMrr, startMrr),
    revenueCents: cents(revenue),
  };
}

function cohortTable(isps: readonly IspAnalyticsFacts[], windows: readonly MonthWindow[]): CohortRow[] {
  return windows.flatMap((cohort, cohortPosition) => {
    const members = isps.filter(
      (isp) => isp.signedUpAtMs >= cohort.startMs && isp.signedUpAtMs < cohort.endMs,
    );
    if (members.length === 0) return [];
    const inGoodStanding = windows
      .slice(cohortPosition)
      .map((window) => members.filter((isp) => monthlyFeeAt(isp, window.lastMs) > 0).length);
    return [{ cohort: cohort.label, signedUp: members.length, inGoodStanding }];
  });
}

export function computePlatformAnalytics(input: {
  readonly isps: readonly IspAnalyticsFacts[];
  readonly payments: readonly PlatformPaymentFact[];
  readonly months: number;
  readonly nowMs: number;
}): PlatformAnalytics {
  const windows = monthWindows(input.months, input.nowMs);
  const months = windows.map((window) => analyseMonth(input.isps, input.payments, window));
  const fees = input.isps.map((isp) => monthlyFeeAt(isp, input.nowMs));
  const mrr = fees.reduce((sum, fee) => sum + fee, 0);
  const activeIsps = fees.filter((fee) => fee > 0).length;
  const firstMs = windows[0]?.startMs ?? input.nowMs;
  const trialsEnded = input.isps.filter(
    (isp) => isp.trialEndsAtMs >= firstMs && isp.trialEndsAtMs <= input.nowMs,
  );
  const converted = trialsEnded.filter((isp) =>
    isp.spans.some(
      (span) => span.phase === 'active' && span.fromMs >= isp.trialEndsAtMs && span.fromMs <= input.nowMs,
    ),
  );
  const lastComplete = months.length >= 2 ? months[months.length - 2] : undefined;
  return {
    mrrCents: cents(mrr),
    arrCents: cents(12 * mrr),
    activeIsps,
    // Rounded to the nearest cent, halves up.
    arpuCents: cents(activeIsps === 0 ? 0 : Math.floor((2 * mrr + activeIsps) / (2 * activeIsps))),
    churn: { logoRate: lastComplete?.logoChurnRate ?? 0, revenueRate: lastComplete?.revenueChurnRate ?? 0 },
    trialConversionRate: rate(converted.length, trialsEnded.length),
    tiers: {
      trial: input.isps.filter((isp) => spanAt(isp, input.nowMs)?.phase === 'trial').length,
      tier1: input.isps.filter((isp) => paidTierAt(isp, input.nowMs) === 'tier1').length,
      tier2: input.isps.filter((isp) => paidTierAt(isp, input.nowMs) === 'tier2').length,
    },
    months,
    cohorts: cohortTable(input.isps, windows),
  };
}
