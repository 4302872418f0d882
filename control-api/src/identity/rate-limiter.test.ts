import { describe, expect, it } from 'vitest';
import { RateLimiter, RecentKeys } from './rate-limiter';

const limit = { name: 'test', attemptsMax: 3, windowMs: 1_000 };

describe('RateLimiter', () => {
  it('limits after attemptsMax attempts inside one window and says when to retry', () => {
    const limiter = new RateLimiter(limit);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(limiter.check('a', 100).isLimited).toBe(false);
      limiter.record('a', 100);
    }
    expect(limiter.check('a', 400)).toEqual({ isLimited: true, retryAfterMs: 700 });
    expect(limiter.check('b', 400).isLimited).toBe(false);
  });

  it('opens again when the window ends, and on reset', () => {
    const limiter = new RateLimiter(limit);
    for (let attempt = 0; attempt < 3; attempt += 1) limiter.record('a', 0);
    expect(limiter.check('a', 999).isLimited).toBe(true);
    expect(limiter.check('a', 1_000).isLimited).toBe(false);
    limiter.record('a', 1_000);
    expect(limiter.check('a', 1_001).isLimited).toBe(false);
    for (let attempt = 0; attempt < 2; attempt += 1) limiter.record('a', 1_002);
    expect(limiter.check('a', 1_003).isLimited).toBe(true);
    limiter.reset('a');
    expect(limiter.check('a', 1_003).isLimited).toBe(false);
  });

  it('keeps at most keysMax keys, dropping the oldest', () => {
    const limiter = new RateLimiter(limit, 2);
    limiter.record('a', 0);
    limiter.record('b', 0);
    limiter.record('c', 0);
    expect(limiter.size).toBe(2);
    for (let attempt = 0; attempt < 3; attempt += 1) limiter.record('c', 1);
    expect(limiter.check('c', 2).isLimited).toBe(true);
  });
});

describe('RecentKeys', () => {
  it('knows a key until its time has passed since it was last remembered', () => {
    const keys = new RecentKeys(1_000);
    keys.remember('a', 0);
    expect(keys.has('a', 999)).toBe(true);
    expect(keys.has('a', 1_000)).toBe(false);
    keys.remember('a', 900);
    expect(keys.has('a', 1_899)).toBe(true);
    expect(keys.has('b', 0)).toBe(false);
  });

  it('keeps at most keysMax keys, forgetting the least recently remembered', () => {
    const keys = new RecentKeys(1_000, 2);
    keys.remember('a', 0);
    keys.remember('b', 0);
    keys.remember('a', 1);
    keys.remember('c', 2);
    expect(keys.size).toBe(2);
    expect(keys.has('a', 3)).toBe(true);
    expect(keys.has('b', 3)).toBe(false);
    expect(keys.has('c', 3)).toBe(true);
  });
});
