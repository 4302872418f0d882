// How often a captive portal may ring phones with M-Pesa PIN prompts: per phone number (normalised, so
// 0712…, +254712… and 254712… are one number) and per client address, each counted per ISP, so one
// ISP's portal can never block a number from buying on another's.

import { KiungaError } from '@kiunga/schemas';
import { DEFAULT_LANGUAGE, type Language, t, tCount } from '../i18n';
import type { ApiDependencies } from '../kernel/dependencies';
import { rateLimitsOf } from '../kernel/rate-limits';

/**
 * PIN prompts to one number from one ISP's portal per window: enough to retry after a cancel, a
 * timeout and a wrong PIN, too few to pester someone else's phone.
 */
export const STK_PUSHES_PER_PHONE_MAX = 5;
export const STK_PUSH_PHONE_WINDOW_MS = 10 * 60_000;
/**
 * Pushes from one client address to one ISP's portal per window. Every hotspot client of a site
 * reaches the portal from the router's one public address (NAT), and a busy site sells about one
 * voucher a minute, each buyer retrying after a cancel or a timeout now and then: three pushes a
 * minute leaves such a site room, while one address ringing a list of strangers' phones stops at the
 * thirtieth, and each stranger is rung at most STK_PUSHES_PER_PHONE_MAX times.
 */
export const STK_PUSHES_PER_ADDRESS_MAX = 30;
export const STK_PUSH_ADDRESS_WINDOW_MS = 10 * 60_000;

/**
 * One `T` per running app, made on first use: limiters live as long as the app (tests start several
 * apps in one process, each with its own counts).
 */
export function perApp<T>(
  create: (dependencies: ApiDependencies) => T,
): (dependencies: ApiDependencies) => T {
  const made = new WeakMap<ApiDependencies, T>();
  return (dependencies) => {
    let value = made.get(dependencies);
    if (value === undefined) {
      value = create(dependencies);
      made.set(dependencies, value);
    }
    return value;
  };
}

const limitersOf = perApp((dependencies) => ({
  byPhone: rateLimitsOf(dependencies).limiter({
    name: 'portal_stk_phone',
    attemptsMax: STK_PUSHES_PER_PHONE_MAX,
    windowMs: STK_PUSH_PHONE_WINDOW_MS,
  }),
  byAddress: rateLimitsOf(dependencies).limiter({
    name: 'portal_stk_address',
    attemptsMax: STK_PUSHES_PER_ADDRESS_MAX,
    windowMs: STK_PUSH_ADDRESS_WINDOW_MS,
  }),
}));

/** "1 minute", "7 minutes": a wait rounded up, so the buyer never retries too early. */
export function minutesText(durationMs: number, language: Language = DEFAULT_LANGUAGE): string {
  return tCount(language, 'minutes', Math.max(1, Math.ceil(durationMs / 60_000)));
}

/**
 * Counts one PIN prompt to `phone` (normalised) from `address` on `tenantId`'s portal, or throws 429
 * `rate_limited` with when to try again. Nothing is counted when either limit is reached.
 */
export async function limitStkPush(
  dependencies: ApiDependencies,
  push: { readonly tenantId: string; readonly phone: string; readonly address: string },
  language: Language = DEFAULT_LANGUAGE,
): Promise<void> {
  const { byPhone, byAddress } = limitersOf(dependencies);
  const nowMs = dependencies.clock.now();
  const phoneKey = `${push.tenantId}|${push.phone}`;
  const addressKey = `${push.tenantId}|${push.address}`;
  const phoneVerdict = await byPhone.check(phoneKey, nowMs);
  if (phoneVerdict.isLimited) {
    throw new KiungaError(
      'rate_limited',
      t(language, 'portal.limits.tooManyToNumber', {
        minutes: minutesText(phoneVerdict.retryAfterMs, language),
      }),
    );
  }
  const addressVerdict = await byAddress.check(addressKey, nowMs);
  if (addressVerdict.isLimited) {
    throw new KiungaError(
      'rate_limited',
      t(language, 'portal.limits.tooManyFromNetwork', {
        minutes: minutesText(addressVerdict.retryAfterMs, language),
      }),
    );
  }
  await byPhone.record(phoneKey, nowMs);
  await byAddress.record(addressKey, nowMs);
}
