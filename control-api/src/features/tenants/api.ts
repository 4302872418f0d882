// Platform operator's tenants (/api/v1/platform/tenants): list with key figures, detail, create
// with an owner account, suspend, reactivate, archive, and reset of the owner's password.
// Suspension keeps RADIUS service for the ISP's clients and read access for its users; writes
// get 403 tenant_suspended. Archive moves the tenant's data out of service (databases.archiveTenant).
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { emailSchema, generateTemporaryPassword, newPasswordSchema } from '../../identity/passwords';
import { resetPasswordSchema } from '../../identity/users/api';
import { resetPasswordOf } from '../../identity/users/service';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { changeTenantLifecycle, createTenantWithOwner, listTenants, ownerIdOf, readTenant } from './service';

/** Slugs appear in portal URLs; these would collide with the app's own paths. */
const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'app',
  'isp',
  'login',
  'platform',
  'portal',
  'tech',
  'www',
  'account',
]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, '3-40 lowercase letters, digits and dashes')
  .refine((slug) => !RESERVED_SLUGS.has(slug), 'this name is reserved');

/** Kenyan mobile numbers in any usual spelling, stored as 2547XXXXXXXX / 2541XXXXXXXX. */
export const kenyanPhoneSchema = z
  .string()
  .max(32)
  .transform((text) => text.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(?:\+?254|0)[17]\d{8}$/, 'a Kenyan mobile number such as 0712345678'))
  .transform((text) => `254${text.slice(-9)}`);

const tierFields = {
  tier: z.enum(['tier1', 'tier2']),
  /** Tier 1 only: the one service family the ISP sells. */
  featureChoice: z.enum(['hotspot', 'pppoe']).optional(),
};

function checkFeatureChoice(
  body: { tier: string; featureChoice?: string | undefined },
  context: z.RefinementCtx,
) {
  if (body.tier === 'tier1' && !body.featureChoice)
    context.addIssue({ code: 'custom', path: ['featureChoice'], message: 'Tier 1 needs hotspot or pppoe' });
  if (body.tier === 'tier2' && body.featureChoice)
    context.addIssue({ code: 'custom', path: ['featureChoice'], message: 'Tier 2 includes every feature' });
}

export const createTenantSchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    slug: slugSchema,
    ...tierFields,
    /** Start in a 24-hour trial (as self-registration does) instead of active. */
    startTrial: z.boolean().default(false),
    contactPhone: kenyanPhoneSchema.optional(),
    owner: z.object({
      email: emailSchema,
      /** Omit to get a one-time temporary password in the answer. */
      password: newPasswordSchema.optional(),
      displayName: z.string().trim().max(120).optional(),
    }),
  })
  .superRefine(checkFeatureChoice);

export const listTenantsQuerySchema = pageQuerySchema.extend({
  status: z.enum(['trial', 'active', 'suspended', 'archived']).optional(),
});

const tenantOutputSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(['trial', 'active', 'suspended', 'archived']),
  tier: z.string(),
  featureChoice: z.string().nullable(),
  trialEndsAt: z.number().int().nullable(),
  contactPhone: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  owner: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  figures: z.object({
    nas: z.number().int(),
    plans: z.number().int(),
    vouchers: z.number().int(),
    subscribers: z.number().int(),
    openSessions: z.number().int(),
  }),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/platform/tenants',
    summary: 'List ISPs with status and key figures',
    tag: 'platform',
    permission: 'tenants.read',
    query: listTenantsQuerySchema,
    response: pageResponseSchema(tenantOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/platform/tenants',
    summary:
      "Create an ISP with its owner account; without a password, the owner's temporary one is returned once",
    tag: 'platform',
    permission: 'tenants.write',
    body: createTenantSchema,
    response: tenantOutputSchema.extend({ ownerTemporaryPassword: z.string().optional() }),
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/platform/tenants/{id}',
    summary: 'One ISP with its key figures',
    tag: 'platform',
    permission: 'tenants.read',
    response: tenantOutputSchema,
  },
  ...(['suspend', 'reactivate', 'archive'] as const).map((action) => ({
    method: 'post' as const,
    path: `/api/v1/platform/tenants/{id}/${action}`,
    summary: {
      suspend: 'Suspend an ISP: RADIUS goes on, its users may read but not write',
      reactivate: 'Reactivate a suspended ISP',
      archive: 'Archive an ISP: accounts and keys stop working, its data is moved away',
    }[action],
    tag: 'platform',
    permission: 'tenants.write',
    response: tenantOutputSchema,
  })),
  {
    method: 'post',
    path: '/api/v1/platform/tenants/{id}/owner/reset-password',
    summary: "Reset the ISP owner's password (chosen, or a temporary one returned once)",
    tag: 'platform',
    permission: 'tenants.write',
    body: resetPasswordSchema,
    response: z.object({ id: z.string(), temporaryPassword: z.string().optional() }),
  },
]);

export function tenantRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', requirePermission('tenants.read'), async (context) =>
    context.json(await listTenants(dependencies, parseQuery(context, listTenantsQuerySchema))),
  );

  routes.get('/:id', requirePermission('tenants.read'), async (context) =>
    context.json(await readTenant(dependencies, context.req.param('id'))),
  );

  routes.post('/', requirePermission('tenants.write'), async (context) => {
    const body = await parseJsonBody(context, createTenantSchema);
    const temporaryPassword = body.owner.password ? undefined : generateTemporaryPassword();
    const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
      ...body,
      isTrial: body.startTrial,
      owner: {
        ...body.owner,
        password: body.owner.password ?? temporaryPassword ?? '',
        mustChangePassword: temporaryPassword !== undefined,
      },
    });
    await recordAudit(dependencies, context, {
      action: 'tenant.create',
      target: tenantId,
      detail: { slug: body.slug, tier: body.tier, ownerId, ownerEmail: body.owner.email },
    });
    const record = await readTenant(dependencies, tenantId);
    return context.json(
      { ...record, ...(temporaryPassword ? { ownerTemporaryPassword: temporaryPassword } : {}) },
      201,
    );
  });

  for (const action of ['suspend', 'reactivate', 'archive'] as const)
    routes.post(`/:id/${action}`, requirePermission('tenants.write'), async (context) => {
      const tenantId = context.req.param('id') ?? '';
      const { previousStatus } = await changeTenantLifecycle(dependencies, tenantId, action);
      await recordAudit(dependencies, context, {
        action: `tenant.${action}`,
        target: tenantId,
        detail: { from: previousStatus },
      });
      return context.json(await readTenant(dependencies, tenantId));
    });

  routes.post('/:id/owner/reset-password', requirePermission('tenants.write'), async (context) => {
    const tenantId = context.req.param('id');
    const ownerId = await ownerIdOf(dependencies, tenantId);
    const body = await parseJsonBody(context, resetPasswordSchema);
    const result = await resetPasswordOf(dependencies, ownerId, body.password);
    await recordAudit(dependencies, context, {
      action: 'user.password_reset',
      target: ownerId,
      detail: { tenantId },
    });
    return context.json({ id: ownerId, ...result });
  });
  return routes;
}
