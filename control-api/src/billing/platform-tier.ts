// Platform billing of ISPs (docs/decisions.md "Platform billing of ISPs"): trial, tiers, monthly charges, and
// what non-payment does to the ISP's console — never to the ISP's own clients.
import { type Cents, cents, shillingsToCents } from '@kiunga/schemas';
import { DAY_MS } from './calendar';
import { type Cycle, type CycleAnchor, resolveCycleAnchor } from './cycles';

export const TRIAL_DURATION_MS = 24 * 60 * 60 * 1000;
/** Monthly ISP revenue through Kiunga at or above which an ISP is on Tier 2. */
export const TIER2_REVENUE_THRESHOLD_CENTS = shillingsToCents(10_000);
export const TIER1_REGISTRATION_FEE_CENTS = shillingsToCents(500);
export const TIER1_MONTHLY_FEE_CENTS = shillingsToCents(500);
export const TIER2_MONTHLY_FEE_CENTS = shillingsToCents(1_500);
/** A week to pay after the due date (or trial end) before the console turns read-only. */
export const PLATFORM_GRACE_DAYS = 7;

export type PlatformTier = 'trial' | 'tier1' | 'tier2';
export type PaidTier = Exclude<PlatformTier, 'trial'>;
/** Tier 1 ISPs pick one: hotspot, or PPPoE and static. */
export type Tier1FeatureChoice = 'hotspot' | 'pppoe';

export interface TierFeatures {
  readonly hotspot: boolean;
  readonly pppoe: boolean;
  readonly sms: boolean;
}

export function tierFeatures(tier: PlatformTier, choice: Tier1FeatureChoice | null): TierFeatures {
  if (tier !== 'tier1') return { hotspot: true, pppoe: true, sms: true };
  return { hotspot: choice === 'hotspot', pppoe: choice === 'pppoe', sms: false };
}

export interface TierNotice {
  readonly from: PlatformTier;
  readonly to: PaidTier;
  readonly reason: 'revenue_at_or_above_threshold' | 'revenue_below_threshold' | 'opted_tier2';
  readonly message: string;
}

/** Re-evaluated each month on last month's revenue; a notice only when the tier changes. */
export function evaluateTier(
  monthRevenueCents: Cents,
  currentTier: PlatformTier,
  optedTier2: boolean,
): { tier: PaidTier; notice: TierNotice | null } {
  const isAboveThreshold = monthRevenueCents >= TIER2_REVENUE_THRESHOLD_CENTS;
  const tier: PaidTier = isAboveThreshold || optedTier2 ? 'tier2' : 'tier1';
  if (tier === currentTier) return { tier, notice: null };
  const reason = isAboveThreshold
    ? 'revenue_at_or_above_threshold'
    : optedTier2
      ? 'opted_tier2'
      : 'revenue_below_threshold';
  return { tier, notice: { from: currentTier, to: tier, reason, message: tierMessage(tier, reason) } };
}

function tierMessage(tier: PaidTier, reason: TierNotice['reason']): string {
  if (reason === 'opted_tier2') return 'You chose Tier 2: Ksh 1,500 a month, all features including SMS.';
  if (tier === 'tier2') {
    return 'Your revenue through Kiunga reached Ksh 10,000 last month: you are now on Tier 2 (Ksh 1,500 a month, all features).';
  }
  return 'Your revenue through Kiunga was below Ksh 10,000 last month: you are now on Tier 1 (Ksh 500 a month, Hotspot or PPPoE/Static).';
}

export interface PlatformTenant {
  readonly id: string;
  readonly trialEndsAtMs: number;
  /** The tier this period is billed at (from evaluateTier). */
  readonly tier: PaidTier;
  /** The Tier 1 registration fee is charged once ever, the first time a period is billed at Tier 1. */
  readonly isRegistrationFeeCharged: boolean;
}

export interface PlatformCharge {
  /** Idempotent per (tenant, period, kind). */
  readonly id: string;
  readonly kind: 'registration' | 'monthly';
  readonly amountCents: Cents;
  readonly description: string;
  readonly dueAtMs: number;
}

/** Platform months start on the trial's last day, so the first full month begins when the trial ends. */
export function platformCycleAnchor(trialEndsAtMs: number): CycleAnchor {
  return resolveCycleAnchor({ lengthMonths: 1, anchorDay: 'signup_day' }, null, trialEndsAtMs);
}

export function platformCharges(tenant: PlatformTenant, period: Cycle): PlatformCharge[] {
  if (period.endMs <= tenant.trialEndsAtMs) return [];
  const dueAtMs = Math.max(period.startMs, tenant.trialEndsAtMs);
  const monthly = tenant.tier === 'tier1' ? TIER1_MONTHLY_FEE_CENTS : TIER2_MONTHLY_FEE_CENTS;
  const tierName = tenant.tier === 'tier1' ? 'Tier 1' : 'Tier 2';
  const charges: PlatformCharge[] = [];
  if (tenant.tier === 'tier1' && !tenant.isRegistrationFeeCharged) {
    charges.push({
      id: `plat_${tenant.id}_${period.key}_registration`,
      kind: 'registration',
      amountCents: cents(TIER1_REGISTRATION_FEE_CENTS),
      description: 'Kiunga registration (Tier 1)',
      dueAtMs,
    });
  }
  charges.push({
    id: `plat_${tenant.id}_${period.key}_monthly`,
    kind: 'monthly',
    amountCents: cents(monthly),
    description: `Kiunga ${tierName}, month from ${period.key}`,
    dueAtMs,
  });
  return charges;
}

/**
 * trial ──(24 h pass)──▶ grace ──(grace days pass unpaid)──▶ restricted
 *   │                      │ ▲                                   │
 *   └─(paid before end)─▶ active ◀──────────(paid)────────────────┘
 * Restricted means a read-only console; the ISP's subscribers and hotspot clients keep their
 * service in every state. The state is derived from facts and the clock, so a missed run
 * cannot leave an ISP stuck, and the next moment anything changes is returned for scheduling.
 */
export type PlatformAccountState = 'trial' | 'active' | 'grace' | 'restricted';

export interface PlatformAccountFacts {
  readonly trialEndsAtMs: number;
  /** Due date of the oldest platform charge not fully paid; the first is due when the trial ends. */
  readonly oldestUnpaidDueAtMs: number | null;
}

export interface PlatformAccountStatus {
  readonly state: PlatformAccountState;
  readonly consoleAccess: 'full' | 'read_only';
  /** RADIUS and the captive portal are never cut for platform non-payment. */
  readonly clientService: 'unaffected';
  /** When the state changes next without a payment; null when only a payment changes it. */
  readonly nextChangeAtMs: number | null;
}

export function platformAccountState(
  facts: PlatformAccountFacts,
  nowMs: number,
  graceDays = PLATFORM_GRACE_DAYS,
): PlatformAccountStatus {
  const status = (state: PlatformAccountState, nextChangeAtMs: number | null): PlatformAccountStatus => ({
    state,
    consoleAccess: state === 'restricted' ? 'read_only' : 'full',
    clientService: 'unaffected',
    nextChangeAtMs,
  });
  const dueAtMs = facts.oldestUnpaidDueAtMs;
  if (nowMs < facts.trialEndsAtMs) return status('trial', facts.trialEndsAtMs);
  if (dueAtMs === null) return status('active', null);
  if (nowMs < dueAtMs) return status('active', dueAtMs);
  const graceEndsAtMs = dueAtMs + graceDays * DAY_MS;
  if (nowMs < graceEndsAtMs) return status('grace', graceEndsAtMs);
  return status('restricted', null);
}

export type PlatformStateNotice =
  | 'trial_ended_unpaid'
  | 'grace_started'
  | 'console_restricted'
  | 'access_restored';

/** What to tell the ISP when its state moves from `previous` to `current`; null when nothing to say. */
export function platformStateNotice(
  previous: PlatformAccountState,
  current: PlatformAccountState,
): PlatformStateNotice | null {
  if (previous === current) return null;
  if (current === 'grace') return previous === 'trial' ? 'trial_ended_unpaid' : 'grace_started';
  if (current === 'restricted') return 'console_restricted';
  if (current === 'active' && previous === 'restricted') return 'access_restored';
  return null;
}
