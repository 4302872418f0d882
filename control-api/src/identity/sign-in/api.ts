// /api/v1/auth: sign in (tokens or a console cookie session), refresh, sign out, TOTP enrolment,
// and changing one's own password (the only call allowed while a superior-set password awaits it).
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { recordAudit, recordAuditAs, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { authenticate } from '../../kernel/middleware/authenticate';
import { registerApiOperations } from '../../kernel/openapi';
import { parseJsonBody } from '../../kernel/validation';
import {
  consoleHomePath,
  endCookieSession,
  PASSWORD_CHANGE_PATH,
  SESSION_COOKIE_NAME,
  startCookieSession,
} from '../console-sessions';
import { verifyLogin } from '../login';
import { identityLimiters, throwRateLimited } from '../login-limits';
import { hashPassword, newPasswordSchema, verifyPassword } from '../passwords';
import type { Principal, PrincipalKind } from '../permissions';
import { loadUserPrincipal } from '../principals';
import {
  issueTokenPair,
  revokeAllSessionsOf,
  revokeRefreshToken,
  rotateRefreshToken,
  type TokenPair,
} from '../refresh-tokens';
import { sha256Hex } from '../secrets';
import { createTotpSecret, totpEnrolmentUrl, verifyTotpCode } from '../totp';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  /** Six-digit code from the authenticator app, when the account has TOTP enabled. */
  totp: z.string().trim().max(10).optional(),
});

export const refreshSchema = z.object({ refreshToken: z.string().min(16).max(200) });
export const logoutSchema = z.object({ refreshToken: z.string().min(16).max(200).optional() });
const currentPasswordSchema = z.string().min(1).max(1024);
/** Turning two-factor on or off: a code from the app and the current password (a session alone is not enough). */
export const totpChangeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'six digits'),
  currentPassword: currentPasswordSchema,
});
export const changePasswordSchema = z.object({
  currentPassword: currentPasswordSchema,
  newPassword: newPasswordSchema,
});

/** For a caller signed in with a token: its refresh token ended with the account's others. */
const renewedTokensSchema = z
  .object({
    token: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
  })
  .optional();

const tokenPairSchema = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  kind: z.string(),
  tenantId: z.string().nullable(),
  /** True when a superior set the password: every call but POST /auth/password answers 403 until then. */
  mustChangePassword: z.boolean(),
});

registerApiOperations([
  {
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email, password (and TOTP code when on); answers an access and a refresh token',
    tag: 'auth',
    isPublic: true,
    body: loginSchema,
    response: tokenPairSchema,
  },
  {
    method: 'post',
    path: '/api/v1/auth/refresh',
    summary: 'Trade a refresh token for a new pair (the old one is spent)',
    tag: 'auth',
    isPublic: true,
    body: refreshSchema,
    response: tokenPairSchema,
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Revoke a refresh token and end the console cookie session',
    tag: 'auth',
    isPublic: true,
    body: logoutSchema,
    responseStatus: 204,
  },
  {
    method: 'post',
    path: '/api/v1/auth/session',
    summary: 'Start a console cookie session (HttpOnly cookie); answers the CSRF token',
    tag: 'auth',
    isPublic: true,
    body: loginSchema,
    response: z.object({
      csrfToken: z.string(),
      expiresAt: z.number().int(),
      kind: z.string(),
      tenantId: z.string().nullable(),
      home: z.string(),
      mustChangePassword: z.boolean(),
    }),
  },
  {
    method: 'delete',
    path: '/api/v1/auth/session',
    summary: 'End the console cookie session',
    tag: 'auth',
    isPublic: true,
    responseStatus: 204,
  },
  {
    method: 'post',
    path: '/api/v1/auth/totp/setup',
    summary: 'Start two-factor enrolment (platform accounts and ISP owners): a new secret and otpauth URL',
    tag: 'auth',
    response: z.object({ secret: z.string(), otpauthUrl: z.string() }),
  },
  {
    method: 'post',
    path: '/api/v1/auth/totp/confirm',
    summary:
      'Turn two-factor sign-in on with a code from the new secret and the current password; every other session of the account ends',
    tag: 'auth',
    body: totpChangeSchema,
    response: z.object({ totpEnabled: z.literal(true), tokens: renewedTokensSchema }),
  },
  {
    method: 'post',
    path: '/api/v1/auth/totp/disable',
    summary:
      'Turn two-factor sign-in off with a current code and the current password; every other session of the account ends',
    tag: 'auth',
    body: totpChangeSchema,
    response: z.object({ totpEnabled: z.literal(false), tokens: renewedTokensSchema }),
  },
  {
    method: 'post',
    path: '/api/v1/auth/password',
    summary:
      "Change one's own password; every other session of the account ends. A token caller gets new tokens; a console session goes on",
    tag: 'auth',
    body: changePasswordSchema,
    response: z.object({ changed: z.literal(true), tokens: renewedTokensSchema }),
  },
]);

/** What sign-in and refresh answer beside the tokens: who this is, and whether a password change is due. */
function accountSummaryOf(principal: Principal) {
  return {
    kind: principal.kind,
    tenantId: principal.tenantId,
    mustChangePassword: principal.mustChangePassword === true,
  };
}

/** TOTP is offered to the accounts that can do the most damage: platform staff and ISP owners. */
const TOTP_KINDS: ReadonlySet<PrincipalKind> = new Set(['super_admin', 'platform_staff', 'isp_owner']);

interface TotpRow {
  totpSecretSealed: string | null;
  totpEnabledAt: number | null;
  totpLastStep: number | null;
  passwordHash: string;
}

export function authRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;
  const totpRowOf = async (userId: string): Promise<TotpRow> => {
    const row = await platform.get<TotpRow>(
      `SELECT totp_secret_sealed AS "totpSecretSealed", totp_enabled_at AS "totpEnabledAt",
              totp_last_step AS "totpLastStep", password_hash AS "passwordHash" FROM users WHERE id = ?`,
      [userId],
    );
    if (!row) throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
    return row;
  };

  routes.post('/login', async (context) => {
    const principal = await verifyLogin(dependencies, context, await parseJsonBody(context, loginSchema));
    const pair = await issueTokenPair(dependencies, principal.id);
    return context.json({ ...pair, ...accountSummaryOf(principal) });
  });

  routes.post('/refresh', async (context) => {
    const { refreshToken } = await parseJsonBody(context, refreshSchema);
    const { userId, pair } = await rotateRefreshToken(dependencies, refreshToken);
    const principal = await loadUserPrincipal(platform, userId);
    if (!principal) {
      await revokeAllSessionsOf(dependencies, userId);
      throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
    }
    return context.json({ ...pair, ...accountSummaryOf(principal) });
  });

  routes.post('/logout', async (context) => {
    const { refreshToken } = await parseJsonBody(context, logoutSchema);
    const userId = refreshToken ? await revokeRefreshToken(dependencies, refreshToken) : null;
    await endCookieSession(dependencies, context);
    if (userId) {
      const user = await platform.get<{ tenantId: string | null }>(
        'SELECT tenant_id AS "tenantId" FROM users WHERE id = ?',
        [userId],
      );
      await recordAuditAs(
        dependencies,
        context,
        { id: userId, tenantId: user?.tenantId ?? null },
        {
          action: 'auth.logout',
          target: userId,
        },
      );
    }
    return context.body(null, 204);
  });

  // A console session for browser clients: sets the HttpOnly cookie, answers the CSRF token.
  routes.post('/session', async (context) => {
    const principal = await verifyLogin(dependencies, context, await parseJsonBody(context, loginSchema));
    const { csrfToken, expiresAt } = await startCookieSession(dependencies, context, principal.id);
    return context.json({
      csrfToken,
      expiresAt,
      ...accountSummaryOf(principal),
      home: principal.mustChangePassword ? PASSWORD_CHANGE_PATH : consoleHomePath(principal),
    });
  });

  routes.delete('/session', async (context) => {
    await endCookieSession(dependencies, context);
    return context.body(null, 204);
  });

  // Below: the signed-in account's own settings (not for API keys).
  const own = routes;
  for (const path of ['/totp/*', '/password']) {
    const isOwnPasswordRoute = path === '/password';
    own.use(path, authenticate(dependencies, { isOwnPasswordRoute }), async (context, next) => {
      if (context.get('principal').kind === 'api_key')
        throw new KiungaError('forbidden', 'API keys have no account settings.');
      await next();
    });
  }

  own.post('/totp/setup', async (context) => {
    const principal = context.get('principal');
    if (!TOTP_KINDS.has(principal.kind))
      throw new KiungaError('forbidden', 'Two-factor sign-in is for platform accounts and ISP owners.');
    const secret = createTotpSecret();
    // Only while two-factor sign-in is off: a setup never replaces the secret of an enabled one.
    const started = await platform.run(
      `UPDATE users SET totp_secret_sealed = ?, totp_last_step = NULL, updated_at = ?
        WHERE id = ? AND totp_enabled_at IS NULL`,
      [dependencies.secretBox.seal(secret), dependencies.clock.now(), principal.id],
    );
    if (started.changes === 0)
      throw new KiungaError('conflict', 'Two-factor sign-in is already on; turn it off first.');
    return context.json({ secret, otpauthUrl: totpEnrolmentUrl(secret, principal.email ?? principal.id) });
  });

  /**
   * The current password, checked like a sign-in (a wrong one counts against the account from this
   * address, so a stolen session cannot be used to guess it), else 403 or 429.
   */
  const assertCurrentPassword = async (context: Context<AppEnv>, password: string) => {
    const principal = context.get('principal');
    const throttle = identityLimiters(dependencies).signIn;
    const account = principal.email ?? principal.id;
    const address = sourceAddressOf(context, dependencies) ?? 'unknown';
    const nowMs = dependencies.clock.now();
    const refusal = await throttle.check(account, address, nowMs);
    if (refusal) throwRateLimited(context, refusal);
    if (!(await verifyPassword((await totpRowOf(principal.id)).passwordHash, password))) {
      await throttle.recordFailure(account, address, nowMs);
      throw new KiungaError('forbidden', 'The current password is wrong.');
    }
  };

  /**
   * After a change to how the account signs in, whoever else holds a session of it (someone who
   * knew a superior-set or leaked password, or a stolen session) is signed out. The caller goes on:
   * its console session stays; a token caller, whose refresh token ended too, gets a new pair.
   */
  const endOtherSessions = async (context: Context<AppEnv>): Promise<TokenPair | undefined> => {
    const principal = context.get('principal');
    const isCookieCaller = context.get('authMethod') === 'cookie';
    const cookieToken = isCookieCaller ? getCookie(context, SESSION_COOKIE_NAME) : undefined;
    await revokeAllSessionsOf(dependencies, principal.id, cookieToken ? sha256Hex(cookieToken) : null);
    return isCookieCaller ? undefined : issueTokenPair(dependencies, principal.id);
  };

  own.post('/totp/confirm', async (context) => {
    const principal = context.get('principal');
    const { code, currentPassword } = await parseJsonBody(context, totpChangeSchema);
    const row = await totpRowOf(principal.id);
    if (row.totpSecretSealed === null || row.totpEnabledAt !== null)
      throw new KiungaError('conflict', 'Start with /auth/totp/setup.');
    await assertCurrentPassword(context, currentPassword);
    const nowMs = dependencies.clock.now();
    const step = verifyTotpCode(dependencies.secretBox.open(row.totpSecretSealed), code, nowMs, null);
    if (step === null) throw new KiungaError('invalid_totp', undefined, 400);
    // Only the secret this code was checked against (a new setup meanwhile would need its own code).
    const enabled = await platform.run(
      `UPDATE users SET totp_enabled_at = ?, totp_last_step = ?, updated_at = ?
        WHERE id = ? AND totp_secret_sealed = ? AND totp_enabled_at IS NULL`,
      [nowMs, step, nowMs, principal.id, row.totpSecretSealed],
    );
    if (enabled.changes === 0) throw new KiungaError('conflict', 'Start with /auth/totp/setup.');
    const tokens = await endOtherSessions(context);
    await recordAudit(dependencies, context, { action: 'auth.totp_enabled', target: principal.id });
    return context.json({ totpEnabled: true, ...(tokens ? { tokens } : {}) });
  });

  own.post('/totp/disable', async (context) => {
    const principal = context.get('principal');
    const { code, currentPassword } = await parseJsonBody(context, totpChangeSchema);
    const row = await totpRowOf(principal.id);
    if (row.totpSecretSealed === null || row.totpEnabledAt === null)
      throw new KiungaError('conflict', 'Two-factor sign-in is not on.');
    await assertCurrentPassword(context, currentPassword);
    const step = verifyTotpCode(
      dependencies.secretBox.open(row.totpSecretSealed),
      code,
      dependencies.clock.now(),
      row.totpLastStep,
    );
    if (step === null) throw new KiungaError('invalid_totp', undefined, 400);
    // A code is good once: not if a sign-in took this step (or a later one) meanwhile.
    const disabled = await platform.run(
      `UPDATE users SET totp_secret_sealed = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = ?
        WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)`,
      [dependencies.clock.now(), principal.id, step],
    );
    if (disabled.changes === 0) throw new KiungaError('invalid_totp', undefined, 400);
    const tokens = await endOtherSessions(context);
    await recordAudit(dependencies, context, { action: 'auth.totp_disabled', target: principal.id });
    return context.json({ totpEnabled: false, ...(tokens ? { tokens } : {}) });
  });

  own.post('/password', async (context) => {
    const principal = context.get('principal');
    const body = await parseJsonBody(context, changePasswordSchema);
    await assertCurrentPassword(context, body.currentPassword);
    if (body.newPassword === body.currentPassword)
      throw new KiungaError(
        'validation_failed',
        'newPassword: choose a password different from the current one.',
      );
    const wasRequired = principal.mustChangePassword === true;
    await platform.run(
      'UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?',
      [await hashPassword(body.newPassword), dependencies.clock.now(), principal.id],
    );
    const tokens = await endOtherSessions(context);
    await recordAudit(dependencies, context, {
      action: 'auth.password_change',
      target: principal.id,
      detail: { wasRequired },
    });
    return context.json({ changed: true, ...(tokens ? { tokens } : {}) });
  });
  return routes;
}
