// Nairobi calendar ranges and the "try again" wording people read.
import { describe, expect, it } from 'vitest';
import {
  nairobiClockTime,
  nairobiDateTime,
  nairobiDayContaining,
  nairobiMonthContaining,
  nairobiWhen,
} from './nairobi-time';

/** An instant given in Nairobi local time (UTC+3). */
const eat = (month: number, day: number, hour: number, minute = 0, second = 0) =>
  Date.UTC(2026, month - 1, day, hour - 3, minute, second);

describe('Nairobi time', () => {
  it('starts days and months at local midnight, 21:00 UTC the evening before', () => {
    const day = nairobiDayContaining(eat(3, 1, 0, 30));
    expect(new Date(day.startMs).toISOString()).toBe('2026-02-28T21:00:00.000Z');
    expect(day.endMs - day.startMs).toBe(86_400_000);
    const month = nairobiMonthContaining(eat(12, 31, 23, 59));
    expect(new Date(month.startMs).toISOString()).toBe('2026-11-30T21:00:00.000Z');
    expect(new Date(month.endMs).toISOString()).toBe('2026-12-31T21:00:00.000Z');
  });

  it('says a time rounded up to the minute, so it is never before the instant', () => {
    expect(nairobiClockTime(eat(2, 3, 14, 5))).toBe('14:05');
    expect(nairobiClockTime(eat(2, 3, 14, 5, 1))).toBe('14:06');
    expect(nairobiClockTime(eat(2, 3, 23, 59, 30))).toBe('00:00');
  });

  it('words a later instant relative to today in Nairobi', () => {
    const now = eat(2, 3, 22, 0);
    expect(nairobiWhen(eat(2, 3, 23, 15), now)).toBe('at 23:15');
    expect(nairobiWhen(eat(2, 4, 0, 15), now)).toBe('tomorrow at 00:15');
    expect(nairobiWhen(eat(2, 6, 9, 30), now)).toBe('on 6 Feb at 09:30');
    // 23:59:30 rounds up to midnight: that is tomorrow.
    expect(nairobiWhen(eat(2, 3, 23, 59, 30), now)).toBe('tomorrow at 00:00');
  });

  it('prints a date and time for an SMS with the seconds dropped', () => {
    expect(nairobiDateTime(eat(2, 3, 14, 5, 59))).toBe('3 Feb 2026 14:05');
    expect(nairobiDateTime(Date.UTC(2026, 11, 31, 21, 0))).toBe('1 Jan 2027 00:00');
  });
});
