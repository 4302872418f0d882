// The activity report: logins, devices, peak concurrent sessions and rejects, checked against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildActivityReport,
  normalizeMac,
  peakConcurrentPerDay,
  type SessionInterval,
} from './activity-report';
import { localDayStartMs, localDaysOf } from './local-days';

const HOUR_MS = 3_600_000;
const MARCH_1 = Date.UTC(2030, 1, 28, 21);
const TWO_DAYS = { fromMs: MARCH_1, toMs: MARCH_1 + 48 * HOUR_MS };

describe('buildActivityReport', () => {
  it('counts logins, distinct devices whatever their spelling, rejects by reason, and the peak', () => {
    const report = buildActivityReport(
      [
        { atMs: MARCH_1 + HOUR_MS, result: 'accept', reasonCode: null, mac: 'aa:bb:cc:00:11:22' },
        { atMs: MARCH_1 + 2 * HOUR_MS, result: 'accept', reasonCode: null, mac: 'AA-BB-CC-00-11-22' },
        {
          atMs: MARCH_1 + 3 * HOUR_MS,
          result: 'reject',
          reasonCode: 'device_limit_reached',
          mac: 'AA-BB-CC-00-11-33',
        },
        { atMs: MARCH_1 + 30 * HOUR_MS, result: 'accept', reasonCode: null, mac: 'aabb.cc00.1144' },
        { atMs: MARCH_1 + 31 * HOUR_MS, result: 'reject', reasonCode: 'voucher_expired', mac: null },
      ],
      [
        { startMs: MARCH_1 + HOUR_MS, stopMs: MARCH_1 + 5 * HOUR_MS },
        { startMs: MARCH_1 + 2 * HOUR_MS, stopMs: MARCH_1 + 26 * HOUR_MS },
        // Ends exactly as the next begins: never two at once.
        { startMs: MARCH_1 + 26 * HOUR_MS, stopMs: null },
      ],
      TWO_DAYS,
    );
    expect(report.rows).toEqual([
      { day: '2030-03-01', logins: 2, uniqueDevices: 1, peakConcurrentSessions: 2, rejects: 1 },
      { day: '2030-03-02', logins: 1, uniqueDevices: 1, peakConcurrentSessions: 1, rejects: 1 },
    ]);
    expect(report.totals).toEqual({
      logins: 3,
      uniqueDevices: 2,
      peakConcurrentSessions: 2,
      rejects: 2,
      rejectsByReason: { device_limit_reached: 1, voucher_expired: 1 },
    });
  });

  it('spells a MAC one way', () => {
    expect(normalizeMac('aa:bb:cc:dd:ee:ff')).toBe('AA-BB-CC-DD-EE-FF');
    expect(normalizeMac('AABB.CCDD.EEFF')).toBe('AA-BB-CC-DD-EE-FF');
  });
});

describe('peakConcurrentPerDay', () => {
  /** How many sessions are open at an instant, counted one by one. */
  const openAt = (sessions: SessionInterval[], atMs: number) =>
    sessions.filter(
      (session) => session.startMs <= atMs && (session.stopMs === null || atMs < session.stopMs),
    ).length;

  it('equals the most sessions open at any start or midnight of each day, by brute force', () => {
    const session = fc
      .record({
        startMs: fc.integer({ min: MARCH_1 - 10 * HOUR_MS, max: TWO_DAYS.toMs + 5 * HOUR_MS }),
        lengthMs: fc.option(fc.integer({ min: 1, max: 30 * HOUR_MS }), { nil: null }),
      })
      .map(({ startMs, lengthMs }) => ({ startMs, stopMs: lengthMs === null ? null : startMs + lengthMs }));
    fc.assert(
      fc.property(fc.array(session, { maxLength: 60 }), (sessions) => {
        const days = localDaysOf(TWO_DAYS);
        const peaks = peakConcurrentPerDay(sessions, TWO_DAYS, days);
        days.forEach((dayIndex, position) => {
          const fromMs = Math.max(localDayStartMs(dayIndex), TWO_DAYS.fromMs);
          const toMs = Math.min(localDayStartMs(dayIndex + 1), TWO_DAYS.toMs);
          // The count only rises at a start, so its maximum is at the day's start or at some start in it.
          const instants = [
            fromMs,
            ...sessions.map((item) => item.startMs).filter((at) => at >= fromMs && at < toMs),
          ];
          expect(peaks[position]).toBe(Math.max(...instants.map((at) => openAt(sessions, at))));
        });
      }),
    );
  });
});
