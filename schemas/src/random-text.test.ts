import { describe, expect, it } from 'vitest';
import {
  ALPHANUMERIC_ALPHABET,
  generateNasSecret,
  NAS_SECRET_LENGTH,
  randomAlphanumeric,
} from './random-text';

describe('random text for routers and terminals', () => {
  it('makes NAS secrets of letters and digits only, never starting with a dash', () => {
    for (let run = 0; run < 2_000; run += 1) {
      const secret = generateNasSecret();
      expect(secret).toHaveLength(NAS_SECRET_LENGTH);
      expect(secret).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(randomAlphanumeric(20_000));
    expect(seen.size).toBe(ALPHANUMERIC_ALPHABET.length);
  });

  it('refuses a length that is not a positive integer', () => {
    expect(() => randomAlphanumeric(0)).toThrow(RangeError);
    expect(() => randomAlphanumeric(2.5)).toThrow(RangeError);
  });
});
