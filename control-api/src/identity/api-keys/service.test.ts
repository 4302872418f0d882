import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../secrets';
import { newApiKey, parseApiKey } from './service';

describe('API key format', () => {
  it('round-trips kiu_<id>_<secret> even when the id contains underscores', () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { id, secretHash, key } = newApiKey();
      const parsed = parseApiKey(key);
      expect(parsed?.id).toBe(id);
      expect(sha256Hex(parsed?.secret ?? '')).toBe(secretHash);
    }
  });

  it('refuses what is not a key', () => {
    expect(parseApiKey('eyJhbGciOi.x.y')).toBeNull();
    expect(parseApiKey('kiu_')).toBeNull();
    expect(parseApiKey('kiu_key_abc_')).toBeNull();
  });
});
