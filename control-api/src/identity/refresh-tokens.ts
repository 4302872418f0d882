// Refresh tokens: issued with each sign-in, rotated on every use; presenting a used one again
// means it was stolen, so its whole family (every descendant) is revoked.
import { KiungaError, newId } from '@kiunga/schemas';
import type { ApiDependencies } from '../kernel/dependencies';
import { randomSecret, sha256Hex } from './secrets';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from './tokens';

/** 30 days: a phone stays signed in for a month of daily use without typing the password. */
export const REFRESH_TOKEN_TTL_MS = 30 * 86_400_000;

export interface TokenPair {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

interface RefreshRow {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

async function insertRefreshToken(
  dependencies: ApiDependencies,
  userId: string,
  familyId: string,
): Promise<string> {
  const nowMs = dependencies.clock.now();
  const refreshToken = randomSecret();
  await dependencies.databases.platform.run(
    `INSERT INTO refresh_tokens (id, user_id, token_hash, family_id, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [newId('refreshToken'), userId, sha256Hex(refreshToken), familyId, nowMs, nowMs + REFRESH_TOKEN_TTL_MS],
  );
  return refreshToken;
}

async function pairFor(dependencies: ApiDependencies, userId: string, familyId: string): Promise<TokenPair> {
  const token = await issueAccessToken(dependencies.tokenKey, userId, dependencies.clock.now());
  const refreshToken = await insertRefreshToken(dependencies, userId, familyId);
  return { token, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS, refreshToken };
}

/** A fresh access token and a refresh token starting a new family (one per sign-in). */
export function issueTokenPair(dependencies: ApiDependencies, userId: string): Promise<TokenPair> {
  return pairFor(dependencies, userId, newId('refreshToken'));
}

function findRefreshToken(
  dependencies: ApiDependencies,
  refreshToken: string,
): Promise<RefreshRow | undefined> {
  return dependencies.databases.platform.get<RefreshRow>(
    `SELECT id, user_id AS "userId", family_id AS "familyId", expires_at AS "expiresAt",
            used_at AS "usedAt", revoked_at AS "revokedAt"
       FROM refresh_tokens WHERE token_hash = ?`,
    [sha256Hex(refreshToken)],
  );
}

async function revokeFamily(dependencies: ApiDependencies, familyId: string): Promise<void> {
  await dependencies.databases.platform.run(
    'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
    [dependencies.clock.now(), familyId],
  );
}

/** Exchanges a refresh token for a new pair; the user id is returned for the caller's checks. */
export async function rotateRefreshToken(
  dependencies: ApiDependencies,
  refreshToken: string,
): Promise<{ userId: string; pair: TokenPair }> {
  const nowMs = dependencies.clock.now();
  const row = await findRefreshToken(dependencies, refreshToken);
  const ended = new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
  if (!row || row.revokedAt !== null || row.expiresAt <= nowMs) throw ended;
  const marked = await dependencies.databases.platform.run(
    'UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL',
    [nowMs, row.id],
  );
  if (marked.changes !== 1) {
    await revokeFamily(dependencies, row.familyId);
    dependencies.logger.warn({ userId: row.userId }, 'refresh token reused: family revoked');
    throw ended;
  }
  return { userId: row.userId, pair: await pairFor(dependencies, row.userId, row.familyId) };
}

/** Logout: the token's family ends; unknown tokens are ignored (logout is idempotent). */
export async function revokeRefreshToken(
  dependencies: ApiDependencies,
  refreshToken: string,
): Promise<string | null> {
  const row = await findRefreshToken(dependencies, refreshToken);
  if (!row) return null;
  await revokeFamily(dependencies, row.familyId);
  return row.userId;
}

/**
 * After a password reset or change, or when an account is disabled: every refresh token and cookie
 * session ends, except the console session whose cookie token hash is given (the caller's own).
 */
export async function revokeAllSessionsOf(
  dependencies: ApiDependencies,
  userId: string,
  keepConsoleTokenHash: string | null = null,
): Promise<void> {
  const nowMs = dependencies.clock.now();
  await dependencies.databases.platform.transaction(async (transaction) => {
    await transaction.run(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
      [nowMs, userId],
    );
    await transaction.run(
      `UPDATE console_sessions SET revoked_at = ?
        WHERE user_id = ? AND revoked_at IS NULL AND token_hash IS DISTINCT FROM ?`,
      [nowMs, userId, keepConsoleTokenHash],
    );
  });
}
