import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { formatPayPalValue, kesCentsToUsdCents, parseKesPerUsd, parsePayPalValue } from './currency';

describe('Ksh to USD at a fixed rate', () => {
  it('rounds up to whole US cents so the platform is never short', () => {
    expect(kesCentsToUsdCents(cents(50_000), 12_900)).toBe(388);
    expect(kesCentsToUsdCents(cents(150_000), 12_900)).toBe(1163);
    expect(kesCentsToUsdCents(cents(12_900), 12_900)).toBe(100);
  });
  it('parses the configured rate and PayPal values by digits', () => {
    expect(parseKesPerUsd('129')).toBe(12_900);
    expect(parseKesPerUsd('129.5')).toBe(12_950);
    expect(parseKesPerUsd('abc')).toBeNull();
    expect(formatPayPalValue(388)).toBe('3.88');
    expect(formatPayPalValue(5)).toBe('0.05');
    expect(parsePayPalValue('3.88')).toBe(388);
    expect(parsePayPalValue('10')).toBe(1000);
    expect(parsePayPalValue('1e3')).toBeNull();
  });
  it('refuses a rate in the wrong unit', () => {
    expect(() => kesCentsToUsdCents(cents(100), 129)).toThrow(RangeError);
  });
});
