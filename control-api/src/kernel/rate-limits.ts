// Where attempt counters live: in this process (one node), or in Redis (KIUNGA_REDIS_URL) so that every
// API node counts the same sign-in failures and portal PIN prompts. Callers ask rateLimitsOf(dependencies).
import { type RateLimit, RateLimiter, type RateLimitVerdict, RecentKeys } from '../identity/rate-limiter';

/** Fixed-window attempt counts per key, as identity/rate-limiter.ts defines them, wherever they are kept. */
export interface AttemptLimiter {
  readonly limit: RateLimit;
  check(key: string, nowMs: number): Promise<RateLimitVerdict>;
  /** Counts one attempt against the key. */
  record(key: string, nowMs: number): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Keys remembered for `ttlMs` after they were last remembered (RecentKeys). */
export interface RecentKeySet {
  remember(key: string, nowMs: number): Promise<void>;
  has(key: string, nowMs: number): Promise<boolean>;
}

export interface RateLimitBackend {
  readonly kind: 'memory' | 'redis';
  limiter(limit: RateLimit): AttemptLimiter;
  /** `name` keeps one set's keys apart from another's in a shared store. */
  recentKeys(name: string, ttlMs: number): RecentKeySet;
}

export function inMemoryAttemptLimiter(limit: RateLimit): AttemptLimiter {
  const limiter = new RateLimiter(limit);
  return {
    limit,
    check: async (key, nowMs) => limiter.check(key, nowMs),
    record: async (key, nowMs) => limiter.record(key, nowMs),
    reset: async (key) => limiter.reset(key),
  };
}

export function inMemoryRecentKeys(ttlMs: number): RecentKeySet {
  const keys = new RecentKeys(ttlMs);
  return {
    remember: async (key, nowMs) => keys.remember(key, nowMs),
    has: async (key, nowMs) => keys.has(key, nowMs),
  };
}

/** Counts in this process: right for one node, and what every node falls back to while Redis is away. */
export const inMemoryRateLimits: RateLimitBackend = {
  kind: 'memory',
  limiter: inMemoryAttemptLimiter,
  recentKeys: (_name, ttlMs) => inMemoryRecentKeys(ttlMs),
};

export function rateLimitsOf(dependencies: { rateLimits?: RateLimitBackend }): RateLimitBackend {
  return dependencies.rateLimits ?? inMemoryRateLimits;
}
