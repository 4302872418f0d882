// The sign-in columns of an account's own row (password hash, TOTP secret and state), read and
// changed only through these guarded statements.
import type { SqlDatabase } from '@kiunga/schemas';

export interface SignInSecrets {
  passwordHash: string;
  totpSecretSealed: string | null;
  totpEnabledAt: number | null;
  totpLastStep: number | null;
}

export function findSignInSecrets(platform: SqlDatabase, userId: string): Promise<SignInSecrets | undefined> {
  return platform.get<SignInSecrets>(
    `SELECT password_hash AS "passwordHash", totp_secret_sealed AS "totpSecretSealed",
            totp_enabled_at AS "totpEnabledAt", totp_last_step AS "totpLastStep" FROM users WHERE id = ?`,
    [userId],
  );
}

export async function isTotpEnabled(platform: SqlDatabase, userId: string): Promise<boolean> {
  const row = await platform.get(
    'SELECT 1 AS found FROM users WHERE id = ? AND totp_enabled_at IS NOT NULL',
    [userId],
  );
  return row !== undefined;
}

/** Stores a new secret only while two-factor sign-in is off; false when it is on. */
export async function storeTotpSecretWhileOff(
  platform: SqlDatabase,
  userId: string,
  secretSealed: string,
  nowMs: number,
): Promise<boolean> {
  const result = await platform.run(
    `UPDATE users SET totp_secret_sealed = ?, totp_last_step = NULL, updated_at = ?
      WHERE id = ? AND totp_enabled_at IS NULL`,
    [secretSealed, nowMs, userId],
  );
  return result.changes > 0;
}

/** Turns two-factor sign-in on for exactly this stored secret; false when it changed or is on already. */
export async function markTotpEnabled(
  platform: SqlDatabase,
  userId: string,
  secretSealed: string,
  step: number,
  nowMs: number,
): Promise<boolean> {
  const result = await platform.run(
    `UPDATE users SET totp_enabled_at = ?, totp_last_step = ?, updated_at = ?
      WHERE id = ? AND totp_secret_sealed = ? AND totp_enabled_at IS NULL`,
    [nowMs, step, nowMs, userId, secretSealed],
  );
  return result.changes > 0;
}

/** Turns two-factor sign-in off unless a sign-in used this step (or a later one); false then. */
export async function clearTotpBeforeStep(
  platform: SqlDatabase,
  userId: string,
  step: number,
  nowMs: number,
): Promise<boolean> {
  const result = await platform.run(
    `UPDATE users SET totp_secret_sealed = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = ?
      WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
    [nowMs, userId, step],
  );
  return result.changes > 0;
}

/** The account's own new password: no longer one a superior set. */
export async function storeOwnPassword(
  platform: SqlDatabase,
  userId: string,
  passwordHash: string,
  nowMs: number,
): Promise<void> {
  await platform.run(
    'UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?',
    [passwordHash, nowMs, userId],
  );
}
