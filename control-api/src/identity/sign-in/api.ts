// /api/v1/auth: sign in (tokens or a console cookie session), refresh, sign out, TOTP enrolment,
// and changing one's own password (the only call allowed while a superior-set password awaits it).
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { authenticate } from '../../kernel/middleware/authenticate';
import { routeGroup } from '../../kernel/route';
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

const auth = routeGroup({ basePath: '/api/v1/auth', tag: 'auth' });

auth.declare({
  method: 'post',
  path: '/login',
  summary: 'Sign in with email, password (and TOTP code when on); answers an access and a refresh token',
  permission: 'public',
  body: loginSchema,
  response: tokenPairSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await signInWithTokens(dependencies, context, body)),
});

auth.declare({
  method: 'post',
  path: '/refresh',
  summary: 'Trade a refresh token for a new pair (the old one is spent)',
  permission: 'public',
  body: refreshSchema,
  response: tokenPairSchema,
  handler: async ({ body, dependencies, respond }) =>
    respond(await refreshTokens(dependencies, body.refreshToken)),
});

auth.declare({
  method: 'post',
  path: '/logout',
  summary: 'Revoke a refresh token and end the console cookie session',
  permission: 'public',
  body: logoutSchema,
  responseStatus: 204,
  handler: async ({ body, dependencies }, context) => {
    await signOut(dependencies, context, body.refreshToken);
    return context.body(null, 204);
  },
});

// A console session for browser clients: sets the HttpOnly cookie, answers the CSRF token.
auth.declare({
  method: 'post',
  path: '/session',
  summary: 'Start a console cookie session (HttpOnly cookie); answers the CSRF token',
  permission: 'public',
  body: loginSchema,
  response: z.object({
    csrfToken: z.string(),
    expiresAt: z.number().int(),
    kind: z.string(),
    tenantId: z.string().nullable(),
    home: z.string(),
    mustChangePassword: z.boolean(),
  }),
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await signInWithCookie(dependencies, context, body)),
});

auth.declare({
  method: 'delete',
  path: '/session',
  summary: 'End the console cookie session',
  permission: 'public',
  responseStatus: 204,
  handler: async ({ dependencies }, context) => {
    await endCookieSession(dependencies, context);
    return context.body(null, 204);
  },
});

// Below: the signed-in account's own settings (authenticated by authRoutes; not for API keys).
auth.declare({
  method: 'post',
  path: '/totp/setup',
  summary: 'Start two-factor enrolment (platform accounts and ISP owners): a new secret and otpauth URL',
  permission: 'signed-in',
  response: z.object({ secret: z.string(), otpauthUrl: z.string() }),
  handler: async ({ dependencies, respond }, context) =>
    respond(await startTotpEnrolment(dependencies, context.get('principal'))),
});

auth.declare({
  method: 'post',
  path: '/totp/confirm',
  summary:
    'Turn two-factor sign-in on with a code from the new secret and the current password; every other session of the account ends',
  permission: 'signed-in',
  body: totpChangeSchema,
  response: z.object({ totpEnabled: z.literal(true), tokens: renewedTokensSchema }),
  handler: async ({ body, dependencies, respond }, context) =>
    respond({ totpEnabled: true, ...(await enableTotp(dependencies, context, body)) }),
});

auth.declare({
  method: 'post',
  path: '/totp/disable',
  summary:
    'Turn two-factor sign-in off with a current code and the current password; every other session of the account ends',
  permission: 'signed-in',
  body: totpChangeSchema,
  response: z.object({ totpEnabled: z.literal(false), tokens: renewedTokensSchema }),
  handler: async ({ body, dependencies, respond }, context) =>
    respond({ totpEnabled: false, ...(await disableTotp(dependencies, context, body)) }),
});

auth.declare({
  method: 'post',
  path: '/password',
  summary:
    "Change one's own password; every other session of the account ends. A token caller gets new tokens; a console session goes on",
  permission: 'signed-in',
  body: changePasswordSchema,
  response: z.object({ changed: z.literal(true), tokens: renewedTokensSchema }),
  handler: async ({ body, dependencies, respond }, context) =>
    respond({ changed: true, ...(await changeOwnPassword(dependencies, context, body)) }),
});

/**
 * Mounted before authentication: sign-in is public; the account-settings paths authenticate here
 * (POST /password also while a superior-set password awaits changing) and refuse API keys.
 */
export function authRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  for (const path of ['/totp/*', '/password']) {
    const isOwnPasswordRoute = path === '/password';
    routes.use(path, authenticate(dependencies, { isOwnPasswordRoute }), async (context, next) => {
      if (context.get('principal').kind === 'api_key')
        throw new KiungaError('forbidden', 'API keys have no account settings.');
      await next();
    });
  }
  routes.route('/', auth.mount(dependencies));
  return routes;
}
