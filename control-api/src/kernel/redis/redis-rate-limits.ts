// Attempt counters in Redis, shared by every API node: the same fixed windows as the in-memory ones
// (identity/rate-limiter.ts), with the window's start and count kept in one hash per key.
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { type RateLimit, verdictOf } from '../../identity/rate-limiter';
import {
  type AttemptLimiter,
  inMemoryAttemptLimiter,
  inMemoryRecentKeys,
  type RateLimitBackend,
  type RecentKeySet,
} from '../rate-limits';

/**
 * Counts one attempt: a new window (start = the caller's clock, count 1) when there is none or it has
 * ended, else one more in it. One script, so two nodes recording at once never both start a window.
 * The key expires when its window ends (PEXPIRE from the window's start): time inside the script is the
 * caller's clock, which tests move; Redis's own expiry only collects keys no window needs any more.
 */
const RECORD_ATTEMPT_SCRIPT = `
local started = tonumber(redis.call('HGET', KEYS[1], 'started'))
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if started and now < started + window then
  return redis.call('HINCRBY', KEYS[1], 'attempts', 1)
end
redis.call('HSET', KEYS[1], 'started', ARGV[1], 'attempts', 1)
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

/** Keys of one deployment's counters; the session table's keys live under other prefixes. */
const KEY_PREFIX = 'kiunga:limit:';
/**
 * Keys are hashed: e-mail and IP addresses stay out of Redis, and a key's length is fixed whatever was
 * typed. 128 bits of SHA-256 make two keys of one limit meeting by chance impossible in practice.
 */
const HASHED_KEY_LENGTH = 22;

interface RedisWithScripts extends Redis {
  kiungaRecordAttempt(key: string, nowMs: number, windowMs: number): Promise<number>;
}

function redisKey(kind: string, name: string, key: string): string {
  const digest = createHash('sha256').update(key).digest('base64url').slice(0, HASHED_KEY_LENGTH);
  return `${KEY_PREFIX}${kind}:${name}:${digest}`;
}

/**
 * While Redis cannot be reached each node counts on its own (the in-memory limiter it keeps beside):
 * sign-ins and purchases go on, each node still limits what it sees, and one warning says so.
 */
class RedisFallback {
  private isFallingBack = false;

  constructor(private readonly logger: Logger) {}

  async attempt<Result>(shared: () => Promise<Result>, local: () => Promise<Result>): Promise<Result> {
    try {
      const result = await shared();
      if (this.isFallingBack) this.logger.info('Redis is back: limits are shared again');
      this.isFallingBack = false;
      return result;
    } catch (error) {
      if (!this.isFallingBack)
        this.logger.warn({ err: error }, 'Redis unavailable: limits are counted on this node for now');
      this.isFallingBack = true;
      return local();
    }
  }
}

function redisAttemptLimiter(
  client: RedisWithScripts,
  limit: RateLimit,
  fallback: RedisFallback,
): AttemptLimiter {
  const local = inMemoryAttemptLimiter(limit);
  const keyOf = (key: string) => redisKey('attempts', limit.name, key);
  return {
    limit,
    check: (key, nowMs) =>
      fallback.attempt(
        async () => {
          const [started, attempts] = await client.hmget(keyOf(key), 'started', 'attempts');
          const window =
            started === null || attempts === null
              ? null
              : { startedAtMs: Number(started), attempts: Number(attempts) };
          return verdictOf(limit, window, nowMs);
        },
        () => local.check(key, nowMs),
      ),
    record: (key, nowMs) =>
      fallback.attempt(
        async () => {
          await client.kiungaRecordAttempt(keyOf(key), nowMs, limit.windowMs);
        },
        () => local.record(key, nowMs),
      ),
    reset: (key) =>
      fallback.attempt(
        async () => {
          await client.del(keyOf(key));
        },
        () => local.reset(key),
      ),
  };
}

function redisRecentKeys(client: Redis, name: string, ttlMs: number, fallback: RedisFallback): RecentKeySet {
  const local = inMemoryRecentKeys(ttlMs);
  const keyOf = (key: string) => redisKey('recent', name, key);
  return {
    remember: (key, nowMs) =>
      fallback.attempt(
        async () => {
          await client.set(keyOf(key), String(nowMs), 'PX', ttlMs);
        },
        () => local.remember(key, nowMs),
      ),
    has: (key, nowMs) =>
      fallback.attempt(
        async () => {
          const rememberedAt = await client.get(keyOf(key));
          return rememberedAt !== null && nowMs < Number(rememberedAt) + ttlMs;
        },
        () => local.has(key, nowMs),
      ),
  };
}

/** Counters on `client` (connectApiRedis), shared by every node that uses the same Redis. */
export function createRedisRateLimits(client: Redis, logger: Logger): RateLimitBackend {
  client.defineCommand('kiungaRecordAttempt', { numberOfKeys: 1, lua: RECORD_ATTEMPT_SCRIPT });
  const scripted = client as RedisWithScripts;
  const fallback = new RedisFallback(logger);
  return {
    kind: 'redis',
    limiter: (limit) => redisAttemptLimiter(scripted, limit, fallback),
    recentKeys: (name, ttlMs) => redisRecentKeys(client, name, ttlMs, fallback),
  };
}
