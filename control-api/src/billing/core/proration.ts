// Proration by whole local days, with a rounding rule under which no cent is created or lost.
//
// Rounding rule ("cumulative floor"): the part of a cycle price P earned by the first k of the
// cycle's D days is share(k) = floor(P × k / D), computed in BigInt. The charge for days
// [a, b) is share(b) − share(a). share(0) = 0 and share(D) = P, so the parts of any split of a
// cycle into consecutive segments add up to exactly P: a mid-cycle start pays share(D) −
// share(a) (the remainder, i.e. ceil(P × (D − a) / D)), and a plan change on day c credits the
// old plan share_old(D) − share_old(c) and charges the new plan share_new(D) − share_new(c).
// Each segment is within one cent of the exact fraction; the cents that floor() drops from
// the early days are the ones the later days carry, so charges and credits across a cycle
// telescope exactly. A day is counted from local midnight (EAT): a change at 14:00 on day c
// takes effect from the start of day c (the new plan pays for the whole day).
//
// The rule works in the ISP's invoice unit (units.ts): with whole shillings (the default) the
// floor is taken in shillings, share(k) = floor(P/100 × k / D) × 100, so every part is whole
// shillings and the parts of a cycle still sum to exactly P (a whole-shilling price); with cents
// the unit is one cent and the formula above is the same.
import { type Cents, cents } from '@kiunga/schemas';
import { DAY_MS, formatLocalDate, localDateOf, startOfLocalDayMs, wholeDaysBetween } from './calendar';
import type { Cycle } from './cycles';
import type { BillingPlan, InvoiceLine } from './lines';
import { type InvoiceUnitCents, isWholeUnits } from './units';

/** floor(price × elapsedDays / cycleDays) in whole units, in exact integer arithmetic. */
export function cumulativeShare(
  priceCents: Cents,
  elapsedDays: number,
  cycleDays: number,
  unitCents: InvoiceUnitCents,
): Cents {
  if (!Number.isInteger(elapsedDays) || elapsedDays < 0 || elapsedDays > cycleDays) {
    throw new RangeError(`elapsed days ${elapsedDays} outside 0..${cycleDays}`);
  }
  if (priceCents < 0) throw new RangeError('plan prices are not negative');
  if (!isWholeUnits(priceCents, unitCents)) {
    throw new RangeError(`price ${priceCents} is not a whole number of ${unitCents}-cent units`);
  }
  const units = (BigInt(priceCents / unitCents) * BigInt(elapsedDays)) / BigInt(cycleDays);
  return cents(Number(units) * unitCents);
}

/** The charge for days [fromDay, toDay) of a cycle under the cumulative-floor rule. */
export function portionForDays(
  priceCents: Cents,
  cycle: Cycle,
  fromDay: number,
  toDay: number,
  unitCents: InvoiceUnitCents,
): Cents {
  if (fromDay > toDay) throw new RangeError('fromDay after toDay');
  return cents(
    cumulativeShare(priceCents, toDay, cycle.days, unitCents) -
      cumulativeShare(priceCents, fromDay, cycle.days, unitCents),
  );
}

/** Index of the local day an instant falls on, 0 = the cycle's first day. */
export function dayOfCycle(cycle: Cycle, timeMs: number): number {
  if (timeMs < cycle.startMs || timeMs >= cycle.endMs) {
    throw new RangeError(`instant ${timeMs} is outside cycle ${cycle.key}`);
  }
  return wholeDaysBetween(cycle.startMs, startOfLocalDayMs(timeMs));
}

/** Charge for the remaining part of the cycle when service starts mid-cycle. */
export function prorateStart(plan: BillingPlan, cycle: Cycle, startAtMs: number): InvoiceLine {
  const fromDay = dayOfCycle(cycle, startAtMs);
  return periodLine('proration_charge', plan, cycle, fromDay, 1);
}

/**
 * Upgrade or downgrade on the day of `changeAtMs`: a credit for the old plan's unused days and
 * a charge for the new plan's remaining days. Assumes the old plan was billed to cycle end.
 */
export function proratePlanChange(
  oldPlan: BillingPlan,
  newPlan: BillingPlan,
  cycle: Cycle,
  changeAtMs: number,
): InvoiceLine[] {
  const fromDay = dayOfCycle(cycle, changeAtMs);
  return [
    periodLine('proration_credit', oldPlan, cycle, fromDay, -1),
    periodLine('proration_charge', newPlan, cycle, fromDay, 1),
  ];
}

function periodLine(
  kind: 'proration_charge' | 'proration_credit',
  plan: BillingPlan,
  cycle: Cycle,
  fromDay: number,
  sign: 1 | -1,
): InvoiceLine {
  const amount = portionForDays(plan.cyclePriceCents, cycle, fromDay, cycle.days, plan.unitCents);
  const periodStartMs = cycle.startMs + fromDay * DAY_MS;
  const remainingDays = cycle.days - fromDay;
  const verb = kind === 'proration_credit' ? 'Unused' : 'Remaining';
  const from = formatLocalDate(localDateOf(periodStartMs));
  const to = formatLocalDate(localDateOf(cycle.endMs - 1));
  return {
    kind,
    description: `${verb} ${plan.name}, ${from} to ${to} (${remainingDays} of ${cycle.days} days)`,
    amountCents: cents(sign === 1 ? amount : 0 - amount),
    planId: plan.id,
    periodStartMs,
    periodEndMs: cycle.endMs,
  };
}
