// Limits on subscriber sign-in at /account, one set per running app (keyed by its dependencies).
import type { ApiDependencies } from '../dependencies';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS } from '../identity/login-limits';
import { RateLimiter } from '../identity/rate-limiter';

export interface CustomerLimiters {
  /** Five wrong passwords per subscriber per 15 minutes, as for console users. */
  perAccount: RateLimiter;
  /** Twenty failures per address per 15 minutes: a shared NAT still gets several tries each. */
  perAddress: RateLimiter;
}

const limitersByApp = new WeakMap<ApiDependencies, CustomerLimiters>();

export function customerLimiters(dependencies: ApiDependencies): CustomerLimiters {
  let limiters = limitersByApp.get(dependencies);
  if (!limiters) {
    limiters = {
      perAccount: new RateLimiter({
        ...LOGIN_FAILURES_PER_ACCOUNT,
        name: 'account_login_failures_per_account',
      }),
      perAddress: new RateLimiter({
        ...LOGIN_FAILURES_PER_ADDRESS,
        name: 'account_login_failures_per_address',
      }),
    };
    limitersByApp.set(dependencies, limiters);
  }
  return limiters;
}

export function loginLimitMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
