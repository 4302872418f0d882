// Pure authorization policy: given a voucher or subscriber, the tenant's settings and the time,
// decide accept (with what reply) or reject (with a reason from the error catalogue).
import type { ErrorCode, TenantRadiusSettings } from '@kiunga/schemas';

/** RADIUS Session-Timeout is a 32-bit unsigned count of seconds; keep well inside it. */
export const SESSION_TIMEOUT_MAX_SECONDS = 2_147_483_647;

/**
 * A walled-garden session ends after five minutes and the router asks again, so a payment (or a
 * suspension lifted) shows within that time even if the Disconnect-Request that billing sends is lost.
 */
export const WALLED_GARDEN_SESSION_TIMEOUT_SECONDS = 300;
/**
 * What a blocked account may use while it is in the walled garden: enough for the pay page and the
 * M-Pesa prompt, not for service (MikroTik Rate-Limit syntax, rx/tx: 64 kbit/s each way). The router's
 * firewall rules for the `kiunga-expired` address list decide where that trickle may go.
 */
export const WALLED_GARDEN_RATE_LIMIT = '64k/64k';

export type RejectReason = Extract<
  ErrorCode,
  | 'invalid_credentials'
  | 'voucher_expired'
  | 'voucher_revoked'
  | 'device_limit_reached'
  | 'session_limit_reached'
  | 'mac_address_mismatch'
  | 'data_cap_reached'
  | 'account_expired'
  | 'account_suspended'
  | 'unsupported_authentication'
>;

export interface ReplyPlan {
  sessionTimeoutSeconds: number | null;
  idleTimeoutSeconds: number;
  interimIntervalSeconds: number;
  rateLimit: string | null;
  framedIpAddress: string | null;
  /** Framed-Pool (RFC 2869 §5.18): the router's IP pool to address the client from. */
  framedPool: string | null;
  addressList: string | null;
  /** Bytes left of a data cap; the router enforces it (Mikrotik-Total-Limit). Null: no cap. */
  totalLimitBytes: number | null;
}

export type AuthorizationDecision =
  | { outcome: 'accept'; reply: ReplyPlan; firstUse: { firstUsedAtMs: number; expiresAtMs: number } | null }
  | { outcome: 'reject'; reason: RejectReason };

export interface VoucherFacts {
  status: string;
  validitySeconds: number;
  rateLimit: string;
  dataCapBytes: number | null;
  firstUsedAtMs: number | null;
  expiresAtMs: number | null;
  /** Octets used so far across all its sessions; only needed when there is a data cap. */
  usedOctets: number;
}

export interface SubscriberFacts {
  status: string;
  expiresAtMs: number | null;
  rateLimit: string;
  staticIp: string | null;
  /** The plan's IP pool, or null. */
  ipPool: string | null;
  /** The device the account is bound to (normalised MAC), or null when any device may log in. */
  boundMacAddress: string | null;
  /** The normalised Calling-Station-Id of this request, or null when the NAS sent none. */
  deviceMacAddress: string | null;
}

function remainingSeconds(expiresAtMs: number, nowMs: number): number {
  return Math.min(SESSION_TIMEOUT_MAX_SECONDS, Math.max(1, Math.ceil((expiresAtMs - nowMs) / 1000)));
}

function reject(reason: RejectReason): AuthorizationDecision {
  return { outcome: 'reject', reason };
}

export function authorizeVoucher(
  voucher: VoucherFacts,
  isPasswordValid: boolean,
  settings: TenantRadiusSettings,
  nowMs: number,
): AuthorizationDecision {
  if (!isPasswordValid) return reject('invalid_credentials');
  if (voucher.status === 'revoked') return reject('voucher_revoked');
  if (voucher.status === 'expired') return reject('voucher_expired');
  if (voucher.expiresAtMs !== null && voucher.expiresAtMs <= nowMs) return reject('voucher_expired');
  if (voucher.dataCapBytes !== null && voucher.usedOctets >= voucher.dataCapBytes) {
    return reject('data_cap_reached');
  }
  // Validity starts at the first login, not at sale.
  const isFirstUse = voucher.firstUsedAtMs === null;
  const expiresAtMs = voucher.expiresAtMs ?? nowMs + voucher.validitySeconds * 1000;
  return {
    outcome: 'accept',
    firstUse: isFirstUse ? { firstUsedAtMs: nowMs, expiresAtMs } : null,
    reply: {
      sessionTimeoutSeconds: remainingSeconds(expiresAtMs, nowMs),
      idleTimeoutSeconds: settings.idleTimeoutSeconds,
      interimIntervalSeconds: settings.interimIntervalSeconds,
      rateLimit: voucher.rateLimit,
      framedIpAddress: null,
      framedPool: null,
      addressList: null,
      totalLimitBytes: voucher.dataCapBytes === null ? null : voucher.dataCapBytes - voucher.usedOctets,
    },
  };
}

export function isSubscriberExpired(subscriber: SubscriberFacts, nowMs: number): boolean {
  return (
    subscriber.status === 'expired' || (subscriber.expiresAtMs !== null && subscriber.expiresAtMs <= nowMs)
  );
}

export function authorizeSubscriber(
  subscriber: SubscriberFacts,
  isPasswordValid: boolean,
  settings: TenantRadiusSettings,
  nowMs: number,
): AuthorizationDecision {
  if (!isPasswordValid) return reject('invalid_credentials');
  // Bound to one device: another one (or none named) is refused, whatever the account's state.
  if (subscriber.boundMacAddress !== null && subscriber.deviceMacAddress !== subscriber.boundMacAddress) {
    return reject('mac_address_mismatch');
  }
  const blockedReason: RejectReason | null =
    subscriber.status === 'suspended'
      ? 'account_suspended'
      : isSubscriberExpired(subscriber, nowMs)
        ? 'account_expired'
        : null;
  if (blockedReason !== null) {
    if (settings.expiredAccountPolicy !== 'walled_garden') return reject(blockedReason);
    return {
      outcome: 'accept',
      firstUse: null,
      reply: {
        ...subscriberReply(subscriber, settings),
        sessionTimeoutSeconds: WALLED_GARDEN_SESSION_TIMEOUT_SECONDS,
        rateLimit: WALLED_GARDEN_RATE_LIMIT,
        addressList: settings.walledGardenAddressList,
      },
    };
  }
  return {
    outcome: 'accept',
    firstUse: null,
    reply: {
      ...subscriberReply(subscriber, settings),
      sessionTimeoutSeconds:
        subscriber.expiresAtMs === null ? null : remainingSeconds(subscriber.expiresAtMs, nowMs),
    },
  };
}

function subscriberReply(subscriber: SubscriberFacts, settings: TenantRadiusSettings): ReplyPlan {
  return {
    sessionTimeoutSeconds: null,
    idleTimeoutSeconds: settings.idleTimeoutSeconds,
    interimIntervalSeconds: settings.interimIntervalSeconds,
    rateLimit: subscriber.rateLimit,
    framedIpAddress: subscriber.staticIp,
    // RouterOS ignores Framed-Pool when Framed-IP-Address is given (RouterOS manual, RADIUS client,
    // Access-Accept attributes), so a static subscriber gets the address alone.
    framedPool: subscriber.staticIp === null ? subscriber.ipPool : null,
    addressList: null,
    totalLimitBytes: null,
  };
}
