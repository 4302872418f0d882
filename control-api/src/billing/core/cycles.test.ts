import { describe, expect, it } from 'vitest';
import { DAY_MS, localDateOf, NAIROBI_OFFSET_MS } from './calendar';
import { cycleContaining, nextCycle, previousCycle, resolveCycleAnchor } from './cycles';

/** An instant given as Nairobi wall-clock time. */
const eat = (year: number, month: number, day: number, hour = 0, minute = 0) =>
  Date.UTC(year, month - 1, day, hour, minute) - NAIROBI_OFFSET_MS;

describe('Nairobi calendar', () => {
  it('starts the local day at 21:00 UTC the evening before', () => {
    expect(localDateOf(Date.UTC(2026, 0, 14, 20, 59))).toEqual({ year: 2026, month: 1, day: 14 });
    expect(localDateOf(Date.UTC(2026, 0, 14, 21, 0))).toEqual({ year: 2026, month: 1, day: 15 });
  });
});

describe('cycleContaining', () => {
  const monthlyOnFirst = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);

  it('bounds a monthly cycle by local midnights', () => {
    const cycle = cycleContaining(monthlyOnFirst, eat(2026, 2, 10, 15));
    expect(cycle).toEqual({ startMs: eat(2026, 2, 1), endMs: eat(2026, 3, 1), days: 28, key: '2026-02-01' });
  });

  it('puts the last minute before local midnight in the old cycle and midnight in the new', () => {
    expect(cycleContaining(monthlyOnFirst, eat(2026, 3, 1) - 60_000).key).toBe('2026-02-01');
    expect(cycleContaining(monthlyOnFirst, eat(2026, 3, 1)).key).toBe('2026-03-01');
  });

  it('uses the anchor day: before it the cycle began last month', () => {
    const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 15 }, null, 0);
    expect(cycleContaining(anchor, eat(2026, 1, 14, 23, 59)).key).toBe('2025-12-15');
    expect(cycleContaining(anchor, eat(2026, 1, 15)).key).toBe('2026-01-15');
    expect(cycleContaining(anchor, eat(2026, 1, 15)).days).toBe(31);
  });

  it('lets a subscriber override the ISP rule with their signup day, clamped to 28', () => {
    const anchor = resolveCycleAnchor(
      { lengthMonths: 1, anchorDay: 1 },
      { lengthMonths: 1, anchorDay: 'signup_day' },
      eat(2026, 1, 31, 10),
    );
    expect(anchor.anchorDay).toBe(28);
    const cycle = cycleContaining(anchor, eat(2026, 2, 27));
    expect(cycle.key).toBe('2026-01-28');
    expect(cycle.endMs).toBe(eat(2026, 2, 28));
  });

  it('phases fixed-day quarterly cycles to January and signup-day ones to the signup month', () => {
    const quarterly = resolveCycleAnchor({ lengthMonths: 3, anchorDay: 1 }, null, 0);
    expect(cycleContaining(quarterly, eat(2026, 5, 20)).key).toBe('2026-04-01');
    expect(cycleContaining(quarterly, eat(2026, 5, 20)).days).toBe(91);
    const fromSignup = resolveCycleAnchor(
      { lengthMonths: 3, anchorDay: 'signup_day' },
      null,
      eat(2026, 2, 10),
    );
    expect(cycleContaining(fromSignup, eat(2026, 5, 20)).key).toBe('2026-05-10');
    expect(cycleContaining(fromSignup, eat(2026, 5, 9)).key).toBe('2026-02-10');
  });

  it('chains next and previous cycles without gaps, across a year end', () => {
    const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 20 }, null, 0);
    let cycle = cycleContaining(anchor, eat(2025, 11, 25));
    for (let step = 0; step < 14; step++) {
      const next = nextCycle(anchor, cycle);
      expect(next.startMs).toBe(cycle.endMs);
      expect(previousCycle(anchor, next)).toEqual(cycle);
      expect((next.startMs - eat(2020, 1, 1)) % DAY_MS).toBe(0);
      cycle = next;
    }
    expect(cycle.key).toBe('2027-01-20');
  });

  it('refuses anchor days a month may lack and impossible lengths', () => {
    expect(() => resolveCycleAnchor({ lengthMonths: 1, anchorDay: 29 }, null, 0)).toThrow(RangeError);
    expect(() => resolveCycleAnchor({ lengthMonths: 0, anchorDay: 1 }, null, 0)).toThrow(RangeError);
  });
});
