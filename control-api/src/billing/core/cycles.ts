// Billing cycles: which period an instant falls in, per ISP default or per-subscriber override.
import {
  dateOfMonthIndex,
  floorModulo,
  formatLocalDate,
  localDateOf,
  localMidnightMs,
  monthIndexOf,
  wholeDaysBetween,
} from './calendar';

/** Anchor days stop at 28 so every month has the day: no "31st of February" rules. */
export const ANCHOR_DAY_MAX = 28;
/** A year is the longest cycle an ISP offers; beyond that proration arithmetic is untested. */
export const CYCLE_LENGTH_MONTHS_MAX = 12;

/** How an ISP (default) or a subscriber (override) wants to be billed. */
export interface CycleRule {
  lengthMonths: number;
  /** 1..28, or the subscriber's signup day (clamped to 28). */
  anchorDay: number | 'signup_day';
}

export const defaultCycleRule: CycleRule = { lengthMonths: 1, anchorDay: 1 };

/**
 * A resolved rule: cycles start at local midnight on `anchorDay` of every month whose index
 * is `phaseMonthIndex` plus a multiple of `lengthMonths`.
 */
export interface CycleAnchor {
  readonly lengthMonths: number;
  readonly anchorDay: number;
  readonly phaseMonthIndex: number;
}

/** One billing period, [startMs, endMs) with both ends at local midnight in Nairobi. */
export interface Cycle {
  readonly startMs: number;
  readonly endMs: number;
  /** Whole local days in the cycle: the denominator of proration. */
  readonly days: number;
  /** `YYYY-MM-DD` of the first day: stable, so it keys invoices per (subscriber, cycle). */
  readonly key: string;
}

/**
 * Fixed anchor days are phased to January (a 3-month cycle starts in Jan/Apr/Jul/Oct) so an
 * ISP's subscribers share cycles; a signup-day anchor is phased to the signup month.
 */
export function resolveCycleAnchor(
  ispRule: CycleRule,
  subscriberOverride: CycleRule | null | undefined,
  signupAtMs: number,
): CycleAnchor {
  const rule = subscriberOverride ?? ispRule;
  assertCycleRule(rule);
  if (rule.anchorDay === 'signup_day') {
    const signup = localDateOf(signupAtMs);
    return {
      lengthMonths: rule.lengthMonths,
      anchorDay: Math.min(signup.day, ANCHOR_DAY_MAX),
      phaseMonthIndex: monthIndexOf(signup),
    };
  }
  return { lengthMonths: rule.lengthMonths, anchorDay: rule.anchorDay, phaseMonthIndex: 0 };
}

export function assertCycleRule(rule: CycleRule): void {
  const { lengthMonths, anchorDay } = rule;
  if (!Number.isInteger(lengthMonths) || lengthMonths < 1 || lengthMonths > CYCLE_LENGTH_MONTHS_MAX) {
    throw new RangeError(`cycle length must be 1..${CYCLE_LENGTH_MONTHS_MAX} months, got ${lengthMonths}`);
  }
  if (
    anchorDay !== 'signup_day' &&
    (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > ANCHOR_DAY_MAX)
  ) {
    throw new RangeError(`anchor day must be 1..${ANCHOR_DAY_MAX} or signup_day, got ${anchorDay}`);
  }
}

export function cycleContaining(anchor: CycleAnchor, timeMs: number): Cycle {
  const date = localDateOf(timeMs);
  let monthIndex = monthIndexOf(date);
  if (date.day < anchor.anchorDay) monthIndex -= 1;
  monthIndex -= floorModulo(monthIndex - anchor.phaseMonthIndex, anchor.lengthMonths);
  return cycleStartingInMonth(anchor, monthIndex);
}

export function nextCycle(anchor: CycleAnchor, cycle: Cycle): Cycle {
  return cycleContaining(anchor, cycle.endMs);
}

export function previousCycle(anchor: CycleAnchor, cycle: Cycle): Cycle {
  return cycleContaining(anchor, cycle.startMs - 1);
}

function cycleStartingInMonth(anchor: CycleAnchor, monthIndex: number): Cycle {
  const startDate = dateOfMonthIndex(monthIndex, anchor.anchorDay);
  const startMs = localMidnightMs(startDate);
  const endMs = localMidnightMs(dateOfMonthIndex(monthIndex + anchor.lengthMonths, anchor.anchorDay));
  return { startMs, endMs, days: wholeDaysBetween(startMs, endMs), key: formatLocalDate(startDate) };
}
