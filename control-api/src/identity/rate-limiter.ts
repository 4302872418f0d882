// Fixed-window attempt counters per key (account, source address); pure, time passed in.

/**
 * Keys tracked at once per limiter. At ~100 bytes per entry this caps memory near 10 MB;
 * when full, the oldest window is dropped (an attacker spraying keys only frees counters
 * that were about to expire, at worst letting one account retry a window early).
 */
export const RATE_LIMIT_KEYS_MAX = 100_000;

export interface RateLimit {
  /** Named so logs and errors say which limit was hit. */
  name: string;
  attemptsMax: number;
  windowMs: number;
}

export interface RateLimitVerdict {
  isLimited: boolean;
  /** How long until the window ends; 0 when not limited. */
  retryAfterMs: number;
}

export interface AttemptWindow {
  startedAtMs: number;
  attempts: number;
}

/**
 * The verdict on a key whose current window is `window` (null: none, or it ended): limited once the
 * window holds attemptsMax attempts, until it ends. Shared by the in-memory and the Redis counters.
 */
export function verdictOf(limit: RateLimit, window: AttemptWindow | null, nowMs: number): RateLimitVerdict {
  if (!window || nowMs >= window.startedAtMs + limit.windowMs || window.attempts < limit.attemptsMax)
    return { isLimited: false, retryAfterMs: 0 };
  return { isLimited: true, retryAfterMs: window.startedAtMs + limit.windowMs - nowMs };
}

export class RateLimiter {
  readonly limit: RateLimit;
  private readonly keysMax: number;
  /** Insertion order is age order: re-inserted on a new window, so the first key is the oldest. */
  private readonly windows = new Map<string, AttemptWindow>();

  constructor(limit: RateLimit, keysMax = RATE_LIMIT_KEYS_MAX) {
    if (limit.attemptsMax < 1 || limit.windowMs < 1) throw new Error(`invalid rate limit ${limit.name}`);
    this.limit = limit;
    this.keysMax = keysMax;
  }

  check(key: string, nowMs: number): RateLimitVerdict {
    return verdictOf(this.limit, this.currentWindow(key, nowMs), nowMs);
  }

  /** Counts one attempt against the key. */
  record(key: string, nowMs: number): void {
    const window = this.currentWindow(key, nowMs);
    if (window) {
      window.attempts += 1;
      return;
    }
    this.windows.delete(key);
    while (this.windows.size >= this.keysMax) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
    this.windows.set(key, { startedAtMs: nowMs, attempts: 1 });
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private currentWindow(key: string, nowMs: number): AttemptWindow | null {
    const window = this.windows.get(key);
    if (!window || nowMs >= window.startedAtMs + this.limit.windowMs) return null;
    return window;
  }
}

/**
 * Keys seen recently (e.g. account + address pairs that signed in), each forgotten `ttlMs` after it
 * was last remembered; at most keysMax, the least recently remembered dropped first.
 */
export class RecentKeys {
  private readonly ttlMs: number;
  private readonly keysMax: number;
  /** Insertion order is age order: re-inserted on every remember, so the first key is the oldest. */
  private readonly rememberedAtMs = new Map<string, number>();

  constructor(ttlMs: number, keysMax = RATE_LIMIT_KEYS_MAX) {
    if (ttlMs < 1 || keysMax < 1) throw new Error('invalid RecentKeys bounds');
    this.ttlMs = ttlMs;
    this.keysMax = keysMax;
  }

  remember(key: string, nowMs: number): void {
    this.rememberedAtMs.delete(key);
    while (this.rememberedAtMs.size >= this.keysMax) {
      const oldest = this.rememberedAtMs.keys().next().value;
      if (oldest === undefined) break;
      this.rememberedAtMs.delete(oldest);
    }
    this.rememberedAtMs.set(key, nowMs);
  }

  has(key: string, nowMs: number): boolean {
    const atMs = this.rememberedAtMs.get(key);
    return atMs !== undefined && nowMs < atMs + this.ttlMs;
  }

  get size(): number {
    return this.rememberedAtMs.size;
  }
}
