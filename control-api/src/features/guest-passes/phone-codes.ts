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
  if (!(await hasSmsSettings(database))) throw new KiungaError('guest_passes_disabled');
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

/**
 * Spends the phone's latest code when `typed` matches it; 400 `guest_pass_code_invalid` otherwise. Every try
 * is counted and committed before the answer (a wrong code cannot be retried without limit).
 */
export async function verifyGuestPassPhoneCode(
  database: SqlDatabase,
  phone: string,
  typed: string,
  nowMs: number,
): Promise<void> {
  const outcome = await database.transaction(async (transaction) => {
    const row = await transaction.get<SmsCodeChallenge>(
      `SELECT ${CHALLENGE_COLUMNS} FROM guest_pass_phone_codes WHERE phone = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
      [phone],
    );
    if (row === undefined) return 'missing';
    const challenge = {
      ...row,
      expiresAtMs: Number(row.expiresAtMs),
      attempts: Number(row.attempts),
      usedAtMs: row.usedAtMs === null ? null : Number(row.usedAtMs),
    };
    const check = checkSmsCode(challenge, typed, nowMs);
    if (check.challenge !== challenge) {
      await transaction.run('UPDATE guest_pass_phone_codes SET attempts = ?, used_at = ? WHERE id = ?', [
        check.challenge.attempts,
        check.challenge.usedAtMs,
        challenge.id,
      ]);
    }
    return check.outcome;
  });
  if (outcome !== 'verified') throw new KiungaError('guest_pass_code_invalid');
}
