// Referrals in the ISP's shard: the setting (tenant_settings key `referrals`), clients' codes, the code a
// purchase came with, the history a reward decision needs, and the decisions (granted or declined).
import {
  newId,
  readTenantSetting,
  type SqlDatabase,
  UniqueViolationError,
  writeTenantSetting,
} from '@kiunga/schemas';
import { pickUnusedShortCode } from '../shared/short-codes';
import {
  defaultReferralSettings,
  type NoRewardReason,
  type ReferralSettings,
  type Referrer,
  referralSettingsSchema,
} from './core/index';

const REFERRAL_SETTING_KEY = 'referrals';

export async function readReferralSettings(database: SqlDatabase): Promise<ReferralSettings> {
  const parsed = referralSettingsSchema.safeParse(await readTenantSetting(database, REFERRAL_SETTING_KEY));
  return parsed.success ? parsed.data : defaultReferralSettings;
}

export async function writeReferralSettings(
  database: SqlDatabase,
  settings: ReferralSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, REFERRAL_SETTING_KEY, settings, nowMs);
}

export interface ReferralCodeRow {
  code: string;
  ownerKind: Referrer['kind'];
  ownerId: string;
  phone: string | null;
}

const codeColumns = 'code, owner_kind AS "ownerKind", owner_id AS "ownerId", phone';

export function findReferralCode(database: SqlDatabase, code: string): Promise<ReferralCodeRow | undefined> {
  return database.get<ReferralCodeRow>(`SELECT ${codeColumns} FROM referral_codes WHERE code = ?`, [code]);
}

export function referralCodeOf(
  database: SqlDatabase,
  owner: { kind: Referrer['kind']; id: string },
): Promise<ReferralCodeRow | undefined> {
  return database.get<ReferralCodeRow>(
    `SELECT ${codeColumns} FROM referral_codes WHERE owner_kind = ? AND owner_id = ?`,
    [owner.kind, owner.id],
  );
}

/** The owner's code, made on first asking (a client is known by phone, a subscriber by id). */
export async function ensureReferralCode(
  database: SqlDatabase,
  owner: { kind: Referrer['kind']; id: string; phone: string | null },
  nowMs: number,
): Promise<string> {
  const existing = await referralCodeOf(database, owner);
  if (existing) return existing.code;
  const code = await pickUnusedShortCode(
    'referral',
    async (candidate) => (await findReferralCode(database, candidate)) !== undefined,
  );
  try {
    // A savepoint: a code made at the same moment by another request must not abort the caller's transaction.
    await database.transaction((savepoint) =>
      savepoint.run(
        'INSERT INTO referral_codes (code, owner_kind, owner_id, phone, created_at) VALUES (?, ?, ?, ?, ?)',
        [code, owner.kind, owner.id, owner.phone, nowMs],
      ),
    );
    return code;
  } catch (error) {
    if (!(error instanceof UniqueViolationError)) throw error;
    const made = await referralCodeOf(database, owner);
    if (!made) throw error;
    return made.code;
  }
}

/** Keeps the referral code a portal purchase came with. */
export async function attachReferralCode(
  database: SqlDatabase,
  purchaseId: string,
  code: string,
): Promise<void> {
  await database.run('UPDATE purchases SET referral_code = ? WHERE id = ?', [code, purchaseId]);
}

export async function purchaseReferralCode(
  database: SqlDatabase,
  purchaseId: string,
): Promise<string | null> {
  const row = await database.get<{ code: string | null }>(
    'SELECT referral_code AS "code" FROM purchases WHERE id = ?',
    [purchaseId],
  );
  return row?.code ?? null;
}

export async function hasReferralDecision(database: SqlDatabase, purchaseId: string): Promise<boolean> {
  const row = await database.get('SELECT 1 AS "found" FROM referral_rewards WHERE purchase_id = ?', [
    purchaseId,
  ]);
  return row !== undefined;
}

/** Whether the phone paid for a hotspot purchase before this one, or is a subscriber's number. */
export async function isPhoneKnownBefore(
  database: SqlDatabase,
  phone: string,
  purchaseId: string,
): Promise<boolean> {
  const purchase = await database.get(
    `SELECT 1 AS "found" FROM purchases WHERE phone = ? AND status = 'paid' AND id <> ? LIMIT 1`,
    [phone, purchaseId],
  );
  if (purchase) return true;
  const subscriber = await database.get('SELECT 1 AS "found" FROM subscribers WHERE phone = ? LIMIT 1', [
    phone,
  ]);
  return subscriber !== undefined;
}

export async function isRewardKeyTaken(database: SqlDatabase, rewardKey: string): Promise<boolean> {
  const row = await database.get('SELECT 1 AS "found" FROM referral_rewards WHERE reward_key = ?', [
    rewardKey,
  ]);
  return row !== undefined;
}

export async function countReferrerRewards(
  database: SqlDatabase,
  referrer: { kind: Referrer['kind']; id: string },
  range: { startMs: number; endMs: number },
): Promise<number> {
  const row = await database.get<{ count: number }>(
    `SELECT COUNT(*) AS "count" FROM referral_rewards
      WHERE referrer_kind = ? AND referrer_id = ? AND outcome = 'granted' AND decided_at >= ? AND decided_at < ?`,
    [referrer.kind, referrer.id, range.startMs, range.endMs],
  );
  return Number(row?.count ?? 0);
}

export interface ReferralDecisionRecord {
  purchaseId: string;
  code: string;
  referrer: { kind: Referrer['kind']; id: string };
  newPhone: string;
  grant: { rewardKey: string; referrerVoucherId: string; newClientVoucherId: string | null } | null;
  /** The core's reason, or the reward plan archived since the programme was set up. */
  declineReason: NoRewardReason | 'reward_plan_unavailable' | null;
  decidedAtMs: number;
}

/** Throws UniqueViolationError when this purchase was decided already or the reward key is granted. */
export async function insertReferralDecision(
  database: SqlDatabase,
  record: ReferralDecisionRecord,
): Promise<void> {
  await database.run(
    `INSERT INTO referral_rewards (id, purchase_id, code, referrer_kind, referrer_id, new_phone, outcome,
                                   reward_key, decline_reason, referrer_voucher_id, new_client_voucher_id, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      newId('referralReward'),
      record.purchaseId,
      record.code,
      record.referrer.kind,
      record.referrer.id,
      record.newPhone,
      record.grant ? 'granted' : 'declined',
      record.grant?.rewardKey ?? null,
      record.declineReason,
      record.grant?.referrerVoucherId ?? null,
      record.grant?.newClientVoucherId ?? null,
      record.decidedAtMs,
    ],
  );
}

/** Queues the reward's SMS in the outbox; the notifications job sends it on Tier 2 with SMS on. */
export async function queueReferralSms(
  database: SqlDatabase,
  message: { dedupeKey: string; referrerId: string; recipient: string; body: string },
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', 'referral_reward', ?, ?, ?, 'pending', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.dedupeKey, `referrer:${message.referrerId}`, message.recipient, message.body, nowMs],
  );
}

export interface ReferralRewardView {
  decidedAt: number;
  newPhone: string;
  voucherCode: string | null;
}

/** Rewards a referrer earned, newest first, with the voucher code to use. */
export function rewardsOfReferrer(
  database: SqlDatabase,
  referrer: { kind: Referrer['kind']; id: string },
  limit: number,
): Promise<ReferralRewardView[]> {
  return database.all<ReferralRewardView>(
    `SELECT r.decided_at AS "decidedAt", r.new_phone AS "newPhone", v.code AS "voucherCode"
       FROM referral_rewards r LEFT JOIN vouchers v ON v.id = r.referrer_voucher_id
      WHERE r.referrer_kind = ? AND r.referrer_id = ? AND r.outcome = 'granted'
      ORDER BY r.decided_at DESC LIMIT ?`,
    [referrer.kind, referrer.id, limit],
  );
}

/** Decisions in `[fromMs, toMs)` by outcome and reason: the reports' referrals section. */
export function referralOutcomeCounts(
  database: SqlDatabase,
  range: { fromMs: number; toMs: number },
): Promise<Array<{ outcome: string; reason: string | null; count: number }>> {
  return database.all(
    `SELECT outcome, decline_reason AS "reason", COUNT(*) AS "count" FROM referral_rewards
      WHERE decided_at >= ? AND decided_at < ? GROUP BY outcome, decline_reason ORDER BY outcome, decline_reason`,
    [range.fromMs, range.toMs],
  );
}
