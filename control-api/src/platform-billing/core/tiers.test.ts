import { cents, formatKsh } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../billing/core/calendar';
import { cycleContaining, nextCycle } from '../../billing/core/cycles';
import { eat } from '../../billing/core/test-fixtures';
import {
  decideTierChoice,
  evaluateTier,
  PLATFORM_GRACE_DAYS,
  platformAccountState,
  platformCharges,
  platformCycleAnchor,
  platformStateNotice,
  TIER2_MONTHLY_FEE_CENTS,
  TRIAL_DURATION_MS,
  tierDescription,
  tierFeatures,
} from './tiers';

describe('evaluateTier', () => {
  it('puts revenue below Ksh 10,000 on Tier 1 and at or above it on Tier 2', () => {
    expect(evaluateTier(cents(999_999), 'tier1', false)).toEqual({ tier: 'tier1', notice: null });
    const up = evaluateTier(cents(1_000_000), 'tier1', false);
    expect(up.tier).toBe('tier2');
    expect(up.notice).toMatchObject({ from: 'tier1', to: 'tier2', reason: 'revenue_at_or_above_threshold' });
  });

  it('lets an ISP stay on Tier 2 by choice and tells one that drops why', () => {
    expect(evaluateTier(cents(0), 'tier2', true)).toEqual({ tier: 'tier2', notice: null });
    expect(evaluateTier(cents(0), 'tier1', true).notice?.reason).toBe('opted_tier2');
    const down = evaluateTier(cents(500_000), 'tier2', false);
    expect(down.tier).toBe('tier1');
    expect(down.notice?.message).toMatch(/below Ksh 10,000/);
  });

  it('assigns a tier when the trial ends', () => {
    expect(evaluateTier(cents(0), 'trial', false).notice).toMatchObject({ from: 'trial', to: 'tier1' });
  });
});

describe('tierFeatures', () => {
  it('gives Tier 1 one of hotspot or PPPoE/static, and Tier 2 everything including SMS', () => {
    expect(tierFeatures('tier1', 'hotspot')).toEqual({ hotspot: true, pppoe: false, sms: false });
    expect(tierFeatures('tier1', 'pppoe')).toEqual({ hotspot: false, pppoe: true, sms: false });
    expect(tierFeatures('tier2', null)).toEqual({ hotspot: true, pppoe: true, sms: true });
  });
});

describe('platformCharges', () => {
  const registeredAtMs = eat(2026, 3, 10, 15);
  const trialEndsAtMs = registeredAtMs + TRIAL_DURATION_MS;
  const anchor = platformCycleAnchor(trialEndsAtMs);
  const firstMonth = cycleContaining(anchor, trialEndsAtMs);

  it('charges Tier 1 registration once plus Ksh 500 a month from the trial end', () => {
    const tenant = { id: 'tnt_a', trialEndsAtMs, tier: 'tier1' as const, isRegistrationFeeCharged: false };
    const charges = platformCharges(tenant, firstMonth);
    expect(firstMonth.key).toBe('2026-03-11');
    expect(charges.map((charge) => [charge.kind, charge.amountCents, charge.dueAtMs])).toEqual([
      ['registration', 50_000, trialEndsAtMs],
      ['monthly', 50_000, trialEndsAtMs],
    ]);
    const later = platformCharges(
      { ...tenant, isRegistrationFeeCharged: true },
      nextCycle(anchor, firstMonth),
    );
    expect(later.map((charge) => [charge.kind, charge.amountCents, charge.id])).toEqual([
      ['monthly', 50_000, 'plat_tnt_a_2026-04-11_monthly'],
    ]);
  });

  it('charges Tier 2 Ksh 1,500 a month with no registration fee', () => {
    const tenant = { id: 'tnt_b', trialEndsAtMs, tier: 'tier2' as const, isRegistrationFeeCharged: false };
    expect(platformCharges(tenant, firstMonth).map((charge) => charge.amountCents)).toEqual([150_000]);
  });
});

describe('platformAccountState', () => {
  const trialEndsAtMs = eat(2026, 3, 11, 15);
  const graceEndsAtMs = trialEndsAtMs + PLATFORM_GRACE_DAYS * DAY_MS;
  const unpaid = { trialEndsAtMs, oldestUnpaidDueAtMs: trialEndsAtMs };

  it('goes trial → grace → restricted when unpaid, never touching the ISP clients', () => {
    expect(platformAccountState(unpaid, trialEndsAtMs - 1)).toMatchObject({
      state: 'trial',
      nextChangeAtMs: trialEndsAtMs,
    });
    expect(platformAccountState(unpaid, trialEndsAtMs)).toMatchObject({
      state: 'grace',
      consoleAccess: 'full',
      nextChangeAtMs: graceEndsAtMs,
    });
    const restricted = platformAccountState(unpaid, graceEndsAtMs);
    expect(restricted).toEqual({
      state: 'restricted',
      consoleAccess: 'read_only',
      clientService: 'unaffected',
      nextChangeAtMs: null,
    });
    expect(platformStateNotice('trial', 'grace')).toBe('trial_ended_unpaid');
    expect(platformStateNotice('grace', 'restricted')).toBe('console_restricted');
  });

  it('is active once paid, and restored from restricted by payment', () => {
    const paid = { trialEndsAtMs, oldestUnpaidDueAtMs: null };
    expect(platformAccountState(paid, graceEndsAtMs + DAY_MS).state).toBe('active');
    expect(platformStateNotice('restricted', 'active')).toBe('access_restored');
    const nextMonthDue = { trialEndsAtMs, oldestUnpaidDueAtMs: eat(2026, 4, 11) };
    expect(platformAccountState(nextMonthDue, eat(2026, 4, 10))).toMatchObject({ state: 'active' });
    expect(platformAccountState(nextMonthDue, eat(2026, 4, 12)).state).toBe('grace');
  });
});

describe('decideTierChoice', () => {
  it('moves to Tier 2 now with a notice that names the fee constant, once', () => {
    expect(decideTierChoice({ tier: 'tier1', featureChoice: 'hotspot' }, { tier: 'tier2' })).toEqual({
      kind: 'opt_tier2',
      notice: {
        kind: 'tier_opted_tier2',
        message: `You chose Tier 2: ${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month from your next month, all features including SMS, from now.`,
      },
    });
    expect(decideTierChoice({ tier: 'tier2', featureChoice: null }, { tier: 'tier2' })).toEqual({
      kind: 'opt_tier2',
      notice: null,
    });
  });

  it('goes back to following revenue with the feature given or kept, and refuses Tier 1 without one', () => {
    const tier2 = { tier: 'tier2', featureChoice: null };
    expect(decideTierChoice(tier2, { tier: 'tier1', featureChoice: 'pppoe' })).toEqual({
      kind: 'follow_revenue',
      featureChoice: 'pppoe',
    });
    expect(decideTierChoice({ ...tier2, featureChoice: 'hotspot' }, { tier: 'tier1' })).toEqual({
      kind: 'follow_revenue',
      featureChoice: 'hotspot',
    });
    expect(decideTierChoice(tier2, { tier: 'tier1' })).toEqual({
      kind: 'refused',
      reason: 'feature_choice_required',
    });
  });

  it('describes each paid tier from its fee constant', () => {
    expect(tierDescription('tier2')).toBe(
      `Tier 2 (${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month, all features)`,
    );
    expect(tierDescription('tier2')).toBe('Tier 2 (Ksh 1,500 a month, all features)');
  });
});
