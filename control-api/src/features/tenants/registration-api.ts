// ISP self-registration (public, rate-limited per address): a new tenant in a 24-hour trial,
// its owner account, and the owner's first tokens.
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { assertNotLimited, identityLimiters } from '../../identity/login-limits';
import { emailSchema, newPasswordSchema } from '../../identity/passwords';
import { sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { verificationSummary } from '../signup/core';
import { recordApiRegistration } from '../signup/service';
import { kenyanPhoneSchema, slugSchema } from './api';
import { registerTenant } from './service';

export const registrationSchema = z
  .object({
    ispName: z.string().trim().min(2).max(120),
    slug: slugSchema,
    ownerEmail: emailSchema,
    ownerPassword: newPasswordSchema,
    ownerName: z.string().trim().max(120).optional(),
    phone: kenyanPhoneSchema,
    tier: z.enum(['tier1', 'tier2']),
    featureChoice: z.enum(['hotspot', 'pppoe']).optional(),
  })
  .superRefine((body, context) => {
    if (body.tier === 'tier1' && !body.featureChoice)
      context.addIssue({ code: 'custom', path: ['featureChoice'], message: 'Tier 1 needs hotspot or pppoe' });
  });

/** A registration (API or sign-up form) as the tenant service takes it. */
export function newTenantOfRegistration(body: z.output<typeof registrationSchema>) {
  return {
    name: body.ispName,
    slug: body.slug,
    tier: body.tier,
    featureChoice: body.featureChoice,
    contactPhone: body.phone,
    owner: { email: body.ownerEmail, password: body.ownerPassword, displayName: body.ownerName },
  };
}

const registration = routeGroup({ basePath: '/api/v1/registration', tag: 'registration' });

registration.declare({
  method: 'post',
  path: '/',
  summary: "ISP self-registration: a new ISP in a 24-hour trial, its owner, and the owner's first tokens",
  permission: 'public',
  body: registrationSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) => {
    const registered = await registerTenant(dependencies, context, newTenantOfRegistration(body));
    // Issue 15's contract: the phone and email to confirm (the code and link are on their way).
    const signup = await recordApiRegistration(dependencies, context, {
      tenantId: registered.tenant.id,
      ownerId: registered.ownerId,
      phone: body.phone,
      email: body.ownerEmail,
      ispName: body.ispName,
      trialEndsAtMs: registered.tenant.trialEndsAt,
    });
    return respond({
      ...registered,
      tenantId: registered.tenant.id,
      slug: registered.tenant.slug,
      verification: verificationSummary(signup),
    });
  },
});

/** Every attempt counts, valid or not: probing slugs and emails is what the limit stops. */
function limitRegistrations(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const limiter = identityLimiters(dependencies).registrationsPerAddress;
    const address = sourceAddressOf(context, dependencies) ?? 'unknown';
    const nowMs = dependencies.clock.now();
    await assertNotLimited(context, limiter, address, nowMs);
    await limiter.record(address, nowMs);
    await next();
  };
}

/** Public, limited per address before the body is read. */
export function registrationRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/', limitRegistrations(dependencies));
  routes.route('/', registration.mount(dependencies));
  return routes;
}
