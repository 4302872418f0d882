// Calendar arithmetic in East Africa Time: billing days start at local midnight in Nairobi.
//
// Time zone handling: every instant is a Unix timestamp in milliseconds (UTC). Africa/Nairobi
// is UTC+3 all year (no daylight saving since 1942), so a local calendar date is found by
// shifting the instant by +3 h and reading the UTC fields; local midnight of a date is
// Date.UTC(date) - 3 h. Because the offset never changes, every local day is exactly
// 86,400,000 ms long and a whole-day difference is an exact integer division.

/** Africa/Nairobi's fixed offset from UTC. */
export const NAIROBI_OFFSET_MS = 3 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date in Nairobi; month is 1..12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function localDateOf(timeMs: number): LocalDate {
  const shifted = new Date(timeMs + NAIROBI_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The instant local midnight begins on the given date (days beyond the month roll over, as Date.UTC does). */
export function localMidnightMs(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) - NAIROBI_OFFSET_MS;
}

/** Local midnight at or before the instant. */
export function startOfLocalDayMs(timeMs: number): number {
  return localMidnightMs(localDateOf(timeMs));
}

/** Months counted from January of year 0, so month arithmetic is integer arithmetic. */
export function monthIndexOf(date: Pick<LocalDate, 'year' | 'month'>): number {
  return date.year * 12 + (date.month - 1);
}

export function dateOfMonthIndex(monthIndex: number, day: number): LocalDate {
  return { year: Math.floor(monthIndex / 12), month: floorModulo(monthIndex, 12) + 1, day };
}

/** Whole local days from one local midnight to another. */
export function wholeDaysBetween(fromMidnightMs: number, toMidnightMs: number): number {
  const differenceMs = toMidnightMs - fromMidnightMs;
  if (differenceMs % DAY_MS !== 0) throw new RangeError('wholeDaysBetween expects local midnights');
  return differenceMs / DAY_MS;
}

/** `YYYY-MM-DD` of a local date. */
export function formatLocalDate(date: LocalDate): string {
  return `${date.year}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function floorModulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
