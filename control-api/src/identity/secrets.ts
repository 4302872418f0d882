// High-entropy bearer secrets (refresh tokens, cookie sessions, API keys): random, stored as sha256.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits: guessing is hopeless, so a fast hash (sha256) is enough to store them. */
const SECRET_BYTES = 32;

export function randomSecret(bytes = SECRET_BYTES): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function isSameSecret(expected: string, given: string): boolean {
  const expectedBytes = Buffer.from(expected);
  const givenBytes = Buffer.from(given);
  return expectedBytes.length === givenBytes.length && timingSafeEqual(expectedBytes, givenBytes);
}
