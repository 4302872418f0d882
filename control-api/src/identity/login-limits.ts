// The named limits on sign-in and registration, one set per running app (keyed by its dependencies).
// Sign-in failures count per account and address, per account over all addresses (more slowly),
// and per address over all accounts; a stranger's failures never lock an account out of the
// addresses its owner signs in from.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies } from '../kernel/dependencies';
import {
  type AttemptLimiter,
  inMemoryRateLimits,
  type RateLimitBackend,
  type RecentKeySet,
  rateLimitsOf,
} from '../kernel/rate-limits';
import type { RateLimit } from './rate-limiter';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Five wrong passwords (or codes) for one account from one address per 15 minutes: slows a guesser
 * there and rarely bothers a person; the owner signing in from elsewhere is not affected.
 */
export const LOGIN_FAILURES_PER_ACCOUNT_ADDRESS: RateLimit = {
  name: 'login_failures_per_account_address',
  attemptsMax: 5,
  windowMs: 15 * MINUTE_MS,
};
/**
 * Fifty per account per hour over every address together: a guesser spread over many addresses
 * still gets at most 1,200 tries a day, and no person types fifty wrong passwords in an hour.
 */
export const LOGIN_FAILURES_PER_ACCOUNT: RateLimit = {
  name: 'login_failures_per_account',
  attemptsMax: 50,
  windowMs: 60 * MINUTE_MS,
};
/** Twenty failures per source address per 15 minutes: a shop's shared NAT still gets several tries each. */
export const LOGIN_FAILURES_PER_ADDRESS: RateLimit = {
  name: 'login_failures_per_address',
  attemptsMax: 20,
  windowMs: 15 * MINUTE_MS,
};
/**
 * 30 days: an address an account signed in from within this time is held only to its own
 * per-address limits, not the account-wide one, so guessers elsewhere cannot keep the owner out
 * of the office or home they sign in from (a month covers a holiday away).
 */
export const KNOWN_SIGN_IN_ADDRESS_TTL_MS = 30 * DAY_MS;
/** Five self-registrations per address per hour: real ISPs register once; this stops sign-up floods. */
export const REGISTRATIONS_PER_ADDRESS: RateLimit = {
  name: 'registrations_per_address',
  attemptsMax: 5,
  windowMs: 60 * MINUTE_MS,
};

export interface SignInLimits {
  perAccountAddress: RateLimit;
  perAccount: RateLimit;
  perAddress: RateLimit;
}

export interface SignInRefusal {
  limit: RateLimit;
  retryAfterMs: number;
}

/**
 * The three sign-in failure counters and the addresses each account signed in from lately, in this
 * process or shared by every node (the backend, kernel/rate-limits.ts).
 */
export class SignInThrottle {
  private readonly perAccountAddress: AttemptLimiter;
  private readonly perAccount: AttemptLimiter;
  private readonly perAddress: AttemptLimiter;
  private readonly knownAddresses: RecentKeySet;

  constructor(limits: SignInLimits, backend: RateLimitBackend = inMemoryRateLimits) {
    this.perAccountAddress = backend.limiter(limits.perAccountAddress);
    this.perAccount = backend.limiter(limits.perAccount);
    this.perAddress = backend.limiter(limits.perAddress);
    this.knownAddresses = backend.recentKeys(
      `${limits.perAccountAddress.name}_known`,
      KNOWN_SIGN_IN_ADDRESS_TTL_MS,
    );
  }

  /** The first limit an attempt on `account` from `address` is over, or null when it may go ahead. */
  async check(account: string, address: string, nowMs: number): Promise<SignInRefusal | null> {
    const pair = pairKey(account, address);
    const checks: Array<[AttemptLimiter, string]> = [
      [this.perAddress, address],
      [this.perAccountAddress, pair],
    ];
    if (!(await this.knownAddresses.has(pair, nowMs))) checks.push([this.perAccount, account]);
    for (const [limiter, key] of checks) {
      const verdict = await limiter.check(key, nowMs);
      if (verdict.isLimited) return { limit: limiter.limit, retryAfterMs: verdict.retryAfterMs };
    }
    return null;
  }

  async recordFailure(account: string, address: string, nowMs: number): Promise<void> {
    await this.perAddress.record(address, nowMs);
    await this.perAccountAddress.record(pairKey(account, address), nowMs);
    await this.perAccount.record(account, nowMs);
  }

  /**
   * The address's own count for the account starts again and the address becomes known. The
   * account-wide and per-address counts stay: a guesser who also holds an account elsewhere (or
   * learns the password late) cannot wipe them with one good sign-in.
   */
  async recordSuccess(account: string, address: string, nowMs: number): Promise<void> {
    const pair = pairKey(account, address);
    await this.perAccountAddress.reset(pair);
    await this.knownAddresses.remember(pair, nowMs);
  }
}

/** Email addresses and IP addresses hold no newline, so the pair key is unambiguous. */
function pairKey(account: string, address: string): string {
  return `${account}\n${address}`;
}

export const CONSOLE_SIGN_IN_LIMITS: SignInLimits = {
  perAccountAddress: LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
  perAccount: LOGIN_FAILURES_PER_ACCOUNT,
  perAddress: LOGIN_FAILURES_PER_ADDRESS,
};

export interface IdentityLimiters {
  signIn: SignInThrottle;
  registrationsPerAddress: AttemptLimiter;
}

const limitersByApp = new WeakMap<ApiDependencies, IdentityLimiters>();

export function identityLimiters(dependencies: ApiDependencies): IdentityLimiters {
  let limiters = limitersByApp.get(dependencies);
  if (!limiters) {
    const backend = rateLimitsOf(dependencies);
    limiters = {
      signIn: new SignInThrottle(CONSOLE_SIGN_IN_LIMITS, backend),
      registrationsPerAddress: backend.limiter(REGISTRATIONS_PER_ADDRESS),
    };
    limitersByApp.set(dependencies, limiters);
  }
  return limiters;
}

/** Sets Retry-After (whole seconds, at least 1) for a refusal; answers the seconds. */
export function setRetryAfter(context: Context, retryAfterMs: number): number {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  context.header('Retry-After', String(retryAfterSeconds));
  return retryAfterSeconds;
}

/** Throws 429 rate_limited with Retry-After, naming the limit that was hit. */
export function throwRateLimited(context: Context, refusal: SignInRefusal): never {
  const retryAfterSeconds = setRetryAfter(context, refusal.retryAfterMs);
  throw new KiungaError(
    'rate_limited',
    `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
    429,
    { limit: refusal.limit.name, retryAfterSeconds },
  );
}

/** Throws 429 rate_limited (with Retry-After) when the key has used up its window. */
export async function assertNotLimited(
  context: Context,
  limiter: AttemptLimiter,
  key: string,
  nowMs: number,
): Promise<void> {
  const verdict = await limiter.check(key, nowMs);
  if (verdict.isLimited)
    throwRateLimited(context, { limit: limiter.limit, retryAfterMs: verdict.retryAfterMs });
}
