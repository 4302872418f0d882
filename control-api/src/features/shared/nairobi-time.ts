// Calendar ranges and wording in Nairobi local time (EAT, UTC+3 all year) that several features share:
// statement months, referral caps per month, guest-pass caps per day, "try again at 14:05".
import {
  DAY_MS,
  type LocalDate,
  localDateOf,
  localMidnightMs,
  NAIROBI_OFFSET_MS,
} from '../../billing/core/calendar';

/** [startMs, endMs) */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE_MS = 60_000;

/** A Nairobi calendar month (month 1..12). */
export function nairobiMonthRange(month: Pick<LocalDate, 'year' | 'month'>): TimeRange {
  return {
    startMs: localMidnightMs({ year: month.year, month: month.month, day: 1 }),
    endMs: localMidnightMs({ year: month.year, month: month.month + 1, day: 1 }),
  };
}

/** The Nairobi calendar month an instant falls in. */
export function nairobiMonthContaining(atMs: number): TimeRange {
  return nairobiMonthRange(localDateOf(atMs));
}

/** The Nairobi calendar day an instant falls in (every local day is 24 h: no daylight saving). */
export function nairobiDayContaining(atMs: number): TimeRange {
  const startMs = localMidnightMs(localDateOf(atMs));
  return { startMs, endMs: startMs + DAY_MS };
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** "14:05" of an instant in Nairobi, seconds dropped. */
function clockTimeOf(atMs: number): string {
  const shifted = new Date(atMs + NAIROBI_OFFSET_MS);
  return `${twoDigits(shifted.getUTCHours())}:${twoDigits(shifted.getUTCMinutes())}`;
}

/** "14:05" in Nairobi, rounded up to the minute so the time said is never before the instant. */
export function nairobiClockTime(atMs: number): string {
  return clockTimeOf(Math.ceil(atMs / MINUTE_MS) * MINUTE_MS);
}

/**
 * When something may happen again, as a person in Nairobi reads it relative to now: "at 14:05",
 * "tomorrow at 09:30", "on 3 Feb at 14:05".
 */
export function nairobiWhen(atMs: number, nowMs: number): string {
  const when = nairobiWhenParts(atMs, nowMs);
  if (when.day === 'today') return `at ${when.time}`;
  if (when.day === 'tomorrow') return `tomorrow at ${when.time}`;
  return `on ${when.date} at ${when.time}`;
}

/** nairobiWhen's pieces, for a sentence in another language: the day (today, tomorrow, a date) and the time. */
export function nairobiWhenParts(
  atMs: number,
  nowMs: number,
): { day: 'today' | 'tomorrow' | 'date'; date: string; time: string } {
  const roundedMs = Math.ceil(atMs / MINUTE_MS) * MINUTE_MS;
  const today = nairobiDayContaining(nowMs);
  const time = nairobiClockTime(roundedMs);
  const local = localDateOf(roundedMs);
  const date = `${local.day} ${MONTH_NAMES[local.month - 1]}`;
  if (roundedMs < today.endMs) return { day: 'today', date, time };
  if (roundedMs < today.endMs + DAY_MS) return { day: 'tomorrow', date, time };
  return { day: 'date', date, time };
}

/**
 * A date and time as an SMS or a statement prints it: "3 Feb 2026 14:05" (Nairobi), seconds dropped, so
 * an expiry is never said to be later than it is.
 */
export function nairobiDateTime(atMs: number): string {
  const date = localDateOf(atMs);
  return `${date.day} ${MONTH_NAMES[date.month - 1]} ${date.year} ${clockTimeOf(atMs)}`;
}
