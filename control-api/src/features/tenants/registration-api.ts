// ISP self-registration (public, rate-limited per address): a new tenant pending confirmation of its
// phone and email (the trial starts when both are confirmed), its owner account, and the owner's first tokens.
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { assertNotLimited, identityLimiters } from '../../identity/login-limits';
import { emailSchema, newPasswordSchema } from '../../identity/passwords';
import { sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { registerThroughApi } from '../signup/service';
import { kenyanPhoneSchema, slugSchema } from './api';

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
  summary:
    "ISP self-registration: a new ISP pending until its phone (SMS code) and email (link) are confirmed, when its 24-hour trial starts; the owner's first tokens",
  permission: 'public',
  body: registrationSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await registerThroughApi(dependencies, context, newTenantOfRegistration(body))),
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
