import { cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMpesaAmount, parseMpesaAmount, wholeShillings } from './amounts';

describe('parseMpesaAmount', () => {
  it.each([
    ['10.00', 1000],
    ['10', 1000],
    ['10.5', 1050],
    ['10.05', 1005],
    ['0.01', 1],
    ['1.10', 110],
    ['249999.99', 24_999_999],
    [' 5.00 ', 500],
    [1, 100],
    [1.0, 100],
    [1.5, 150],
    [0.29, 29], // 0.29 * 100 is 28.999999999999996 in floating point
    [1.13, 113], // and 1.13 * 100 is 112.99999999999999
  ])('%j → %d cents', (value, expected) => {
    expect(parseMpesaAmount(value)).toBe(expected);
  });

  it.each(['', '-1.00', '1.005', '1e3', '1,000.00', '.50', '10.', 'abc', -1, 0.1 + 0.2, 1e21, Number.NaN])(
    'refuses %j',
    (value) => {
      expect(parseMpesaAmount(value)).toBeNull();
    },
  );

  it('reads back every amount it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (value) => {
        expect(parseMpesaAmount(formatMpesaAmount(cents(value)))).toBe(value);
      }),
    );
  });
});

describe('formatMpesaAmount and wholeShillings', () => {
  it('formats like TransAmount', () => {
    expect(formatMpesaAmount(cents(1000))).toBe('10.00');
    expect(formatMpesaAmount(cents(5))).toBe('0.05');
  });

  it('gives whole shillings only when no cents remain', () => {
    expect(wholeShillings(cents(5000))).toBe(50);
    expect(wholeShillings(cents(5050))).toBeNull();
  });
});
