// /api/v1/auth: sign in (tokens or a console cookie session), refresh, sign out, TOTP enrolment,
// and changing one's own password (the only call allowed while a superior-set password awaits it).
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { authenticate } from '../../kernel/middleware/authenticate';
import { registerApiOperations } from '../../kernel/openapi';
import { parseJsonBody } from '../../kernel/validation';
import { changeOwnPassword, disableTotp, enableTotp, startTotpEnrolment } from '../account/service';
import { endCookieSession } from '../console-sessions';
import { newPasswordSchema } from '../passwords';
import { refreshTokens, signInWithCookie, signInWithTokens, signOut } from './service';

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

export function authRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/login', async (context) =>
    context.json(await signInWithTokens(dependencies, context, await parseJsonBody(context, loginSchema))),
  );

  routes.post('/refresh', async (context) => {
    const { refreshToken } = await parseJsonBody(context, refreshSchema);
    return context.json(await refreshTokens(dependencies, refreshToken));
  });

  routes.post('/logout', async (context) => {
    const { refreshToken } = await parseJsonBody(context, logoutSchema);
    await signOut(dependencies, context, refreshToken);
    return context.body(null, 204);
  });

  // A console session for browser clients: sets the HttpOnly cookie, answers the CSRF token.
  routes.post('/session', async (context) =>
    context.json(await signInWithCookie(dependencies, context, await parseJsonBody(context, loginSchema))),
  );

  routes.delete('/session', async (context) => {
    await endCookieSession(dependencies, context);
    return context.body(null, 204);
  });

  // Below: the signed-in account's own settings (not for API keys).
  for (const path of ['/totp/*', '/password']) {
    const isOwnPasswordRoute = path === '/password';
    routes.use(path, authenticate(dependencies, { isOwnPasswordRoute }), async (context, next) => {
      if (context.get('principal').kind === 'api_key')
        throw new KiungaError('forbidden', 'API keys have no account settings.');
      await next();
    });
  }

  routes.post('/totp/setup', async (context) =>
    context.json(await startTotpEnrolment(dependencies, context.get('principal'))),
  );

  routes.post('/totp/confirm', async (context) => {
    const change = await parseJsonBody(context, totpChangeSchema);
    const sessions = await enableTotp(dependencies, context, change);
    return context.json({ totpEnabled: true, ...sessions });
  });

  routes.post('/totp/disable', async (context) => {
    const change = await parseJsonBody(context, totpChangeSchema);
    const sessions = await disableTotp(dependencies, context, change);
    return context.json({ totpEnabled: false, ...sessions });
  });

  routes.post('/password', async (context) => {
    const change = await parseJsonBody(context, changePasswordSchema);
    const sessions = await changeOwnPassword(dependencies, context, change);
    return context.json({ changed: true, ...sessions });
  });
  return routes;
}
