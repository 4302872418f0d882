// Reseller and referral codes: the alphabet, their lengths, typed input, and drawing an unused one.
import { VOUCHER_ALPHABET } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  CODE_DRAWS_MAX,
  generateShortCode,
  kindOfCode,
  normaliseTypedCode,
  pickUnusedShortCode,
  REFERRAL_CODE_LENGTH,
  RESELLER_CODE_LENGTH,
} from './short-codes';

/** Walks the alphabet in order: draw n gives the n-th letter at every position. */
function countingIndex(): (bound: number) => number {
  let next = 0;
  return (bound) => next++ % bound;
}

describe('short codes', () => {
  it('are six (reseller) or seven (referral) characters of the look-alike-free alphabet', () => {
    const reseller = generateShortCode('reseller');
    const referral = generateShortCode('referral');
    expect(reseller).toHaveLength(RESELLER_CODE_LENGTH);
    expect(referral).toHaveLength(REFERRAL_CODE_LENGTH);
    for (const character of reseller + referral) expect(VOUCHER_ALPHABET).toContain(character);
    expect(kindOfCode(reseller)).toBe('reseller');
    expect(kindOfCode(referral)).toBe('referral');
  });

  it('read what people type: lower case, spaces, dashes; refuse look-alikes and wrong lengths', () => {
    expect(normaliseTypedCode(' k7m-2qx ')).toBe('K7M2QX');
    expect(normaliseTypedCode('ab cd ef g')).toBe('ABCDEFG');
    expect(normaliseTypedCode('K7M0QX')).toBeNull();
    expect(normaliseTypedCode('K7MIQX')).toBeNull();
    expect(normaliseTypedCode('K7M2Q')).toBeNull();
    expect(normaliseTypedCode('K'.repeat(40))).toBeNull();
  });

  it('draw again while a code is taken, and give up after the draw limit', async () => {
    const taken = new Set(['234567']);
    const code = await pickUnusedShortCode('reseller', (candidate) => taken.has(candidate), countingIndex());
    expect(code).toBe('89ABCD');
    let asked = 0;
    await expect(
      pickUnusedShortCode('referral', async () => {
        asked += 1;
        return true;
      }),
    ).rejects.toThrow(/no unused referral code/);
    expect(asked).toBe(CODE_DRAWS_MAX);
  });
});
