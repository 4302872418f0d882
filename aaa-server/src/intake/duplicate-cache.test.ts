// Tests of RFC 5080 duplicate detection.
import { describe, expect, it } from 'vitest';
import { DuplicateCache, duplicateKey } from './duplicate-cache';

const authenticator = Buffer.alloc(16, 7);

describe('DuplicateCache', () => {
  it('answers a retransmission with the cached response within the window', () => {
    const cache = new DuplicateCache(5_000, 10);
    const key = duplicateKey('127.0.0.1', 40000, 1, 9, authenticator);
    expect(cache.begin(key, 1_000)).toEqual({ kind: 'new' });
    expect(cache.begin(key, 1_001)).toEqual({ kind: 'in_progress' });
    cache.complete(key, Buffer.from('reply'));
    expect(cache.begin(key, 2_000)).toEqual({ kind: 'answered', response: Buffer.from('reply') });
    expect(cache.begin(key, 6_001)).toEqual({ kind: 'new' });
  });

  it('tells requests apart by port, identifier and authenticator', () => {
    const cache = new DuplicateCache(5_000, 10);
    cache.begin(duplicateKey('127.0.0.1', 40000, 1, 9, authenticator), 0);
    expect(cache.begin(duplicateKey('127.0.0.1', 40001, 1, 9, authenticator), 0).kind).toBe('new');
    expect(cache.begin(duplicateKey('127.0.0.1', 40000, 1, 10, authenticator), 0).kind).toBe('new');
    expect(cache.begin(duplicateKey('127.0.0.1', 40000, 1, 9, Buffer.alloc(16, 8)), 0).kind).toBe('new');
  });

  it('stays within its bound by dropping the oldest entries', () => {
    const cache = new DuplicateCache(5_000, 3);
    for (let identifier = 0; identifier < 10; identifier += 1) {
      cache.begin(duplicateKey('127.0.0.1', 1, 1, identifier, authenticator), 0);
    }
    expect(cache.size).toBe(3);
  });

  it('forgets an abandoned request so its retransmission is processed', () => {
    const cache = new DuplicateCache();
    const key = duplicateKey('127.0.0.1', 1, 4, 1, authenticator);
    cache.begin(key, 0);
    cache.abandon(key);
    expect(cache.begin(key, 1).kind).toBe('new');
  });
});
