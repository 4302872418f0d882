// Proration to the cent (whole shillings off) and in whole shillings (the default).
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { cycleContaining, resolveCycleAnchor } from './cycles';
import { sumLines } from './lines';
import { cumulativeShare, dayOfCycle, portionForDays, proratePlanChange, prorateStart } from './proration';
import { basicPlan as basic, eat, premiumPlan as premium, wholeShilling } from './test-fixtures';
import type { InvoiceUnitCents } from './units';

const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);
const january = cycleContaining(anchor, eat(2026, 1, 1));

describe('cumulative-floor rounding', () => {
  it('floors the share of elapsed days and reaches the full price on the last day', () => {
    expect(cumulativeShare(cents(100_000), 10, 31, 1)).toBe(32_258); // 32,258.06 floored
    expect(cumulativeShare(cents(100_000), 31, 31, 1)).toBe(100_000);
    expect(cumulativeShare(cents(100_000), 0, 31, 1)).toBe(0);
  });

  /** January cut into days [0, 7), [7, 19) and [19, 31). */
  const januaryInThree = (price: number, unitCents: InvoiceUnitCents) =>
    [0, 7, 19].map((from, index) =>
      portionForDays(cents(price), january, from, [7, 19, 31][index]!, unitCents),
    );

  it('splits a price with awkward days so the parts sum exactly', () => {
    const parts = januaryInThree(99_999, 1);
    expect(parts).toEqual([22_580, 38_709, 38_710]);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(99_999);
  });

  it('floors in whole shillings when the ISP invoices whole shillings, and still sums to the price', () => {
    expect(cumulativeShare(cents(100_000), 10, 31, 100)).toBe(32_200); // Ksh 322.58 floored to Ksh 322
    expect(cumulativeShare(cents(100_000), 31, 31, 100)).toBe(100_000);
    const parts = januaryInThree(99_900, 100);
    expect(parts).toEqual([22_500, 38_700, 38_700]);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(99_900);
  });

  it('refuses a price that is not whole shillings when working in shillings (the caller rounds it first)', () => {
    expect(() => cumulativeShare(cents(99_950), 3, 31, 100)).toThrow(RangeError);
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

  it('charges whole shillings for the same days when the ISP invoices whole shillings', () => {
    // Ksh 1,000 × 10/31 = Ksh 322.58 is the first 10 days' share, floored to Ksh 322; the rest is Ksh 678.
    expect(prorateStart(wholeShilling(basic), january, eat(2026, 1, 11, 14)).amountCents).toBe(67_800);
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

  it('credits and charges whole shillings that add up to what the month cost in shillings', () => {
    const lines = proratePlanChange(
      wholeShilling(basic),
      wholeShilling(premium),
      january,
      eat(2026, 1, 11, 8),
    );
    expect(lines.map((line) => line.amountCents)).toEqual([-67_800, 169_400]);
    // Basic for 10 days (Ksh 322) + Premium for 21 days (Ksh 2,500 − floor(Ksh 806.45) = Ksh 1,694).
    expect(basic.cyclePriceCents + sumLines(lines)).toBe(32_200 + 169_400);
  });

  it('gives a net credit on downgrade', () => {
    const lines = proratePlanChange(premium, basic, january, eat(2026, 1, 21));
    expect(sumLines(lines)).toBeLessThan(0);
  });

  it('refuses a change outside the cycle', () => {
    expect(() => proratePlanChange(basic, premium, january, eat(2026, 2, 1))).toThrow(RangeError);
  });
});
