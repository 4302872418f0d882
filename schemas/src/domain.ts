// Plain domain types shared by the AAA server, the control API and the tools.
export type PlanKind = 'hotspot' | 'pppoe' | 'static';
export type VoucherStatus = 'unused' | 'active' | 'expired' | 'revoked';
export type SubscriberStatus = 'active' | 'expired' | 'suspended';
export type TenantStatus = 'trial' | 'active' | 'suspended' | 'archived';

/** What a tenant does with an expired PPPoE/static account: refuse it, or let it into a walled garden. */
export type ExpiredAccountPolicy = 'reject' | 'walled_garden';

export interface TenantRadiusSettings {
  idleTimeoutSeconds: number;
  interimIntervalSeconds: number;
  expiredAccountPolicy: ExpiredAccountPolicy;
  /** MikroTik address list an expired account lands in under the walled-garden policy. */
  walledGardenAddressList: string;
  /** The ISP's default language for what its clients read; an Access-Reject's Reply-Message uses it (issue 14). */
  clientLanguage: ClientLanguage;
}

/** The languages of the client catalogues (control-api/src/i18n). */
export type ClientLanguage = 'en' | 'sw';

export const defaultTenantRadiusSettings: TenantRadiusSettings = {
  idleTimeoutSeconds: 900,
  interimIntervalSeconds: 300,
  expiredAccountPolicy: 'reject',
  walledGardenAddressList: 'kiunga-expired',
  clientLanguage: 'en',
};

export interface RateLimit {
  upKbps: number;
  downKbps: number;
  burstUpKbps?: number | null;
  burstDownKbps?: number | null;
  burstThresholdUpKbps?: number | null;
  burstThresholdDownKbps?: number | null;
  burstTimeSeconds?: number | null;
}

/**
 * MikroTik's Rate-Limit syntax is rx/tx from the router's view of the client, i.e.
 * upload/download: "rx-rate/tx-rate [rx-burst/tx-burst [rx-threshold/tx-threshold [rx-time/tx-time]]]".
 */
export function formatMikrotikRateLimit(rate: RateLimit): string {
  const pair = (up: number, down: number, unit: string) => `${up}${unit}/${down}${unit}`;
  const base = pair(rate.upKbps, rate.downKbps, 'k');
  const hasBurst =
    rate.burstUpKbps != null &&
    rate.burstDownKbps != null &&
    rate.burstThresholdUpKbps != null &&
    rate.burstThresholdDownKbps != null &&
    rate.burstTimeSeconds != null;
  if (!hasBurst) return base;
  return [
    base,
    pair(rate.burstUpKbps!, rate.burstDownKbps!, 'k'),
    pair(rate.burstThresholdUpKbps!, rate.burstThresholdDownKbps!, 'k'),
    `${rate.burstTimeSeconds}/${rate.burstTimeSeconds}`,
  ].join(' ');
}
