// The guest-pass decision: may this device (and phone) have a free pass now, and if so its credentials;
// if not, when it may try again, said in Nairobi time. Then what RADIUS answers when the pass logs in.
//
// Order of the checks: the ISP's switch, the device's period, the phone's period, the ISP's daily cap
// (passes issued in the Nairobi calendar day). The first refusal names the code; the time it gives is
// the latest of every limit in the way, so "try again at" is never too early for a limit we knew of.
import { randomInt } from 'node:crypto';
import { type Clock, formatMikrotikRateLimit, randomAlphanumeric, VOUCHER_ALPHABET } from '@kiunga/schemas';
import { nairobiDayContaining, nairobiWhen, type TimeRange } from '../../shared/nairobi-time';
import { type Refusal, refusal } from '../../shared/refusal';
import { type GuestPassErrorCode, guestPassErrorCatalogue } from './errors';
import type { GuestPassRequest, GuestPassSettings } from './settings';

/** Every guest-pass username starts so: the RADIUS intake tells it from a voucher code (upper case, no dash). */
export const GUEST_PASS_USERNAME_PREFIX = 'guest-';
/** 31^10 ≈ 8 × 10^14: a username cannot be guessed while its pass runs. */
export const GUEST_PASS_USERNAME_RANDOM_LENGTH = 10;
/** The router's login page sends it once, unseen; 12 of 62 characters ≈ 71 bits. */
export const GUEST_PASS_PASSWORD_LENGTH = 12;

/** What the store knows, read in the grant's transaction (serializable on PostgreSQL: the cap is a counter). */
export interface GuestPassHistory {
  /** The latest pass issued to this MAC within `guestPassLookback(...).deviceSinceMs`, if any. */
  readonly lastIssuedForMacMs: number | null;
  /** Likewise for the phone, when the request carries one and the ISP limits per phone. */
  readonly lastIssuedForPhoneMs: number | null;
  /** Passes this ISP issued within `guestPassLookback(...).today`. */
  readonly issuedTodayCount: number;
}

export interface GuestPassLookback {
  readonly deviceSinceMs: number;
  readonly phoneSinceMs: number | null;
  readonly today: TimeRange;
}

/** The windows the store must look at to fill GuestPassHistory. */
export function guestPassLookback(settings: GuestPassSettings, nowMs: number): GuestPassLookback {
  return {
    deviceSinceMs: nowMs - settings.perDevicePeriodSeconds * 1_000,
    phoneSinceMs:
      settings.perPhonePeriodSeconds === null ? null : nowMs - settings.perPhonePeriodSeconds * 1_000,
    today: nairobiDayContaining(nowMs),
  };
}

export interface GuestPass {
  /** `201 {username, password, expiresAt}` of the contract: what the portal page logs the device in with. */
  readonly username: string;
  readonly password: string;
  readonly mac: string;
  readonly phone: string | null;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  /** Mikrotik-Rate-Limit of the pass ("1024k/2048k": upload/download as the router sees the client). */
  readonly rateLimit: string;
}

/** Which limit refused (the latest one in the way decides the wording): a portal says it in the client's language. */
export type GuestPassLimit = 'device' | 'phone' | 'daily_cap';

export type GuestPassRefusal = Refusal<GuestPassErrorCode> & {
  readonly retryAtMs: number | null;
  readonly limit: GuestPassLimit | null;
};

export type GuestPassDecision = { readonly ok: true; readonly pass: GuestPass } | GuestPassRefusal;

export interface GuestPassCredentialsSource {
  /** crypto.randomInt by default. */
  readonly randomIndex?: (bound: number) => number;
  /** randomAlphanumeric by default. */
  readonly password?: (length: number) => string;
}

function refuse(
  code: GuestPassErrorCode,
  retryAtMs: number | null,
  message?: string,
  limit: GuestPassLimit | null = null,
): GuestPassRefusal {
  return { ...refusal(guestPassErrorCatalogue, code, message), retryAtMs, limit };
}

export function decideGuestPass(input: {
  readonly settings: GuestPassSettings;
  readonly request: GuestPassRequest;
  readonly history: GuestPassHistory;
  readonly clock: Clock;
  readonly credentials?: GuestPassCredentialsSource;
}): GuestPassDecision {
  const { settings, request, history } = input;
  const nowMs = input.clock.now();
  if (!settings.enabled) return refuse('guest_passes_disabled', null);
  const deviceFreeAtMs = freeAtMs(history.lastIssuedForMacMs, settings.perDevicePeriodSeconds, nowMs);
  const phoneFreeAtMs =
    settings.perPhonePeriodSeconds === null || request.phone === undefined
      ? null
      : freeAtMs(history.lastIssuedForPhoneMs, settings.perPhonePeriodSeconds, nowMs);
  const today = nairobiDayContaining(nowMs);
  const capFreeAtMs = history.issuedTodayCount >= settings.dailyCap ? today.endMs : null;
  const limits = [deviceFreeAtMs, phoneFreeAtMs, capFreeAtMs].filter((atMs): atMs is number => atMs !== null);
  if (limits.length > 0) {
    const retryAtMs = Math.max(...limits);
    const when = `${nairobiWhen(retryAtMs, nowMs)} (Nairobi time)`;
    if (deviceFreeAtMs !== null) {
      return refuse(
        'guest_pass_used',
        retryAtMs,
        `This device already had its free pass. Try again ${when}.`,
        'device',
      );
    }
    if (phoneFreeAtMs !== null) {
      return refuse(
        'guest_pass_used',
        retryAtMs,
        `This phone number already had its free pass. Try again ${when}.`,
        'phone',
      );
    }
    return refuse(
      'guest_pass_daily_cap',
      retryAtMs,
      `Free passes for today are used up. Try again ${when}.`,
      'daily_cap',
    );
  }
  return { ok: true, pass: issuePass(settings, request, nowMs, input.credentials ?? {}) };
}

/** When a limit set by a pass issued at `lastIssuedMs` lets the next one through; null if it already does. */
function freeAtMs(lastIssuedMs: number | null, periodSeconds: number, nowMs: number): number | null {
  if (lastIssuedMs === null) return null;
  const atMs = lastIssuedMs + periodSeconds * 1_000;
  return atMs > nowMs ? atMs : null;
}

function issuePass(
  settings: GuestPassSettings,
  request: GuestPassRequest,
  nowMs: number,
  source: GuestPassCredentialsSource,
): GuestPass {
  const randomIndex = source.randomIndex ?? randomInt;
  let suffix = '';
  for (let index = 0; index < GUEST_PASS_USERNAME_RANDOM_LENGTH; index += 1) {
    suffix += VOUCHER_ALPHABET[randomIndex(VOUCHER_ALPHABET.length)];
  }
  return {
    username: `${GUEST_PASS_USERNAME_PREFIX}${suffix}`,
    password: (source.password ?? randomAlphanumeric)(GUEST_PASS_PASSWORD_LENGTH),
    mac: request.mac,
    phone: request.phone ?? null,
    issuedAtMs: nowMs,
    expiresAtMs: nowMs + settings.durationSeconds * 1_000,
    rateLimit: formatMikrotikRateLimit({ upKbps: settings.rateUpKbps, downKbps: settings.rateDownKbps }),
  };
}

export function isGuestPassUsername(username: string): boolean {
  return username.startsWith(GUEST_PASS_USERNAME_PREFIX);
}

export type GuestPassAuthorization =
  | {
      readonly kind: 'accept';
      /** Session-Timeout: what is left of the pass, so the router ends it on time. */
      readonly sessionTimeoutSeconds: number;
      readonly rateLimit: string;
      /** Shown in diagnostics beside the session. */
      readonly reason: 'guest_pass';
    }
  /** Codes of the existing catalogue, so the Reply-Message is the one clients already read. */
  | { readonly kind: 'reject'; readonly code: 'voucher_expired' | 'invalid_credentials' };

/**
 * RADIUS for a guest pass (after the password check): only the device it was issued to, only while it
 * runs. Calling-Station-Id is the client's MAC on a MikroTik hotspot, in the same upper-case colon form.
 */
export function authorizeGuestPass(input: {
  readonly pass: Pick<GuestPass, 'mac' | 'expiresAtMs' | 'rateLimit'>;
  readonly callingStationId: string | null;
  readonly nowMs: number;
}): GuestPassAuthorization {
  const { pass, nowMs } = input;
  const device = input.callingStationId?.replaceAll('-', ':').toUpperCase() ?? null;
  if (device !== pass.mac) return { kind: 'reject', code: 'invalid_credentials' };
  const remainingSeconds = Math.floor((pass.expiresAtMs - nowMs) / 1_000);
  if (remainingSeconds < 1) return { kind: 'reject', code: 'voucher_expired' };
  return {
    kind: 'accept',
    sessionTimeoutSeconds: remainingSeconds,
    rateLimit: pass.rateLimit,
    reason: 'guest_pass',
  };
}
