import { describe, expect, it } from 'vitest';
import { isNormalisedKenyanPhone, normaliseKenyanPhone } from './phone';

describe('normaliseKenyanPhone', () => {
  it.each([
    ['0712345678', '254712345678'],
    ['0112345678', '254112345678'],
    ['+254712345678', '254712345678'],
    ['+254112345678', '254112345678'],
    ['254712345678', '254712345678'],
    ['254112345678', '254112345678'],
    ['0712 345 678', '254712345678'],
    ['0712-345-678', '254712345678'],
    ['+254 712 345 678', '254712345678'],
    ['  254-1-12-345-678 ', '254112345678'],
    ['0708374149', '254708374149'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseKenyanPhone(input)).toBe(expected);
  });

  it.each([
    '',
    '0712',
    '071234567', // one digit short
    '07123456789', // one digit long
    '0212345678', // Mombasa landline
    '0202345678', // Nairobi landline
    '+255712345678', // Tanzania
    '2540712345678', // trunk zero kept after the country code
    '+2540712345678',
    '712345678', // no prefix at all
    '0712.345.678', // dots are not a separator we accept
    '07l2345678', // letter l instead of 1
    '+254 712 345 67a',
    '(0712) 345678',
    '++254712345678',
    '0'.repeat(40),
  ])('rejects %j', (input) => {
    expect(normaliseKenyanPhone(input)).toBeNull();
  });
});

describe('isNormalisedKenyanPhone', () => {
  it('accepts only the 12-digit form', () => {
    expect(isNormalisedKenyanPhone('254712345678')).toBe(true);
    expect(isNormalisedKenyanPhone('254112345678')).toBe(true);
    expect(isNormalisedKenyanPhone('0712345678')).toBe(false);
    expect(isNormalisedKenyanPhone('+254712345678')).toBe(false);
    expect(isNormalisedKenyanPhone('254212345678')).toBe(false);
  });
});
