// The web sign-up's rows in the platform DB: the sign-up itself, its SMS codes (digests; the rows of
// the last hour are the send history the limits read) and its email links (digests).
import type { SqlDatabase } from '@kiunga/schemas';
import type { EmailLinkRecord, SentSmsCode, SignupState, SmsCodeChallenge } from './core';

export interface SignupRow extends SignupState {
  readonly tenantId: string;
  readonly ownerId: string;
  readonly phone: string;
}

const SIGNUP_COLUMNS = `tenant_id AS "tenantId", owner_id AS "ownerId", phone, created_at AS "createdAtMs",
  phone_verified_at AS "phoneVerifiedAtMs", email_verified_at AS "emailVerifiedAtMs",
  activated_at AS "activatedAtMs", trial_ends_at AS "trialEndsAtMs"`;

export async function insertSignup(database: SqlDatabase, row: SignupRow): Promise<void> {
  await database.run(
    `INSERT INTO signups (tenant_id, owner_id, phone, created_at, phone_verified_at, email_verified_at,
       activated_at, trial_ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.tenantId,
      row.ownerId,
      row.phone,
      row.createdAtMs,
      row.phoneVerifiedAtMs,
      row.emailVerifiedAtMs,
      row.activatedAtMs,
      row.trialEndsAtMs,
    ],
  );
}

export async function findSignup(database: SqlDatabase, tenantId: string): Promise<SignupRow | null> {
  return (
    (await database.get<SignupRow>(`SELECT ${SIGNUP_COLUMNS} FROM signups WHERE tenant_id = ?`, [
      tenantId,
    ])) ?? null
  );
}

/** Stores the state after a verification; only a row not activated yet can be activated (one winner). */
export async function updateSignupState(
  database: SqlDatabase,
  tenantId: string,
  state: SignupState,
): Promise<boolean> {
  const result = await database.run(
    `UPDATE signups SET phone_verified_at = ?, email_verified_at = ?, activated_at = ?, trial_ends_at = ?
      WHERE tenant_id = ? AND (activated_at IS NULL OR activated_at = ?)`,
    [
      state.phoneVerifiedAtMs,
      state.emailVerifiedAtMs,
      state.activatedAtMs,
      state.trialEndsAtMs,
      tenantId,
      state.activatedAtMs,
    ],
  );
  return result.changes > 0;
}

/** Trials started by other sign-ups with this phone (TRIALS_PER_PHONE_MAX). */
export async function countTrialsOfPhone(
  database: SqlDatabase,
  phone: string,
  exceptTenantId: string,
): Promise<number> {
  const row = await database.get<{ count: number }>(
    `SELECT COUNT(*) AS count FROM signups
      WHERE phone = ? AND tenant_id != ? AND activated_at IS NOT NULL AND trial_ends_at IS NOT NULL`,
    [phone, exceptTenantId],
  );
  return Number(row?.count ?? 0);
}

/** The trial's end on the tenant itself: what platform billing starts its months from. */
export async function setTenantTrialEnd(
  database: SqlDatabase,
  tenantId: string,
  trialEndsAtMs: number,
  nowMs: number,
): Promise<void> {
  await database.run('UPDATE tenants SET trial_ends_at = ?, updated_at = ? WHERE id = ?', [
    trialEndsAtMs,
    nowMs,
    tenantId,
  ]);
}

/** Codes sent to this phone or from this address since `sinceMs`: the history decideSmsCodeSend reads. */
export function sentSmsCodes(
  database: SqlDatabase,
  phone: string,
  address: string,
  sinceMs: number,
): Promise<SentSmsCode[]> {
  return database.all<SentSmsCode>(
    `SELECT phone, address, sent_at AS "sentAtMs" FROM signup_sms_codes
      WHERE (phone = ? OR address = ?) AND sent_at > ?`,
    [phone, address, sinceMs],
  );
}

export async function insertSmsCode(
  database: SqlDatabase,
  tenantId: string,
  address: string,
  challenge: SmsCodeChallenge,
  sentAtMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO signup_sms_codes (id, tenant_id, phone, address, digest, sent_at, expires_at, attempts, used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      challenge.id,
      tenantId,
      challenge.phone,
      address,
      challenge.digest,
      sentAtMs,
      challenge.expiresAtMs,
      challenge.attempts,
      challenge.usedAtMs,
    ],
  );
}

/** The sign-up's latest code: the only one that can be typed. */
export async function latestSmsCode(
  database: SqlDatabase,
  tenantId: string,
): Promise<SmsCodeChallenge | null> {
  const row = await database.get<SmsCodeChallenge>(
    `SELECT id, phone, digest, expires_at AS "expiresAtMs", attempts, used_at AS "usedAtMs"
       FROM signup_sms_codes WHERE tenant_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1`,
    [tenantId],
  );
  return row ?? null;
}

/** Stores a check's outcome; counted only if no other check stored one meanwhile (tries cannot be lost). */
export async function storeSmsCodeCheck(
  database: SqlDatabase,
  before: SmsCodeChallenge,
  after: SmsCodeChallenge,
): Promise<boolean> {
  const result = await database.run(
    `UPDATE signup_sms_codes SET attempts = ?, used_at = ?
      WHERE id = ? AND attempts = ? AND used_at IS NULL`,
    [after.attempts, after.usedAtMs, after.id, before.attempts],
  );
  return result.changes > 0;
}

export async function insertEmailLink(
  database: SqlDatabase,
  tenantId: string,
  record: EmailLinkRecord,
): Promise<void> {
  await database.run(
    'INSERT INTO signup_email_links (digest, tenant_id, expires_at, used_at) VALUES (?, ?, ?, ?)',
    [record.digest, tenantId, record.expiresAtMs, record.usedAtMs],
  );
}

export async function findEmailLink(database: SqlDatabase, digest: string): Promise<EmailLinkRecord | null> {
  const row = await database.get<EmailLinkRecord>(
    `SELECT tenant_id AS "signupId", digest, expires_at AS "expiresAtMs", used_at AS "usedAtMs"
       FROM signup_email_links WHERE digest = ?`,
    [digest],
  );
  return row ?? null;
}

/** Spends the link once: false when another request spent it first. */
export async function spendEmailLink(database: SqlDatabase, digest: string, nowMs: number): Promise<boolean> {
  const result = await database.run(
    'UPDATE signup_email_links SET used_at = ? WHERE digest = ? AND used_at IS NULL',
    [nowMs, digest],
  );
  return result.changes > 0;
}

/** Sign-ups never activated, created before `beforeMs` (abandoned), oldest first. */
export function abandonedSignupIds(
  database: SqlDatabase,
  beforeMs: number,
  limit: number,
): Promise<string[]> {
  return database.column<string>(
    `SELECT tenant_id FROM signups WHERE activated_at IS NULL AND created_at <= ? ORDER BY created_at LIMIT ?`,
    [beforeMs, limit],
  );
}

/**
 * Frees an abandoned sign-up's slug and email and closes it: the tenant is archived under a slug no one can
 * type (`~` is outside the slug rule), the owner disabled under an address no one owns (RFC 2606 .invalid),
 * and the sign-up's rows go. Archiving instead of deleting keeps the audit log's references whole.
 */
export async function releaseAbandonedSignup(
  database: SqlDatabase,
  tenantId: string,
  nowMs: number,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.run(`UPDATE tenants SET status = 'archived', slug = ?, updated_at = ? WHERE id = ?`, [
      `~abandoned-${tenantId}`,
      nowMs,
      tenantId,
    ]);
    await transaction.run(
      `UPDATE users SET status = 'disabled', email = 'abandoned-' || id || '@signup.invalid', updated_at = ?
        WHERE tenant_id = ?`,
      [nowMs, tenantId],
    );
    await transaction.run('DELETE FROM signup_sms_codes WHERE tenant_id = ?', [tenantId]);
    await transaction.run('DELETE FROM signup_email_links WHERE tenant_id = ?', [tenantId]);
    await transaction.run('DELETE FROM signups WHERE tenant_id = ?', [tenantId]);
  });
}

export async function ownerEmailOf(database: SqlDatabase, ownerId: string): Promise<string> {
  const row = await database.get<{ email: string }>('SELECT email FROM users WHERE id = ?', [ownerId]);
  return row?.email ?? '';
}

/** A web sign-up whose phone and email are not both confirmed yet (none for operator-made ISPs). */
export async function isSignupPending(database: SqlDatabase, tenantId: string): Promise<boolean> {
  const row = await database.get<{ pending: number }>(
    'SELECT 1 AS pending FROM signups WHERE tenant_id = ? AND activated_at IS NULL',
    [tenantId],
  );
  return row !== undefined;
}

/** The tenant's sign-up while it is still pending (neither trial nor billing started); null otherwise. */
export async function pendingSignupOf(database: SqlDatabase, tenantId: string): Promise<SignupRow | null> {
  const signup = await findSignup(database, tenantId);
  return signup && signup.activatedAtMs === null ? signup : null;
}
