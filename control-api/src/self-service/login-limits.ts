// Limits on subscriber sign-in at /account, one set per running app (keyed by its dependencies):
// the console's rules (identity/login-limits.ts) under names of their own.

import { type Language, t, tCount } from '../i18n';
import {
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
  LOGIN_FAILURES_PER_ADDRESS,
  SignInThrottle,
} from '../identity/login-limits';
import type { ApiDependencies } from '../kernel/dependencies';
import { rateLimitsOf } from '../kernel/rate-limits';

const throttlesByApp = new WeakMap<ApiDependencies, SignInThrottle>();

export function customerSignInThrottle(dependencies: ApiDependencies): SignInThrottle {
  let throttle = throttlesByApp.get(dependencies);
  if (!throttle) {
    throttle = new SignInThrottle(
      {
        perAccountAddress: {
          ...LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
          name: 'account_login_failures_per_account_address',
        },
        perAccount: { ...LOGIN_FAILURES_PER_ACCOUNT, name: 'account_login_failures_per_account' },
        perAddress: { ...LOGIN_FAILURES_PER_ADDRESS, name: 'account_login_failures_per_address' },
      },
      rateLimitsOf(dependencies),
    );
    throttlesByApp.set(dependencies, throttle);
  }
  return throttle;
}

export function loginLimitMessage(retryAfterMs: number, language: Language): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return t(language, 'account.login.tooMany', { minutes: tCount(language, 'minutes', minutes) });
}
