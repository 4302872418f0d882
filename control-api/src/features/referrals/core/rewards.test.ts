// Referral rewards: one per new phone, never for one's own phone, capped per referrer per month.
import { describe, expect, it } from 'vitest';
import {
  decideReferralReward,
  type ReferralHistory,
  type ReferralSettings,
  referralCapMonth,
  referralSettingsSchema,
} from './rewards';

const settings: ReferralSettings = {
  enabled: true,
  referrerRewardPlanId: 'pln_day',
  newClientRewardPlanId: 'pln_hour',
  monthlyCapPerReferrer: 3,
};
const referrer = { kind: 'client', id: 'cli_1', phone: '0712 345 678' } as const;
const purchase = { purchaseId: 'pur_9', phone: '+254 722 000 111', paidAtMs: Date.UTC(2026, 1, 10, 9) };
const fresh: ReferralHistory = {
  isPhoneKnownBefore: false,
  isPhoneAlreadyRewarded: false,
  referrerRewardsThisMonth: 0,
};

describe('decideReferralReward', () => {
  it('grants the referrer’s voucher and the new client’s, keyed by the normalised new phone', () => {
    expect(decideReferralReward({ settings, referrer, purchase, history: fresh })).toEqual({
      kind: 'grant',
      rewardKey: 'referral:254722000111',
      newPhone: '254722000111',
      referrerReward: {
        referrerKind: 'client',
        referrerId: 'cli_1',
        planId: 'pln_day',
        smsPhone: '254712345678',
      },
      newClientReward: { planId: 'pln_hour', smsPhone: '254722000111' },
    });
  });

  it('gives the new client nothing when the ISP set no plan for it', () => {
    const decision = decideReferralReward({
      settings: { ...settings, newClientRewardPlanId: null },
      referrer,
      purchase,
      history: fresh,
    });
    expect(decision).toMatchObject({ kind: 'grant', newClientReward: null });
  });

  it('never rewards one’s own phone, however it is written', () => {
    const decision = decideReferralReward({
      settings,
      referrer,
      purchase: { ...purchase, phone: '254-712-345-678' },
      history: fresh,
    });
    expect(decision).toEqual({ kind: 'none', reason: 'own_phone', newPhone: '254712345678' });
  });

  it('rewards a phone once, and only a phone that is new to the ISP', () => {
    const reasonFor = (history: Partial<ReferralHistory>) =>
      decideReferralReward({ settings, referrer, purchase, history: { ...fresh, ...history } });
    expect(reasonFor({ isPhoneAlreadyRewarded: true })).toMatchObject({
      kind: 'none',
      reason: 'already_rewarded',
    });
    expect(reasonFor({ isPhoneKnownBefore: true })).toMatchObject({ kind: 'none', reason: 'not_new_phone' });
  });

  it('stops at the monthly cap and pays again once the referrer is under it', () => {
    const at = (rewards: number) =>
      decideReferralReward({
        settings,
        referrer,
        purchase,
        history: { ...fresh, referrerRewardsThisMonth: rewards },
      });
    expect(at(2)).toMatchObject({ kind: 'grant' });
    expect(at(3)).toMatchObject({ kind: 'none', reason: 'monthly_cap_reached' });
  });

  it('counts the cap by Nairobi calendar month: 31 Jan 22:00 UTC is already February', () => {
    const month = referralCapMonth(Date.UTC(2026, 0, 31, 22));
    expect(new Date(month.startMs).toISOString()).toBe('2026-01-31T21:00:00.000Z');
  });

  it('does nothing while the programme is off or for a number that is not a Kenyan mobile', () => {
    expect(
      decideReferralReward({ settings: { ...settings, enabled: false }, referrer, purchase, history: fresh }),
    ).toMatchObject({ kind: 'none', reason: 'programme_off' });
    expect(
      decideReferralReward({
        settings,
        referrer,
        purchase: { ...purchase, phone: '020 123 4567' },
        history: fresh,
      }),
    ).toEqual({ kind: 'none', reason: 'invalid_phone', newPhone: null });
  });

  it('refuses settings that turn the programme on without a reward plan', () => {
    expect(referralSettingsSchema.safeParse({ ...settings, referrerRewardPlanId: null }).success).toBe(false);
    expect(
      referralSettingsSchema.safeParse({ ...settings, enabled: false, referrerRewardPlanId: null }).success,
    ).toBe(true);
    expect(referralSettingsSchema.safeParse({ ...settings, monthlyCapPerReferrer: 0 }).success).toBe(false);
  });
});
