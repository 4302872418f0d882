// Ids: prefixed, 96 random bits, never repeated, also across refills of the random pool.
import { describe, expect, it } from 'vitest';
import { hasIdPrefix, newId } from './ids';

describe('newId', () => {
  it('makes distinct prefixed ids of 16 base64url characters, over several refills of its pool', () => {
    const ids = new Set<string>();
    for (let index = 0; index < 2_000; index += 1) ids.add(newId('session'));
    expect(ids.size).toBe(2_000);
    for (const id of ids) {
      expect(id).toMatch(/^ses_[A-Za-z0-9_-]{16}$/);
      expect(hasIdPrefix(id, 'session')).toBe(true);
    }
  });
});
