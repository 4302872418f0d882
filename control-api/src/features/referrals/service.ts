// Referral rewards, integrated: the ISP's programme settings (reward plans must be its hotspot plans), the
// codes clients are shown, and the reward a settled portal purchase with a code earns — decided by the core
// and written in the purchase's own transaction under a savepoint, so that nothing about the reward (a
// duplicate callback, an archived reward plan) ever undoes or blocks the sale itself.
import { KiungaError, normaliseKenyanPhone, type SqlDatabase, UniqueViolationError } from '@kiunga/schemas';
import { z } from 'zod';
import type { Auditor } from '../../kernel/audit';
import { findPlan } from '../plans/service';
import { normaliseTypedCode } from '../shared/short-codes';
import { createVoucherBatch } from '../vouchers/service';
import { decideReferralReward, type ReferralSettings, referralCapMonth } from './core/index';
import {
  attachReferralCode,
  countReferrerRewards,
  ensureReferralCode,
  findReferralCode,
  hasReferralDecision,
  insertReferralDecision,
  isPhoneKnownBefore,
  isRewardKeyTaken,
  purchaseReferralCode,
  queueReferralSms,
  readReferralSettings,
  referralOutcomeCounts,
  writeReferralSettings,
} from './store';

/** Reward vouchers are printed like a portal purchase's: eight characters, no prefix. */
const REWARD_VOUCHER_CODE_LENGTH = 8;

export { readReferralSettings };

export async function saveReferralSettings(
  database: SqlDatabase,
  settings: ReferralSettings,
  nowMs: number,
  audit: Auditor,
): Promise<ReferralSettings> {
  for (const planId of [settings.referrerRewardPlanId, settings.newClientRewardPlanId]) {
    if (planId === null) continue;
    const plan = await findPlan(database, planId);
    if (plan?.kind !== 'hotspot' || !plan.isActive) {
      throw new KiungaError('validation_failed', 'A reward must be one of your active hotspot plans.');
    }
  }
  await writeReferralSettings(database, settings, nowMs);
  await audit({ action: 'settings.referrals.update', detail: settings });
  return settings;
}

/**
 * Keeps the referral code a portal purchase was made with (`?ref=` or typed), when it is one of this ISP's
 * codes; anything else is ignored: a wrong code never stops a purchase.
 */
export async function rememberPurchaseReferral(
  database: SqlDatabase,
  purchaseId: string,
  typedCode: string | undefined,
): Promise<void> {
  if (typedCode === undefined) return;
  const code = normaliseTypedCode(typedCode);
  if (code === null || (await findReferralCode(database, code)) === undefined) return;
  await attachReferralCode(database, purchaseId, code);
}

/**
 * Inside the transaction that marks a hotspot purchase paid: the buyer gets a code of its own (while the
 * programme is on), and a code the purchase came with is decided once (the purchase's unique row).
 */
export async function settleReferral(
  transaction: SqlDatabase,
  purchase: { id: string; phone: string },
  nowMs: number,
): Promise<void> {
  const settings = await readReferralSettings(transaction);
  if (!settings.enabled) return;
  const buyerPhone = normaliseKenyanPhone(purchase.phone);
  if (buyerPhone !== null) {
    await ensureReferralCode(transaction, { kind: 'client', id: buyerPhone, phone: buyerPhone }, nowMs);
  }
  const code = await purchaseReferralCode(transaction, purchase.id);
  if (code === null || (await hasReferralDecision(transaction, purchase.id))) return;
  const owner = await findReferralCode(transaction, code);
  if (!owner) return;
  const referrer = { kind: owner.ownerKind, id: owner.ownerId, phone: owner.phone };
  try {
    await transaction.transaction((savepoint) =>
      decideAndRecord(savepoint, settings, referrer, code, purchase, buyerPhone, nowMs),
    );
  } catch (error) {
    // Another callback or node decided this purchase, or granted this phone, first: nothing more to do.
    if (error instanceof UniqueViolationError) return;
    // The reward plan was archived since: the sale stands, the reward is declined for a person to see.
    if (error instanceof KiungaError) {
      await insertReferralDecision(transaction, {
        purchaseId: purchase.id,
        code,
        referrer,
        newPhone: buyerPhone ?? purchase.phone,
        grant: null,
        declineReason: 'reward_plan_unavailable',
        decidedAtMs: nowMs,
      });
      return;
    }
    throw error;
  }
}

async function decideAndRecord(
  database: SqlDatabase,
  settings: ReferralSettings,
  referrer: { kind: 'client' | 'subscriber'; id: string; phone: string | null },
  code: string,
  purchase: { id: string; phone: string },
  buyerPhone: string | null,
  nowMs: number,
): Promise<void> {
  const history =
    buyerPhone === null
      ? { isPhoneKnownBefore: false, isPhoneAlreadyRewarded: false, referrerRewardsThisMonth: 0 }
      : {
          isPhoneKnownBefore: await isPhoneKnownBefore(database, buyerPhone, purchase.id),
          isPhoneAlreadyRewarded: await isRewardKeyTaken(database, `referral:${buyerPhone}`),
          referrerRewardsThisMonth: await countReferrerRewards(database, referrer, referralCapMonth(nowMs)),
        };
  const decision = decideReferralReward({
    settings,
    referrer,
    purchase: { purchaseId: purchase.id, phone: purchase.phone, paidAtMs: nowMs },
    history,
  });
  const base = { purchaseId: purchase.id, code, referrer, decidedAtMs: nowMs };
  if (decision.kind === 'none') {
    await insertReferralDecision(database, {
      ...base,
      newPhone: decision.newPhone ?? purchase.phone,
      grant: null,
      declineReason: decision.reason,
    });
    return;
  }
  const referrerVoucher = await rewardVoucher(database, decision.referrerReward.planId, purchase.id, nowMs);
  const newClientVoucher = decision.newClientReward
    ? await rewardVoucher(database, decision.newClientReward.planId, purchase.id, nowMs)
    : null;
  await insertReferralDecision(database, {
    ...base,
    newPhone: decision.newPhone,
    grant: {
      rewardKey: decision.rewardKey,
      referrerVoucherId: referrerVoucher.id,
      newClientVoucherId: newClientVoucher?.id ?? null,
    },
    declineReason: null,
  });
  if (decision.referrerReward.smsPhone !== null) {
    await queueReferralSms(
      database,
      {
        dedupeKey: `${decision.rewardKey}:referrer`,
        referrerId: referrer.id,
        recipient: decision.referrerReward.smsPhone,
        body: `Thank you for referring a friend! Your free Wi-Fi voucher: ${referrerVoucher.code}`,
      },
      nowMs,
    );
  }
  if (decision.newClientReward !== null && newClientVoucher !== null) {
    await queueReferralSms(
      database,
      {
        dedupeKey: `${decision.rewardKey}:new_client`,
        referrerId: referrer.id,
        recipient: decision.newClientReward.smsPhone,
        body: `Welcome! A friend referred you: here is a free Wi-Fi voucher: ${newClientVoucher.code}`,
      },
      nowMs,
    );
  }
}

async function rewardVoucher(
  database: SqlDatabase,
  planId: string,
  purchaseId: string,
  nowMs: number,
): Promise<{ id: string; code: string }> {
  const batch = await createVoucherBatch(
    database,
    { planId, count: 1, length: REWARD_VOUCHER_CODE_LENGTH, prefix: '' },
    { nowMs, createdBy: `referral:${purchaseId}` },
  );
  const voucher = batch.items[0];
  if (!voucher) throw new Error('a reward batch of one made no voucher');
  return { id: voucher.id, code: voucher.code };
}

export const referralReportSchema = z.object({
  granted: z.number().int(),
  declined: z.number().int(),
  /** Declined decisions by reason (own_phone, not_new_phone, already_rewarded, monthly_cap_reached, …). */
  declinedByReason: z.record(z.string(), z.number().int()),
});
export type ReferralReport = z.infer<typeof referralReportSchema>;

/** The reports' referrals section: decisions made in `[fromMs, toMs)`. */
export async function referralReport(
  database: SqlDatabase,
  range: { fromMs: number; toMs: number },
): Promise<ReferralReport> {
  const report: ReferralReport = { granted: 0, declined: 0, declinedByReason: {} };
  for (const row of await referralOutcomeCounts(database, range)) {
    const count = Number(row.count);
    if (row.outcome === 'granted') {
      report.granted += count;
      continue;
    }
    report.declined += count;
    const reason = row.reason ?? 'unknown';
    report.declinedByReason[reason] = (report.declinedByReason[reason] ?? 0) + count;
  }
  return report;
}
