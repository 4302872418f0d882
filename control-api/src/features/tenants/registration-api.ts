// ISP self-registration (public, rate-limited per address): a new tenant in a 24-hour trial,
// its owner account, and the owner's first tokens.
import { Hono } from 'hono';
import { z } from 'zod';
import { assertNotLimited, identityLimiters } from '../../identity/login-limits';
import { emailSchema, newPasswordSchema } from '../../identity/passwords';
import { issueTokenPair } from '../../identity/refresh-tokens';
import { recordAuditAs, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { registerApiOperations } from '../../kernel/openapi';
import { parseJsonBody } from '../../kernel/validation';
import { kenyanPhoneSchema, slugSchema } from './api';
import { createTenantWithOwner } from './service';
import { registeredTenantOf } from './store';

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

registerApiOperations([
  {
    method: 'post',
    path: '/api/v1/registration',
    summary: "ISP self-registration: a new ISP in a 24-hour trial, its owner, and the owner's first tokens",
    tag: 'registration',
    isPublic: true,
    body: registrationSchema,
    responseStatus: 201,
  },
]);

export function registrationRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/', async (context) => {
    const limiter = identityLimiters(dependencies).registrationsPerAddress;
    const address = sourceAddressOf(context, dependencies) ?? 'unknown';
    const nowMs = dependencies.clock.now();
    await assertNotLimited(context, limiter, address, nowMs);
    // Every attempt counts, valid or not: probing slugs and emails is what the limit stops.
    await limiter.record(address, nowMs);
    const body = await parseJsonBody(context, registrationSchema);
    const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
      name: body.ispName,
      slug: body.slug,
      tier: body.tier,
      featureChoice: body.tier === 'tier1' ? body.featureChoice : undefined,
      isTrial: true,
      contactPhone: body.phone,
      owner: { email: body.ownerEmail, password: body.ownerPassword, displayName: body.ownerName },
    });
    await recordAuditAs(
      dependencies,
      context,
      { id: ownerId, tenantId },
      {
        action: 'tenant.register',
        target: tenantId,
        detail: { slug: body.slug, tier: body.tier, featureChoice: body.featureChoice ?? null },
      },
    );
    const tenant = await registeredTenantOf(dependencies.databases.platform, tenantId);
    const pair = await issueTokenPair(dependencies, ownerId);
    return context.json({ tenant, ownerId, ...pair }, 201);
  });
  return routes;
}
