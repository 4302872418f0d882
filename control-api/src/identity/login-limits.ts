// The named limits on sign-in and registration, one set per running app (keyed by its dependencies).
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies } from '../dependencies';
import { type RateLimit, RateLimiter } from './rate-limiter';

const MINUTE_MS = 60_000;

/** Five wrong passwords (or codes) per account per 15 minutes: slows guessing, rarely bothers a person. */
export const LOGIN_FAILURES_PER_ACCOUNT: RateLimit = {
  name: 'login_failures_per_account',
  attemptsMax: 5,
  windowMs: 15 * MINUTE_MS,
};
/** Twenty failures per source address per 15 minutes: a shop's shared NAT still gets several tries each. */
export const LOGIN_FAILURES_PER_ADDRESS: RateLimit = {
  name: 'login_failures_per_address',
  attemptsMax: 20,
  windowMs: 15 * MINUTE_MS,
};
/** Five self-registrations per address per hour: real ISPs register once; this stops sign-up floods. */
export const REGISTRATIONS_PER_ADDRESS: RateLimit = {
  name: 'registrations_per_address',
  attemptsMax: 5,
  windowMs: 60 * MINUTE_MS,
};

export interface IdentityLimiters {
  loginFailuresPerAccount: RateLimiter;
  loginFailuresPerAddress: RateLimiter;
  registrationsPerAddress: RateLimiter;
}

const limitersByApp = new WeakMap<ApiDependencies, IdentityLimiters>();

export function identityLimiters(dependencies: ApiDependencies): IdentityLimiters {
  let limiters = limitersByApp.get(dependencies);
  if (!limiters) {
    limiters = {
      loginFailuresPerAccount: new RateLimiter(LOGIN_FAILURES_PER_ACCOUNT),
      loginFailuresPerAddress: new RateLimiter(LOGIN_FAILURES_PER_ADDRESS),
      registrationsPerAddress: new RateLimiter(REGISTRATIONS_PER_ADDRESS),
    };
    limitersByApp.set(dependencies, limiters);
  }
  return limiters;
}

/** Throws 429 rate_limited (with Retry-After) when the key has used up its window. */
export function assertNotLimited(context: Context, limiter: RateLimiter, key: string, nowMs: number): void {
  const verdict = limiter.check(key, nowMs);
  if (!verdict.isLimited) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  context.header('Retry-After', String(retryAfterSeconds));
  throw new KiungaError(
    'rate_limited',
    `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
    429,
    { limit: limiter.limit.name, retryAfterSeconds },
  );
}
