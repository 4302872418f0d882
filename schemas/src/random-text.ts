// Random text that people paste into routers, terminals and RADIUS tools: letters and digits
// only, so a value never starts with '-' (radclient and other CLIs read that as an option) and
// never needs quoting in a RouterOS script.
import { randomInt } from 'node:crypto';

export const ALPHANUMERIC_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters of 62 ≈ 190 bits: well past RFC 2865's advice of 16 octets. */
export const NAS_SECRET_LENGTH = 32;

/** Uniform over the alphabet (crypto.randomInt rejects biased draws). */
export function randomAlphanumeric(length: number): string {
  if (!Number.isInteger(length) || length < 1) throw new RangeError('length must be a positive integer');
  let text = '';
  for (let index = 0; index < length; index += 1) {
    text += ALPHANUMERIC_ALPHABET[randomInt(ALPHANUMERIC_ALPHABET.length)];
  }
  return text;
}

/** A RADIUS shared secret for a new or rotated NAS. */
export function generateNasSecret(): string {
  return randomAlphanumeric(NAS_SECRET_LENGTH);
}
