import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

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
