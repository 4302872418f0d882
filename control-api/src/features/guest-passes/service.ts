// Guest passes: the ISP's settings (audited) and issuing a pass from the captive portal — the history
// read and the pass inserted in one serializable transaction, so that the daily cap holds exactly however
// many API nodes answer the portal.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { rateLimitsOf } from '../../kernel/rate-limits';
import { perApp } from '../../mpesa/purchase-limits';
import {
  decideGuestPass,
  type GuestPassRefusal,
  type GuestPassRequest,
  type GuestPassSettings,
  guestPassLookback,
} from './core/index';
import { checkGuestPassPhoneCode, spendGuestPassPhoneCode } from './phone-codes';
import {
  insertGuestPass,
  readGuestPassHistory,
  readGuestPassSettings,
  writeGuestPassSettings,
} from './store';

/**
 * Pass requests from one client address to one ISP's portal per window. Every device of a site reaches
 * the portal from the router's one public address (NAT): a busy site lets a few dozen new devices try a
 * day, so 60 requests in 10 minutes leaves it room while a script walking through made-up MACs stops
 * there (each made-up MAC would otherwise take a pass out of the ISP's daily cap).
 */
export const GUEST_PASS_REQUESTS_PER_ADDRESS_MAX = 60;
export const GUEST_PASS_ADDRESS_WINDOW_MS = 10 * 60_000;

const limiterOf = perApp((dependencies) =>
  rateLimitsOf(dependencies).limiter({
    name: 'portal_guest_pass_address',
    attemptsMax: GUEST_PASS_REQUESTS_PER_ADDRESS_MAX,
    windowMs: GUEST_PASS_ADDRESS_WINDOW_MS,
  }),
);

export { readGuestPassSettings };

export async function saveGuestPassSettings(
  database: SqlDatabase,
  settings: GuestPassSettings,
  nowMs: number,
  audit: Auditor,
): Promise<GuestPassSettings> {
  await writeGuestPassSettings(database, settings, nowMs);
  await audit({ action: 'settings.guest_passes.update', detail: settings });
  return settings;
}

/** `201 {username, password, expiresAt}` of issue 13's contract. */
export interface IssuedGuestPass {
  readonly username: string;
  readonly password: string;
  readonly expiresAt: number;
}

/** A refusal as the one error type, carrying when to try again (the route's Retry-After). */
export class GuestPassRefused extends KiungaError {
  constructor(readonly refusal: GuestPassRefusal) {
    super(refusal.code, refusal.message, refusal.httpStatus);
  }
}

/**
 * Issues a pass to the device, or throws `GuestPassRefused` (used within the period, daily cap, off) or
 * 429 `rate_limited` for an address asking too often. When the ISP requires the phone check, the phone's
 * latest SMS code must match first (400 `guest_pass_phone_required` / `guest_pass_code_invalid`); it is spent
 * with the pass in one transaction (a refused pass leaves it usable), and the per-phone period applies to that
 * phone.
 */
export async function issueGuestPass(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  request: GuestPassRequest,
  clientAddress: string,
): Promise<IssuedGuestPass> {
  const limiter = limiterOf(dependencies);
  const addressKey = `${tenantId}|${clientAddress}`;
  const verdict = await limiter.check(addressKey, dependencies.clock.now());
  if (verdict.isLimited) {
    throw new KiungaError('rate_limited', 'Too many free-pass requests from this network. Try again later.');
  }
  await limiter.record(addressKey, dependencies.clock.now());
  if ((await readGuestPassSettings(database)).requirePhone) {
    if (request.phone === undefined || request.code === undefined) {
      throw new KiungaError('guest_pass_phone_required');
    }
    await checkGuestPassPhoneCode(database, request.phone, request.code, dependencies.clock.now());
  }
  const decision = await database.transaction(
    async (transaction) => {
      const settings = await readGuestPassSettings(transaction);
      const lookback = guestPassLookback(settings, dependencies.clock.now());
      const history = await readGuestPassHistory(transaction, lookback, request);
      const decided = decideGuestPass({ settings, request, history, clock: dependencies.clock });
      if (decided.ok) {
        // The code is spent with the pass it buys, never by a refusal (checked above, spent here once).
        if (settings.requirePhone && request.phone !== undefined && request.code !== undefined) {
          await spendGuestPassPhoneCode(transaction, request.phone, request.code, dependencies.clock.now());
        }
        await insertGuestPass(transaction, decided.pass, dependencies.secretBox.seal(decided.pass.password));
      }
      return decided;
    },
    // The daily cap is a counter: two nodes counting 499 at once must not both insert the 500th.
    { isolation: 'serializable' },
  );
  if (!decision.ok) throw new GuestPassRefused(decision);
  return {
    username: decision.pass.username,
    password: decision.pass.password,
    expiresAt: decision.pass.expiresAtMs,
  };
}
