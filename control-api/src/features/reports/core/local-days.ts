// Local (Nairobi) days by integer arithmetic: reports bucket a million records without a Date each.
import { DAY_MS, formatLocalDate, localDateOf, NAIROBI_OFFSET_MS } from '../../../billing/core/calendar';
import type { TimeRange } from '../../../kernel/time-range';

/** Days since 1970-01-01 in Nairobi: every local day is exactly 24 h (UTC+3 all year). */
export function localDayIndexOf(timeMs: number): number {
  return Math.floor((timeMs + NAIROBI_OFFSET_MS) / DAY_MS);
}

/** Local midnight of a day index. */
export function localDayStartMs(dayIndex: number): number {
  return dayIndex * DAY_MS - NAIROBI_OFFSET_MS;
}

/** `YYYY-MM-DD` of a day index. */
export function localDayText(dayIndex: number): string {
  return formatLocalDate(localDateOf(localDayStartMs(dayIndex)));
}

/** Day indexes a range touches, in order. */
export function localDaysOf(range: TimeRange): number[] {
  const first = localDayIndexOf(range.fromMs);
  const last = localDayIndexOf(range.toMs - 1);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, offset) => first + offset);
}

export function isWithin(range: TimeRange, timeMs: number): boolean {
  return timeMs >= range.fromMs && timeMs < range.toMs;
}
