import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { NAIROBI_OFFSET_MS } from './calendar';
import { cycleContaining, resolveCycleAnchor } from './cycles';
import { sumLines } from './lines';
import { cumulativeShare, dayOfCycle, portionForDays, proratePlanChange, prorateStart } from './proration';

const eat = (year: number, month: number, day: number, hour = 0) =>
  Date.UTC(year, month - 1, day, hour) - NAIROBI_OFFSET_MS;
const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);
const january = cycleContaining(anchor, eat(2026, 1, 1));
const basic = { id: 'pln_basic', name: 'Basic 5 Mbps', cyclePriceCents: cents(100_000) };
const premium = { id: 'pln_premium', name: 'Premium 20 Mbps', cyclePriceCents: cents(250_000) };

describe('cumulative-floor rounding', () => {
  it('floors the share of elapsed days and reaches the full price on the last day', () => {
    expect(cumulativeShare(cents(100_000), 10, 31)).toBe(32_258); // 32,258.06 floored
    expect(cumulativeShare(cents(100_000), 31, 31)).toBe(100_000);
    expect(cumulativeShare(cents(100_000), 0, 31)).toBe(0);
  });

  it('splits a price with awkward days so the parts sum exactly', () => {
    const price = cents(99_999);
    const parts = [
      portionForDays(price, january, 0, 7),
      portionForDays(price, january, 7, 19),
      portionForDays(price, january, 19, 31),
    ];
    expect(parts).toEqual([22_580, 38_709, 38_710]);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(99_999);
  });

  it('counts days in Nairobi: 02:00 EAT on the 11th is day 10 even though it is still the 10th in UTC', () => {
    expect(dayOfCycle(january, eat(2026, 1, 11, 2))).toBe(10);
  });
});

describe('prorateStart', () => {
  it('charges the remaining days of the cycle, the start day included', () => {
    const line = prorateStart(basic, january, eat(2026, 1, 11, 14));
    expect(line.kind).toBe('proration_charge');
    expect(line.amountCents).toBe(100_000 - 32_258); // 21 of 31 days, rounded up
    expect(line.periodStartMs).toBe(eat(2026, 1, 11));
    expect(line.description).toBe('Remaining Basic 5 Mbps, 2026-01-11 to 2026-01-31 (21 of 31 days)');
  });

  it('charges the whole price on the first day', () => {
    expect(prorateStart(basic, january, eat(2026, 1, 1, 9)).amountCents).toBe(100_000);
  });
});

describe('proratePlanChange', () => {
  it('credits the unused old plan and charges the rest of the new one on upgrade', () => {
    const lines = proratePlanChange(basic, premium, january, eat(2026, 1, 11, 8));
    expect(lines.map((line) => [line.kind, line.amountCents])).toEqual([
      ['proration_credit', -67_742],
      ['proration_charge', 169_355],
    ]);
    // Basic for 10 days (32,258) + Premium for 21 days (169,355) is what the month cost.
    expect(basic.cyclePriceCents + sumLines(lines)).toBe(32_258 + 169_355);
  });

  it('gives a net credit on downgrade', () => {
    const lines = proratePlanChange(premium, basic, january, eat(2026, 1, 21));
    expect(sumLines(lines)).toBeLessThan(0);
  });

  it('refuses a change outside the cycle', () => {
    expect(() => proratePlanChange(basic, premium, january, eat(2026, 2, 1))).toThrow(RangeError);
  });
});
