// Cookie sessions for the web consoles, with a synchronizer CSRF token per session.
// Cookie: HttpOnly, SameSite=Lax, Secure when the public URL is https. Unsafe methods on a
// cookie-authenticated request must echo the session's CSRF token (header or form field);
// Bearer requests carry no ambient credential and are exempt.
import { KiungaError, newId } from '@kiunga/schemas';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import type { Principal } from './permissions';
import { loadUserPrincipal } from './principals';
import { isSameSecret, randomSecret, sha256Hex } from './secrets';

export const SESSION_COOKIE_NAME = 'kiunga_session';
export const CSRF_HEADER_NAME = 'x-csrf-token';
export const CSRF_FORM_FIELD = '_csrf';
/** 12 hours, absolute: a working day at the console; a forgotten tab ends overnight. */
export const CONSOLE_SESSION_TTL_MS = 12 * 3_600_000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** Starts a session for a user who just signed in: sets the cookie, returns the CSRF token. */
export async function startCookieSession(
  dependencies: ApiDependencies,
  context: Context,
  userId: string,
): Promise<{ csrfToken: string; expiresAt: number }> {
  const nowMs = dependencies.clock.now();
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = nowMs + CONSOLE_SESSION_TTL_MS;
  await dependencies.databases.platform.run(
    `INSERT INTO console_sessions (id, user_id, token_hash, csrf_token, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [newId('consoleSession'), userId, sha256Hex(token), csrfToken, nowMs, expiresAt],
  );
  setCookie(context, SESSION_COOKIE_NAME, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: dependencies.publicUrl.startsWith('https:'),
    path: '/',
    maxAge: Math.floor(CONSOLE_SESSION_TTL_MS / 1000),
  });
  return { csrfToken, expiresAt };
}

/** The principal and CSRF token of the request's session cookie, or null. */
export async function cookieSessionPrincipal(
  dependencies: ApiDependencies,
  context: Context,
): Promise<{ principal: Principal; csrfToken: string } | null> {
  const token = getCookie(context, SESSION_COOKIE_NAME);
  if (!token) return null;
  const row = await dependencies.databases.platform.get<{ userId: string; csrfToken: string }>(
    `SELECT user_id AS "userId", csrf_token AS "csrfToken" FROM console_sessions
      WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
    [sha256Hex(token), dependencies.clock.now()],
  );
  if (!row) return null;
  const principal = await loadUserPrincipal(dependencies.databases.platform, row.userId);
  return principal ? { principal, csrfToken: row.csrfToken } : null;
}

/** Sign-out from a console: the session row ends and the cookie is cleared. */
export async function endCookieSession(dependencies: ApiDependencies, context: Context): Promise<void> {
  const token = getCookie(context, SESSION_COOKIE_NAME);
  if (token) {
    await dependencies.databases.platform.run(
      'UPDATE console_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
      [dependencies.clock.now(), sha256Hex(token)],
    );
  }
  deleteCookie(context, SESSION_COOKIE_NAME, { path: '/' });
}

/** The CSRF token to put in forms (`<input name="_csrf">`) and fetch headers; null without a session. */
export function csrfTokenFor(context: Context<AppEnv>): string | null {
  return context.get('csrfToken') ?? null;
}

/** Compares the request's echoed CSRF token (header, then form field) with the session's. */
export async function hasValidCsrfToken(context: Context, expected: string): Promise<boolean> {
  let given = context.req.header(CSRF_HEADER_NAME);
  if (!given) {
    const contentType = context.req.header('content-type') ?? '';
    if (contentType.includes('form')) {
      // parseBody caches the body, so the route handler can read it again.
      const body = await context.req.parseBody();
      const field = body[CSRF_FORM_FIELD];
      given = typeof field === 'string' ? field : undefined;
    }
  }
  return given !== undefined && isSameSecret(expected, given);
}

/** For routes that authenticated by cookie: unsafe methods need the CSRF token, or 403 csrf_failed. */
export function verifyCsrf(): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    if (context.get('authMethod') === 'cookie' && !isSafeMethod(context.req.method)) {
      const expected = context.get('csrfToken');
      if (!expected || !(await hasValidCsrfToken(context, expected))) throw new KiungaError('csrf_failed');
    }
    await next();
  };
}

/** Writes by users of a suspended ISP are refused; reading (and RADIUS service) go on. */
export function assertTenantWritable(principal: Principal, method: string): void {
  if (principal.tenantStatus === 'suspended' && !isSafeMethod(method)) {
    throw new KiungaError('tenant_suspended');
  }
}

/** The page where an account whose password a superior set chooses its own (routes/console-password.tsx). */
export const PASSWORD_CHANGE_PATH = '/password';

/** Where each kind of account lands after signing in at /login. */
export function consoleHomePath(principal: Principal): string {
  if (principal.kind === 'super_admin' || principal.kind === 'platform_staff') return '/platform';
  if (principal.kind === 'technician') return '/tech';
  if (principal.kind === 'reseller') return '/reseller';
  return '/isp';
}

/**
 * For console pages: a cookie session or a redirect (303) to the login page with `next`.
 * Sets `principal`, `authMethod` = 'cookie' and `csrfToken`; checks CSRF on unsafe methods.
 * An account that must change its password is sent to that page from every other one.
 */
export function authenticateConsole(
  dependencies: ApiDependencies,
  options: { loginPath: string; isPasswordChangePage?: boolean },
): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const session = await cookieSessionPrincipal(dependencies, context);
    if (!session) {
      const nextPath = encodeURIComponent(context.req.path);
      return context.redirect(`${options.loginPath}?next=${nextPath}`, 303);
    }
    context.set('principal', session.principal);
    context.set('authMethod', 'cookie');
    context.set('csrfToken', session.csrfToken);
    if (session.principal.mustChangePassword && !options.isPasswordChangePage)
      return context.redirect(PASSWORD_CHANGE_PATH, 303);
    if (!isSafeMethod(context.req.method)) {
      if (!(await hasValidCsrfToken(context, session.csrfToken))) throw new KiungaError('csrf_failed');
      // Choosing one's own password writes nothing of a suspended ISP's.
      if (!options.isPasswordChangePage) assertTenantWritable(session.principal, context.req.method);
    }
    await next();
  };
}
