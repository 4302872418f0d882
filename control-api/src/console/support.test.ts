// Shillings typed into console money forms become integer cents by their digits, never through a float.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optionalCents, shillingsToCents } from './support';

describe('shillingsToCents', () => {
  it('reads whole shillings, one or two decimals and thousands separators', () => {
    expect(shillingsToCents('1500', 'Amount')).toBe(150_000);
    expect(shillingsToCents(' 1,234.5 ', 'Amount')).toBe(123_450);
    expect(shillingsToCents('0.29', 'Amount')).toBe(29);
    expect(shillingsToCents('4.35', 'Amount')).toBe(435);
  });

  it('refuses what is not an amount, naming the field', () => {
    for (const typed of ['', '12.345', '-5', '1e3', 'abc', '.5', undefined])
      expect(() => shillingsToCents(typed, 'Amount')).toThrow(/Amount/);
  });

  it('round-trips every amount written as shillings and cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (cents) => {
        const typed = `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(shillingsToCents(typed, 'Amount')).toBe(cents);
      }),
    );
  });
});

describe('optionalCents', () => {
  it('reads an optional price by its digits and refuses a fraction of a cent instead of rounding it', () => {
    expect(optionalCents({ price: '49.50' }, 'price')).toBe(4_950);
    expect(optionalCents({ price: ' ' }, 'price')).toBeUndefined();
    expect(optionalCents({}, 'price')).toBeUndefined();
    expect(() => optionalCents({ price: '49.999' }, 'price')).toThrow(/Price/);
  });
});
