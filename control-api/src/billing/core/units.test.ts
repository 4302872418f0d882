// Invoice units: whole shillings by default, cents when an ISP turns whole shillings off.
import { describe, expect, it } from 'vitest';
import { cyclePriceCents } from '../store';
import { CENTS_PER_SHILLING, invoiceUnitCents, isWholeUnits, roundToUnit } from './units';

describe('invoice units', () => {
  it('is a shilling when the ISP invoices whole shillings and a cent otherwise', () => {
    expect(invoiceUnitCents(true)).toBe(CENTS_PER_SHILLING);
    expect(invoiceUnitCents(false)).toBe(1);
    expect(isWholeUnits(125_800, 100)).toBe(true);
    expect(isWholeUnits(125_807, 100)).toBe(false);
    expect(isWholeUnits(-67_800, 100)).toBe(true);
  });

  it('rounds to the nearest unit, halves up, in integers', () => {
    expect(roundToUnit(99_950, 1, 100)).toBe(100_000); // Ksh 999.50 → Ksh 1,000
    expect(roundToUnit(99_949, 1, 100)).toBe(99_900);
    expect(roundToUnit(100_000, 3, 100)).toBe(33_300); // Ksh 1,000 a quarter → Ksh 333.33 → Ksh 333
    expect(roundToUnit(100_000, 3, 1)).toBe(33_333);
    expect(roundToUnit(5, 2, 1)).toBe(3);
    expect(() => roundToUnit(-1, 1, 100)).toThrow(RangeError);
    expect(() => roundToUnit(1, 0, 100)).toThrow(RangeError);
  });

  it('prices a plan for the ISP cycle in whole shillings, or to the cent when whole shillings are off', () => {
    const quarterly = { id: 'pln_q', name: 'Quarterly', priceCents: 100_000, cycleMonths: 3 };
    expect(cyclePriceCents(quarterly, 1, 100)).toBe(33_300);
    expect(cyclePriceCents(quarterly, 1, 1)).toBe(33_333);
    expect(cyclePriceCents(quarterly, 3, 100)).toBe(100_000);
    const withCents = { id: 'pln_c', name: 'Odd', priceCents: 149_950, cycleMonths: 1 };
    expect(cyclePriceCents(withCents, 1, 100)).toBe(150_000);
    expect(cyclePriceCents(withCents, 1, 1)).toBe(149_950);
  });
});
