// The password-reset tokens of the platform DB: only sha256 of each token, spent by one conditional UPDATE.
import type { SqlDatabase } from '@kiunga/schemas';

export interface ResettableAccount {
  id: string;
  email: string;
  tenantId: string | null;
}

/** An active account of any kind by its email (emails are unique across kinds). */
export async function findActiveAccountByEmail(
  database: SqlDatabase,
  email: string,
): Promise<ResettableAccount | null> {
  const row = await database.get<ResettableAccount>(
    `SELECT id, email, tenant_id AS "tenantId" FROM users WHERE email = ? AND status = 'active'`,
    [email],
  );
  return row ?? null;
}

export async function insertResetToken(
  database: SqlDatabase,
  token: { tokenHash: string; userId: string; expiresAtMs: number },
  nowMs: number,
): Promise<void> {
  await database.run(
    'INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
    [token.tokenHash, token.userId, token.expiresAtMs, nowMs],
  );
}

/**
 * Spends the token if it is unused and unexpired: the account it was for, or null. Two requests with
 * the same token cannot both win: the UPDATE's condition is checked and set in one statement.
 */
export async function spendResetToken(
  database: SqlDatabase,
  tokenHash: string,
  nowMs: number,
): Promise<string | null> {
  const row = await database.get<{ userId: string }>(
    `UPDATE password_reset_tokens SET used_at = ?
      WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
      RETURNING user_id AS "userId"`,
    [nowMs, tokenHash, nowMs],
  );
  return row?.userId ?? null;
}

/** The account's other reset links stop working once one was used. */
export async function spendOtherResetTokens(
  database: SqlDatabase,
  userId: string,
  nowMs: number,
): Promise<void> {
  await database.run('UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [
    nowMs,
    userId,
  ]);
}

/** The ISP of the account (null for a platform account): whose audit log the reset goes to. */
export async function tenantOfAccount(database: SqlDatabase, userId: string): Promise<string | null> {
  const row = await database.get<{ tenantId: string | null }>(
    'SELECT tenant_id AS "tenantId" FROM users WHERE id = ?',
    [userId],
  );
  return row?.tenantId ?? null;
}
