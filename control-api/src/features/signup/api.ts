// The sign-up's JSON side (issue 15): an owner registered by POST /api/v1/registration sees what is left
// to confirm, asks for a new SMS code and confirms the phone here (the email by its link, from any
// browser); and the API's gate that keeps a pending sign-up's principals out of every other tenant route.
import { KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantIdOf } from '../../kernel/tenant-access';
import { PHONE_OUTCOME_TEXT } from './messages';
import { sendSignupCode, signupProgress, verifySignupPhone } from './service';
import { pendingSignupOf } from './store';

/**
 * What a pending owner may still reach through the API: finishing the sign-up, paying the registration
 * (docs/decisions.md: payment is open at sign-up) and its own profile. Sign-in, sign-out and the own
 * password live under /api/v1/auth, outside the authenticated sub-app, and are never gated.
 */
const OPEN_WHILE_PENDING_PATHS = ['/api/v1/signup', '/api/v1/platform-billing', '/api/v1/me'];
/**
 * Tenants known to be past their sign-up (confirmed, or never signed up: made by the operator or the
 * seed) are remembered so the gate asks the database once per tenant and process: a sign-up never goes
 * back to pending. Bounded; when full it is forgotten and refilled.
 */
const SETTLED_TENANTS_REMEMBERED_MAX = 100_000;
const settledTenants = new WeakMap<ApiDependencies['databases'], Set<string>>();

function isOpenWhilePending(path: string): boolean {
  return OPEN_WHILE_PENDING_PATHS.some((open) => path === open || path.startsWith(`${open}/`));
}

/**
 * 403 signup_pending (details.missing: 'phone' and/or 'email') on every tenant route of the JSON API but
 * OPEN_WHILE_PENDING_PATHS while the principal's ISP has not confirmed both: the API twin of
 * `pendingSignupGate` (console.tsx), so a pending ISP cannot do through the API what its console refuses.
 */
export function pendingSignupApiGate(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    if (tenantId === null || isOpenWhilePending(context.req.path)) return next();
    const databases = dependencies.databases;
    const settled = settledTenants.get(databases) ?? new Set<string>();
    settledTenants.set(databases, settled);
    if (settled.has(tenantId)) return next();
    const pending = await pendingSignupOf(databases.platform, tenantId);
    if (!pending) {
      if (settled.size >= SETTLED_TENANTS_REMEMBERED_MAX) settled.clear();
      settled.add(tenantId);
      return next();
    }
    const missing = [
      ...(pending.phoneVerifiedAtMs === null ? ['phone'] : []),
      ...(pending.emailVerifiedAtMs === null ? ['email'] : []),
    ];
    throw new KiungaError(
      'signup_pending',
      `Confirm your ${missing.join(' and ')} first: until then only /api/v1/signup, the registration payment and your own profile are open.`,
      undefined,
      { missing, verifyAt: '/api/v1/signup' },
    );
  };
}

const verificationSchema = z.object({
  phone: z.enum(['pending', 'verified']),
  email: z.enum(['pending', 'verified']),
});

export const signupStatusSchema = z.object({
  tenantId: z.string(),
  verification: verificationSchema,
  isActivated: z.boolean(),
});

/** A typed code is six digits; anything longer is cut before it is compared (as on the web form). */
const TYPED_CODE_LENGTH_MAX = 16;

const signup = routeGroup({ basePath: '/api/v1/signup', tag: 'registration' });

async function statusOf(dependencies: ApiDependencies, tenantId: string) {
  const progress = await signupProgress(dependencies, tenantId);
  if (!progress) throw new KiungaError('not_found', 'This ISP has no sign-up to confirm.');
  return { tenantId, verification: progress.verification, isActivated: progress.isActivated };
}

signup.declare({
  method: 'get',
  path: '/',
  summary:
    "What the ISP's sign-up still needs: the phone (SMS code) and the email (link), each pending or verified",
  permission: 'signed-in',
  response: signupStatusSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await statusOf(dependencies, tenantIdOf(context))),
});

signup.declare({
  method: 'post',
  path: '/phone-code',
  summary:
    "Sends a new sign-up code to the owner's phone (429 with Retry-After when one went out a moment ago)",
  permission: 'signed-in',
  responseStatus: 202,
  response: signupStatusSchema,
  handler: async ({ dependencies, respond }, context) => {
    await sendSignupCode(dependencies, context, tenantIdOf(context));
    return respond(await statusOf(dependencies, tenantIdOf(context)));
  },
});

signup.declare({
  method: 'post',
  path: '/verify-phone',
  summary: 'Confirms the phone with the code sent by SMS; the trial starts once the email is confirmed too',
  permission: 'signed-in',
  body: z.object({ code: z.string().trim().min(1).max(TYPED_CODE_LENGTH_MAX) }),
  response: signupStatusSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    const outcome = await verifySignupPhone(dependencies, tenantIdOf(context), body.code);
    if (outcome !== 'verified')
      throw new KiungaError('validation_failed', PHONE_OUTCOME_TEXT[outcome], 400, { outcome });
    return respond(await statusOf(dependencies, tenantIdOf(context)));
  },
});

export const signupApiRoutes = (dependencies: ApiDependencies) => signup.mount(dependencies);
