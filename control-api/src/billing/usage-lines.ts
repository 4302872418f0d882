// Usage rating in the billing run (issue 12): the data a subscriber used beyond its plan's allowance in
// the cycle that just ended becomes a line on the invoice of the next cycle, rated by the usage core
// (integer cents, cumulative floor: features/usage/core/usage-rating.ts). Exactly once per cycle
// because that invoice is made once: a rerun of the billing job finds it and makes nothing.
import { cents, type SqlDatabase } from '@kiunga/schemas';
import { rateUsage } from '../features/usage/core/index';
import { usageBytesBetween } from '../features/usage/store';
import { type Invoice, withExtraLines } from './core/invoices';
import type { InvoiceLine } from './core/lines';
import type { InvoiceUnitCents } from './core/units';

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
): Promise<InvoiceLine | null> {
  if (plan.includedBytes === null || plan.pricePerGigabyteCents === null) return null;
  const usageBytes = await usageBytesBetween(
    database,
    'subscriber',
    subscriberId,
    period.startMs,
    period.endMs,
  );
  return rateUsage({
    plan: { id: plan.id, name: plan.name },
    pricing: { includedBytes: plan.includedBytes, pricePerGigabyteCents: cents(plan.pricePerGigabyteCents) },
    unitCents,
    usageBytes,
    alreadyRatedBytes: 0,
    periodStartMs: period.startMs,
    periodEndMs: period.endMs,
  });
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
  for (const invoice of invoices) {
    const previous = previousPeriods.get(invoice.subscriberId);
    const plan = plansBySubscriber.get(invoice.subscriberId);
    const line =
      previous && plan && previous.endMs <= nowMs
        ? await usageLineOf(database, invoice.subscriberId, plan, previous, unitCents)
        : null;
    result.push(line ? withExtraLines(invoice, [line]) : invoice);
    previousPeriods.set(invoice.subscriberId, { startMs: invoice.periodStartMs, endMs: invoice.periodEndMs });
  }
  return result;
}
