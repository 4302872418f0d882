import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToShillingsText, formatKsh } from './money';

describe('formatting cents for people', () => {
  it('groups thousands and shows cents only when there are some', () => {
    expect(formatKsh(150_000)).toBe('Ksh 1,500');
    expect(formatKsh(4_950)).toBe('Ksh 49.50');
    expect(formatKsh(5)).toBe('Ksh 0.05');
    expect(formatKsh(0)).toBe('Ksh 0');
    expect(formatKsh(-30_000)).toBe('Ksh -300');
    expect(formatKsh(123_456_789)).toBe('Ksh 1,234,567.89');
  });

  it('always shows two decimals when asked to', () => {
    expect(formatKsh(150_000, { fixed: true })).toBe('Ksh 1,500.00');
    expect(formatKsh(-1, { fixed: true })).toBe('Ksh -0.01');
  });

  it('gives form fields back a plain amount', () => {
    expect(centsToShillingsText(150_000)).toBe('1500');
    expect(centsToShillingsText(4_950)).toBe('49.50');
  });

  it('never loses a cent: the digits read back to the same integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (amount) => {
        const text = formatKsh(amount, { fixed: true }).slice('Ksh '.length).replaceAll(',', '');
        const [whole = '', fraction = ''] = text.replace('-', '').split('.');
        const back = BigInt(whole) * 100n + BigInt(fraction);
        expect(amount < 0 ? -back : back).toBe(BigInt(amount));
      }),
    );
  });

  it('refuses a fraction of a cent', () => {
    expect(() => formatKsh(10.5)).toThrow(RangeError);
  });
});
