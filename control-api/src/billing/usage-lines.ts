// Usage rating in the billing run (issue 12): the data a subscriber used beyond its plan's allowance in
// the cycle that just ended becomes a line on the invoice of the next cycle, rated by the usage core
// (integer cents, cumulative floor: features/usage/core/usage-rating.ts). Exactly once per cycle
// because that invoice is made once: a rerun of the billing job finds it and makes nothing. Usage of
// that cycle metered after the run is charged on the invoice after, from what the run rated
// (usage_rated_periods), so a period's charges add up to what its whole usage comes to.
import { cents, type SqlDatabase } from '@kiunga/schemas';
import { rateUsage, type UsageInvoiceLine } from '../features/usage/core/index';
import { usageBytesBetween } from '../features/usage/store';
import { type Invoice, withExtraLines } from './core/invoices';
import type { InvoiceLine } from './core/lines';
import type { InvoiceUnitCents } from './core/units';
import {
  hasRatedPeriods,
  type RatedPeriod,
  readRatedPeriodEndingBy,
  saveRatedPeriod,
} from './rated-usage-store';

/** A plan's usage pricing as stored: both null when the plan does not price usage. */
export interface UsagePricedPlan {
  id: string;
  name: string;
  includedBytes: number | null;
  pricePerGigabyteCents: number | null;
}

/** A billing period [startMs, endMs) already invoiced. */
export interface BilledPeriod {
  startMs: number;
  endMs: number;
}

/** The usage line for `period` on `plan`, or null when the plan prices no usage or none is beyond the allowance. */
export async function usageLineOf(
  database: SqlDatabase,
  subscriberId: string,
  plan: UsagePricedPlan,
  period: BilledPeriod,
  unitCents: InvoiceUnitCents,
  nowMs: number,
): Promise<InvoiceLine | null> {
  if (plan.includedBytes === null || plan.pricePerGigabyteCents === null) return null;
  const rated: RatedPeriod = {
    subscriberId,
    periodStartMs: period.startMs,
    periodEndMs: period.endMs,
    planId: plan.id,
    planName: plan.name,
    includedBytes: plan.includedBytes,
    pricePerGigabyteCents: plan.pricePerGigabyteCents,
    ratedBytes: 0,
  };
  return rateRemainder(database, rated, unitCents, nowMs, true);
}

/**
 * The line for the period's usage not rated yet (all of it the first time), with the pricing it was
 * first rated with; records what is now rated, even when it comes to nothing (the cumulative floor
 * needs the bytes, not the charges).
 */
async function rateRemainder(
  database: SqlDatabase,
  period: RatedPeriod,
  unitCents: InvoiceUnitCents,
  nowMs: number,
  isFirstRating: boolean,
): Promise<UsageInvoiceLine | null> {
  const usageBytes = await usageBytesBetween(
    database,
    'subscriber',
    period.subscriberId,
    period.periodStartMs,
    period.periodEndMs,
  );
  // Nothing metered since: nothing to rate or record (rollups only grow).
  if (!isFirstRating && usageBytes <= period.ratedBytes) return null;
  const line = rateUsage({
    plan: { id: period.planId, name: period.planName },
    pricing: {
      includedBytes: period.includedBytes,
      pricePerGigabyteCents: cents(period.pricePerGigabyteCents),
    },
    unitCents,
    usageBytes,
    alreadyRatedBytes: period.ratedBytes,
    periodStartMs: period.periodStartMs,
    periodEndMs: period.periodEndMs,
  });
  await saveRatedPeriod(database, { ...period, ratedBytes: usageBytes }, nowMs);
  return line;
}

/**
 * The line for usage of the subscriber's rated period ending by `endMs` that was metered after it was
 * rated (its record came after the billing run), or null. Looks one period back: accounting a whole
 * cycle late is not charged.
 */
async function lateUsageLineOf(
  database: SqlDatabase,
  subscriberId: string,
  endMs: number,
  unitCents: InvoiceUnitCents,
  nowMs: number,
): Promise<InvoiceLine | null> {
  const rated = await readRatedPeriodEndingBy(database, subscriberId, endMs);
  if (rated === undefined) return null;
  const line = await rateRemainder(database, rated, unitCents, nowMs, false);
  return line && { ...line, description: `Reported late: ${line.description}` };
}

/**
 * Adds to each new invoice the usage line of the subscriber's period before it: the last invoiced
 * one for its first new invoice, the previous new one for a caught-up cycle. A period is rated once it
 * has ended at `nowMs`, with the plan the subscriber is on at the run (`plansBySubscriber`).
 */
export async function addUsageLines(
  database: SqlDatabase,
  invoices: readonly Invoice[],
  lastBilledPeriods: ReadonlyMap<string, BilledPeriod>,
  plansBySubscriber: ReadonlyMap<string, UsagePricedPlan>,
  unitCents: InvoiceUnitCents,
  nowMs: number,
): Promise<Invoice[]> {
  const previousPeriods = new Map(lastBilledPeriods);
  const result: Invoice[] = [];
  // A period rated in this run has nothing metered since: only periods rated before can be late.
  const mayHaveLateUsage = invoices.length > 0 && (await hasRatedPeriods(database));
  for (const invoice of invoices) {
    const previous = previousPeriods.get(invoice.subscriberId);
    const plan = plansBySubscriber.get(invoice.subscriberId);
    const lines: InvoiceLine[] = [];
    if (previous && previous.endMs <= nowMs) {
      const line = plan
        ? await usageLineOf(database, invoice.subscriberId, plan, previous, unitCents, nowMs)
        : null;
      if (line) lines.push(line);
      const late = mayHaveLateUsage
        ? await lateUsageLineOf(database, invoice.subscriberId, previous.startMs, unitCents, nowMs)
        : null;
      if (late) lines.push(late);
    }
    result.push(lines.length > 0 ? withExtraLines(invoice, lines) : invoice);
    previousPeriods.set(invoice.subscriberId, { startMs: invoice.periodStartMs, endMs: invoice.periodEndMs });
  }
  return result;
}
