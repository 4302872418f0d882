// Signing in and out through the API: a token pair or a console cookie session for valid credentials,
// a refresh that rechecks the account, and a sign-out that ends both and is audited.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAuditAs } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import {
  consoleHomePath,
  endCookieSession,
  PASSWORD_CHANGE_PATH,
  startCookieSession,
} from '../console-sessions';
import { type LoginInput, verifyLogin } from '../login';
import type { Principal } from '../permissions';
import { loadUserPrincipal } from '../principals';
import {
  issueTokenPair,
  revokeAllSessionsOf,
  revokeRefreshToken,
  rotateRefreshToken,
  type TokenPair,
} from '../refresh-tokens';

/** What sign-in and refresh answer beside the tokens: who this is, and whether a password change is due. */
export interface AccountSummary {
  kind: string;
  tenantId: string | null;
  /** True when a superior set the password: every call but POST /auth/password answers 403 until then. */
  mustChangePassword: boolean;
}

function accountSummaryOf(principal: Principal): AccountSummary {
  return {
    kind: principal.kind,
    tenantId: principal.tenantId,
    mustChangePassword: principal.mustChangePassword === true,
  };
}

export async function signInWithTokens(
  dependencies: ApiDependencies,
  context: Context,
  input: LoginInput,
): Promise<TokenPair & AccountSummary> {
  const principal = await verifyLogin(dependencies, context, input);
  return { ...(await issueTokenPair(dependencies, principal.id)), ...accountSummaryOf(principal) };
}

/** Sets the HttpOnly cookie; answers the CSRF token and where the console opens. */
export async function signInWithCookie(
  dependencies: ApiDependencies,
  context: Context,
  input: LoginInput,
): Promise<AccountSummary & { csrfToken: string; expiresAt: number; home: string }> {
  const principal = await verifyLogin(dependencies, context, input);
  const { csrfToken, expiresAt } = await startCookieSession(dependencies, context, principal.id);
  return {
    csrfToken,
    expiresAt,
    ...accountSummaryOf(principal),
    home: principal.mustChangePassword ? PASSWORD_CHANGE_PATH : consoleHomePath(principal),
  };
}

/** A new pair for a refresh token (spent now); an account gone or disabled meanwhile loses every session. */
export async function refreshTokens(
  dependencies: ApiDependencies,
  refreshToken: string,
): Promise<TokenPair & AccountSummary> {
  const { userId, pair } = await rotateRefreshToken(dependencies, refreshToken);
  const principal = await loadUserPrincipal(dependencies.databases.platform, userId);
  if (!principal) {
    await revokeAllSessionsOf(dependencies, userId);
    throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
  }
  return { ...pair, ...accountSummaryOf(principal) };
}

/** Revokes the refresh token (when given) and ends the console cookie session; audited as its account. */
export async function signOut(
  dependencies: ApiDependencies,
  context: Context,
  refreshToken: string | undefined,
): Promise<void> {
  const userId = refreshToken ? await revokeRefreshToken(dependencies, refreshToken) : null;
  await endCookieSession(dependencies, context);
  if (!userId) return;
  const user = await dependencies.databases.platform.get<{ tenantId: string | null }>(
    'SELECT tenant_id AS "tenantId" FROM users WHERE id = ?',
    [userId],
  );
  await recordAuditAs(
    dependencies,
    context,
    { id: userId, tenantId: user?.tenantId ?? null },
    { action: 'auth.logout', target: userId },
  );
}
