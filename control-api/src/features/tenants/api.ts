// Platform operator's tenants (/api/v1/platform/tenants): list with key figures, detail, create
// with an owner account, suspend, reactivate, archive, and reset of the owner's password.
// Suspension keeps RADIUS service for the ISP's clients and read access for its users; writes
// get 403 tenant_suspended. Archive moves the tenant's data out of service (databases.archiveTenant).
import { pageResponseSchema } from '@kiunga/schemas';
import { z } from 'zod';
import { emailSchema, newPasswordSchema } from '../../identity/passwords';
import { resetPasswordSchema } from '../../identity/users/api';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import {
  changeTenantLifecycle,
  createTenantAsOperator,
  listTenants,
  ownerIdOf,
  readTenant,
  resetOwnerPassword,
  TENANT_STATUSES,
  type TenantLifecycleAction,
} from './service';

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
    /** Start in a 24-hour trial (as a confirmed self-registration does) instead of active. */
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
  status: z.enum(TENANT_STATUSES).optional(),
});

const tenantOutputSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.enum(TENANT_STATUSES),
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

const tenants = routeGroup({ basePath: '/api/v1/platform/tenants', tag: 'platform' });
const tenantParams = z.object({ id: z.string() });

tenants.declare({
  method: 'get',
  path: '/',
  summary: 'List ISPs with status and key figures',
  permission: 'tenants.read',
  query: listTenantsQuerySchema,
  response: pageResponseSchema(tenantOutputSchema),
  handler: async ({ query, dependencies, respond }) => respond(await listTenants(dependencies, query)),
});

tenants.declare({
  method: 'post',
  path: '/',
  summary:
    "Create an ISP with its owner account; without a password, the owner's temporary one is returned once",
  permission: 'tenants.write',
  body: createTenantSchema,
  response: tenantOutputSchema.extend({ ownerTemporaryPassword: z.string().optional() }),
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await createTenantAsOperator(dependencies, context, body)),
});

tenants.declare({
  method: 'get',
  path: '/:id',
  summary: 'One ISP with its key figures',
  permission: 'tenants.read',
  params: tenantParams,
  response: tenantOutputSchema,
  handler: async ({ params, dependencies, respond }) => respond(await readTenant(dependencies, params.id)),
});

const LIFECYCLE_SUMMARIES: Record<TenantLifecycleAction, string> = {
  suspend: 'Suspend an ISP: RADIUS goes on, its users may read but not write',
  reactivate: 'Reactivate a suspended ISP',
  archive: 'Archive an ISP: accounts and keys stop working, its data is moved away',
};

for (const action of ['suspend', 'reactivate', 'archive'] as const)
  tenants.declare({
    method: 'post',
    path: `/:id/${action}`,
    summary: LIFECYCLE_SUMMARIES[action],
    permission: 'tenants.write',
    params: tenantParams,
    response: tenantOutputSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(await changeTenantLifecycle(dependencies, context, params.id, action)),
  });

tenants.declare({
  method: 'post',
  path: '/:id/owner/reset-password',
  summary: "Reset the ISP owner's password (chosen, or a temporary one returned once)",
  permission: 'tenants.write',
  params: tenantParams,
  // An unknown ISP (or one without an owner) answers 404 before the body is validated.
  checkTarget: ({ params, dependencies }) => ownerIdOf(dependencies, params.id),
  body: resetPasswordSchema,
  response: z.object({ id: z.string(), temporaryPassword: z.string().optional() }),
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(await resetOwnerPassword(dependencies, context, params.id, body.password)),
});

export const tenantRoutes = (dependencies: ApiDependencies) => tenants.mount(dependencies);
