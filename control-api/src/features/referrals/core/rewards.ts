// Referral rewards: whether a paid purchase made with a referral code earns its referrer a reward voucher
// (and optionally the new client one), and what exactly is granted. Pure: the store answers the history
// questions, this decides, the store writes the grant under its one-per-phone unique key.
//
// Rules (issue 13): the ISP's programme is on; the purchase's phone is a Kenyan mobile number; it is not
// the referrer's own phone; it is new to the ISP (no earlier paid purchase, not a subscriber's number); no
// reward was ever granted for it (one reward per new phone number, whoever referred it); and the
// referrer has had fewer rewards than the ISP's monthly cap in the Nairobi calendar month of the payment.
import { normaliseKenyanPhone } from '@kiunga/schemas';
import { z } from 'zod';
import { nairobiMonthContaining, type TimeRange } from '../../shared/nairobi-time';

/** A generous programme rewards a handful of friends a month; above this a referrer is a reseller. */
export const REFERRAL_MONTHLY_CAP_MAX = 100;
const PLAN_ID_LENGTH_MAX = 64;

const planIdSchema = z.string().min(1).max(PLAN_ID_LENGTH_MAX);

/** ISP setting (`PUT /api/v1/settings/referrals`): a reward plan is needed only while the programme is on. */
export const referralSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** The voucher plan the referrer receives. */
    referrerRewardPlanId: planIdSchema.nullable(),
    /** The voucher plan the new client receives too; null: nothing for the new client. */
    newClientRewardPlanId: planIdSchema.nullable(),
    monthlyCapPerReferrer: z.number().int().min(1).max(REFERRAL_MONTHLY_CAP_MAX),
  })
  .strict()
  .refine((settings) => !settings.enabled || settings.referrerRewardPlanId !== null, {
    message: 'choose the plan of the referrer’s reward voucher before turning the programme on',
    path: ['referrerRewardPlanId'],
  });
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

export const defaultReferralSettings: ReferralSettings = {
  enabled: false,
  referrerRewardPlanId: null,
  newClientRewardPlanId: null,
  monthlyCapPerReferrer: 5,
};

/** Whoever owns the code: a hotspot client known by phone, or a PPPoE/static subscriber. */
export interface Referrer {
  readonly kind: 'client' | 'subscriber';
  readonly id: string;
  /** As stored; null for a subscriber without one (the reward is then only shown in the customer portal). */
  readonly phone: string | null;
}

export interface ReferredPurchase {
  readonly purchaseId: string;
  /** As the buyer typed it. */
  readonly phone: string;
  readonly paidAtMs: number;
}

/** What the store knows about the new phone and the referrer, read in the grant's transaction. */
export interface ReferralHistory {
  /** The phone paid before this purchase, or belongs to a subscriber: it is not a new client. */
  readonly isPhoneKnownBefore: boolean;
  /** A reward was already granted for this phone, to this or any referrer. */
  readonly isPhoneAlreadyRewarded: boolean;
  /** Rewards granted to this referrer in `referralCapMonth(purchase.paidAtMs)`. */
  readonly referrerRewardsThisMonth: number;
}

export type NoRewardReason =
  | 'programme_off'
  | 'invalid_phone'
  | 'own_phone'
  | 'not_new_phone'
  | 'already_rewarded'
  | 'monthly_cap_reached';

export type ReferralDecision =
  | {
      readonly kind: 'grant';
      /** The store's unique key: one reward per new phone, however many callbacks arrive. */
      readonly rewardKey: string;
      readonly newPhone: string;
      readonly referrerReward: {
        readonly referrerKind: Referrer['kind'];
        readonly referrerId: string;
        readonly planId: string;
        /** Where the voucher code is sent by SMS (Tier 2); null: customer portal only. */
        readonly smsPhone: string | null;
      };
      readonly newClientReward: { readonly planId: string; readonly smsPhone: string } | null;
    }
  | { readonly kind: 'none'; readonly reason: NoRewardReason; readonly newPhone: string | null };

/** The month whose rewards count against the cap for a payment at `paidAtMs`. */
export function referralCapMonth(paidAtMs: number): TimeRange {
  return nairobiMonthContaining(paidAtMs);
}

/** The store's unique key of a reward for a new phone. */
export function referralRewardKey(normalisedPhone: string): string {
  return `referral:${normalisedPhone}`;
}

export function decideReferralReward(input: {
  readonly settings: ReferralSettings;
  readonly referrer: Referrer;
  readonly purchase: ReferredPurchase;
  readonly history: ReferralHistory;
}): ReferralDecision {
  const { settings, referrer, history } = input;
  const newPhone = normaliseKenyanPhone(input.purchase.phone);
  const none = (reason: NoRewardReason): ReferralDecision => ({ kind: 'none', reason, newPhone });
  if (!settings.enabled || settings.referrerRewardPlanId === null) return none('programme_off');
  if (newPhone === null) return none('invalid_phone');
  const referrerPhone = referrer.phone === null ? null : normaliseKenyanPhone(referrer.phone);
  if (referrerPhone === newPhone) return none('own_phone');
  if (history.isPhoneAlreadyRewarded) return none('already_rewarded');
  if (history.isPhoneKnownBefore) return none('not_new_phone');
  if (history.referrerRewardsThisMonth >= settings.monthlyCapPerReferrer) return none('monthly_cap_reached');
  return {
    kind: 'grant',
    rewardKey: referralRewardKey(newPhone),
    newPhone,
    referrerReward: {
      referrerKind: referrer.kind,
      referrerId: referrer.id,
      planId: settings.referrerRewardPlanId,
      smsPhone: referrerPhone,
    },
    newClientReward:
      settings.newClientRewardPlanId === null
        ? null
        : { planId: settings.newClientRewardPlanId, smsPhone: newPhone },
  };
}
