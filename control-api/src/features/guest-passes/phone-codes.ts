// The guest-pass phone check (issue 13, Tier 2): a one-time SMS code to the phone the client types, kept
// hashed, expiring, with tries counted and sends limited per phone and per address (the signup's SMS-code
// rules, features/signup/core/sms-code.ts); a pass is then issued only against a verified code.
import { randomInt } from 'node:crypto';
import { KiungaError, newId, type SqlDatabase } from '@kiunga/schemas';
import type { Language } from '../../i18n';
import { t } from '../../i18n';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import {
  checkSmsCode,
  decideSmsCodeSend,
  newSmsCodeChallenge,
  type SentSmsCode,
  SMS_CODE_LIFETIME_MS,
  SMS_CODES_PER_ADDRESS_WINDOW_MS,
  SMS_CODES_PER_PHONE_WINDOW_MS,
  type SmsCodeChallenge,
  type SmsCodeOutcome,
  smsCodeFromRandom,
} from '../signup/core/sms-code';
import { hasSmsSettings, queueOutboxSms } from '../sms-campaigns/automatic-messages';
import { readGuestPassSettings } from './store';

const PHONE_CODE_KIND = 'guest_pass_code';
const SMS_CODE_RANGE = 1_000_000;
const MINUTE_MS = 60_000;

const CHALLENGE_COLUMNS = `id, phone, code_hash AS "digest", expires_at AS "expiresAtMs", attempts,
  used_at AS "usedAtMs"`;

/** The ISP requires the phone check, and may: Tier 2 with SMS set up; else the pass cannot be had that way. */
async function requirePhoneCheckReady(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
): Promise<void> {
  const settings = await readGuestPassSettings(database);
  if (!settings.enabled) throw new KiungaError('guest_passes_disabled');
  if (!settings.requirePhone) throw new KiungaError('validation_failed', 'This network needs no phone code.');
  if (!(await tenantFeatures(dependencies.databases.platform, tenantId))('sms')) {
    throw new KiungaError('feature_not_in_tier');
  }
  // Passes are on but no code can reach the phone: say so (503), not "this network offers no passes".
  if (!(await hasSmsSettings(database))) throw new KiungaError('guest_pass_sms_unavailable');
}

/** Sends a code to `phone`; 429 `rate_limited` (with retryAtMs) when the phone or address asked too often. */
export async function sendGuestPassPhoneCode(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  input: { phone: string; address: string; language: Language },
): Promise<{ expiresAt: number }> {
  await requirePhoneCheckReady(dependencies, tenantId, database);
  const nowMs = dependencies.clock.now();
  const sinceMs = nowMs - Math.max(SMS_CODES_PER_PHONE_WINDOW_MS, SMS_CODES_PER_ADDRESS_WINDOW_MS);
  return database.transaction(async (transaction) => {
    const sent = await transaction.all<SentSmsCode>(
      `SELECT phone, address, created_at AS "sentAtMs" FROM guest_pass_phone_codes
        WHERE created_at > ? AND (phone = ? OR address = ?)`,
      [sinceMs, input.phone, input.address],
    );
    const decision = decideSmsCodeSend(
      sent.map((code) => ({ ...code, sentAtMs: Number(code.sentAtMs) })),
      input.phone,
      input.address,
      nowMs,
    );
    if (!decision.isAllowed) {
      throw new KiungaError('rate_limited', 'Too many codes asked for. Wait a while and try again.', 429, {
        retryAtMs: decision.retryAtMs,
      });
    }
    const code = smsCodeFromRandom(randomInt(SMS_CODE_RANGE));
    const challenge = newSmsCodeChallenge(newId('guestPassPhoneCode'), input.phone, code, nowMs);
    await transaction.run(
      `INSERT INTO guest_pass_phone_codes (id, phone, address, code_hash, expires_at, attempts, used_at, created_at)
       VALUES (?, ?, ?, ?, ?, 0, NULL, ?)`,
      [challenge.id, challenge.phone, input.address, challenge.digest, challenge.expiresAtMs, nowMs],
    );
    await queueOutboxSms(
      transaction,
      {
        dedupeKey: `${PHONE_CODE_KIND}:${challenge.id}`,
        kind: PHONE_CODE_KIND,
        subjectId: challenge.id,
        recipient: input.phone,
        body: t(input.language, 'sms.guestPassCode', {
          code,
          minutes: String(SMS_CODE_LIFETIME_MS / MINUTE_MS),
        }),
      },
      nowMs,
    );
    return { expiresAt: challenge.expiresAtMs };
  });
}

/** What checking `typed` against the phone's latest code gives, and the challenge as it is to be stored. */
async function checkLatestPhoneCode(
  database: SqlDatabase,
  phone: string,
  typed: string,
  nowMs: number,
): Promise<{ outcome: SmsCodeOutcome; challenge: SmsCodeChallenge; next: SmsCodeChallenge } | null> {
  const row = await database.get<SmsCodeChallenge>(
    `SELECT ${CHALLENGE_COLUMNS} FROM guest_pass_phone_codes WHERE phone = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
    [phone],
  );
  if (row === undefined) return null;
  const challenge = {
    ...row,
    expiresAtMs: Number(row.expiresAtMs),
    attempts: Number(row.attempts),
    usedAtMs: row.usedAtMs === null ? null : Number(row.usedAtMs),
  };
  const check = checkSmsCode(challenge, typed, nowMs);
  return { outcome: check.outcome, challenge, next: check.challenge };
}

async function storeCheckedChallenge(database: SqlDatabase, next: SmsCodeChallenge): Promise<void> {
  await database.run('UPDATE guest_pass_phone_codes SET attempts = ?, used_at = ? WHERE id = ?', [
    next.attempts,
    next.usedAtMs,
    next.id,
  ]);
}

/**
 * Checks `typed` against the phone's latest code without spending it; 400 `guest_pass_code_invalid` when it
 * does not match. A wrong try is counted and committed before the answer (a wrong code cannot be retried
 * without limit); a right one is spent only with the pass it buys (`spendGuestPassPhoneCode`), so a pass
 * refused (the phone's or the device's period, the daily cap) leaves the code usable.
 */
export async function checkGuestPassPhoneCode(
  database: SqlDatabase,
  phone: string,
  typed: string,
  nowMs: number,
): Promise<void> {
  const outcome = await database.transaction(async (transaction) => {
    const checked = await checkLatestPhoneCode(transaction, phone, typed, nowMs);
    if (checked === null) return 'missing';
    if (checked.outcome !== 'verified' && checked.next !== checked.challenge) {
      await storeCheckedChallenge(transaction, checked.next);
    }
    return checked.outcome;
  });
  if (outcome !== 'verified') throw new KiungaError('guest_pass_code_invalid');
}

/**
 * Spends the phone's latest code in the transaction that issues the pass; 400 `guest_pass_code_invalid` (the
 * transaction, pass included, rolled back) when it no longer matches: another request spent it first.
 */
export async function spendGuestPassPhoneCode(
  transaction: SqlDatabase,
  phone: string,
  typed: string,
  nowMs: number,
): Promise<void> {
  const checked = await checkLatestPhoneCode(transaction, phone, typed, nowMs);
  if (checked === null || checked.outcome !== 'verified') throw new KiungaError('guest_pass_code_invalid');
  await storeCheckedChallenge(transaction, checked.next);
}
