// Platform operator's tenants (/api/v1/platform/tenants): list with key figures, detail, create
// with an owner account, suspend, reactivate, archive, and reset of the owner's password.
// Suspension keeps RADIUS service for the ISP's clients and read access for its users; writes
// get 403 tenant_suspended. Archive moves the tenant's data out of service (databases.archiveTenant).
import { KiungaError, newId, pageResponseSchema } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  emailSchema,
  generateTemporaryPassword,
  hashPassword,
  newPasswordSchema,
} from '../../identity/passwords';
import { revokeAllSessionsOf } from '../../identity/refresh-tokens';
import { ensureBuiltInRoles } from '../../identity/roles/service';
import { resetPasswordOf, resetPasswordSchema } from '../../identity/users/api';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { equals, whereAll } from '../../kernel/listing';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import type { TenantBillingRow } from '../../platform-billing/accounts';

/** The free trial of a new ISP (design card: 24 hours). */
export const TRIAL_DURATION_MS = 24 * 3_600_000;
/** Counting live sessions asks the AAA server for at most this many; more shows as this number. */
export const OPEN_SESSIONS_COUNT_MAX = 10_000;

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

export interface NewTenantInput {
  name: string;
  slug: string;
  tier: 'tier1' | 'tier2';
  featureChoice?: 'hotspot' | 'pppoe' | undefined;
  isTrial: boolean;
  contactPhone?: string | undefined;
  owner: {
    email: string;
    password: string;
    displayName?: string | undefined;
    /** True when the password was generated for the owner: they pick their own at first sign-in. */
    mustChangePassword?: boolean | undefined;
  };
}

/** Creates tenant, owner and built-in roles in one transaction, then the tenant's database. */
export async function createTenantWithOwner(
  dependencies: ApiDependencies,
  input: NewTenantInput,
): Promise<{ tenantId: string; ownerId: string }> {
  const platform = dependencies.databases.platform;
  const passwordHash = await hashPassword(input.owner.password);
  const nowMs = dependencies.clock.now();
  const tenantId = newId('tenant');
  const ownerId = newId('user');
  await platform.transaction(async (transaction) => {
    if (await transaction.get('SELECT 1 AS found FROM tenants WHERE slug = ?', [input.slug]))
      throw new KiungaError('conflict', 'This ISP name (slug) is taken; choose another.');
    if (await transaction.get('SELECT 1 AS found FROM users WHERE email = ?', [input.owner.email]))
      throw new KiungaError('conflict', 'An account with this email already exists.');
    await transaction.run(
      `INSERT INTO tenants (id, slug, name, status, tier, feature_choice, trial_ends_at, contact_phone, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        tenantId,
        input.slug,
        input.name,
        input.isTrial ? 'trial' : 'active',
        input.tier,
        input.tier === 'tier1' ? (input.featureChoice ?? null) : null,
        input.isTrial ? nowMs + TRIAL_DURATION_MS : null,
        input.contactPhone ?? null,
        nowMs,
        nowMs,
      ],
    );
    await transaction.run(
      `INSERT INTO users (id, email, password_hash, display_name, kind, tenant_id, status,
                          must_change_password, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'isp_owner', ?, 'active', ?, ?, ?)`,
      [
        ownerId,
        input.owner.email,
        passwordHash,
        input.owner.displayName ?? `${input.name} owner`,
        tenantId,
        input.owner.mustChangePassword ? 1 : 0,
        nowMs,
        nowMs,
      ],
    );
    await ensureBuiltInRoles(transaction, tenantId, nowMs);
  });
  await dependencies.databases.createTenant(tenantId);
  return { tenantId, ownerId };
}

interface TenantRow extends TenantBillingRow {
  updatedAt: number;
  ownerId: string | null;
  ownerEmail: string | null;
}

const TENANT_SELECT = `SELECT t.id, t.slug, t.name, t.status, t.tier, t.feature_choice AS "featureChoice",
    t.trial_ends_at AS "trialEndsAt", t.contact_phone AS "contactPhone", t.created_at AS "createdAt",
    t.updated_at AS "updatedAt",
    (SELECT id FROM users WHERE tenant_id = t.id AND kind = 'isp_owner' ORDER BY created_at, id LIMIT 1) AS "ownerId",
    (SELECT email FROM users WHERE tenant_id = t.id AND kind = 'isp_owner' ORDER BY created_at, id LIMIT 1) AS "ownerEmail"
  FROM tenants t`;

/** Key figures: counts from the platform's and the tenant's databases, and the AAA server's live table. */
async function figuresOf(dependencies: ApiDependencies, row: TenantRow) {
  const nasCount = await dependencies.databases.platform.get<{ nas: number }>(
    'SELECT count(*) AS nas FROM nas_devices WHERE tenant_id = ?',
    [row.id],
  );
  const nas = nasCount?.nas ?? 0;
  if (row.status === 'archived' || !(await dependencies.databases.hasTenant(row.id)))
    return { nas, plans: 0, vouchers: 0, subscribers: 0, openSessions: 0 };
  const counts = await dependencies.databases
    .forTenant(row.id)
    .get<{ plans: number; vouchers: number; subscribers: number }>(
      `SELECT (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM vouchers) AS vouchers,
              (SELECT count(*) FROM subscribers) AS subscribers`,
    );
  const openSessions = dependencies.aaa.listSessions(row.id, { limit: OPEN_SESSIONS_COUNT_MAX }).length;
  return {
    nas,
    plans: counts?.plans ?? 0,
    vouchers: counts?.vouchers ?? 0,
    subscribers: counts?.subscribers ?? 0,
    openSessions,
  };
}

async function tenantRecord(dependencies: ApiDependencies, row: TenantRow) {
  const { ownerId, ownerEmail, ...tenant } = row;
  return {
    ...tenant,
    owner: ownerId ? { id: ownerId, email: ownerEmail } : null,
    figures: await figuresOf(dependencies, row),
  };
}

async function findTenant(dependencies: ApiDependencies, tenantId: string): Promise<TenantRow> {
  const row = await dependencies.databases.platform.get<TenantRow>(`${TENANT_SELECT} WHERE t.id = ?`, [
    tenantId,
  ]);
  if (!row) throw new KiungaError('tenant_not_found');
  return row;
}

async function setStatus(dependencies: ApiDependencies, tenantId: string, status: string): Promise<void> {
  await dependencies.databases.platform.run('UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?', [
    status,
    dependencies.clock.now(),
    tenantId,
  ]);
  await dependencies.aaa.reloadNasRegistry();
}

function lifecycleRoute(
  dependencies: ApiDependencies,
  action: 'suspend' | 'reactivate' | 'archive',
  apply: (row: TenantRow) => Promise<void>,
) {
  return async (context: Context<AppEnv>) => {
    const row = await findTenant(dependencies, context.req.param('id') ?? '');
    if (row.status === 'archived') throw new KiungaError('conflict', 'This ISP is archived.');
    await apply(row);
    await recordAudit(dependencies, context, {
      action: `tenant.${action}`,
      target: row.id,
      detail: { from: row.status },
    });
    return context.json(await tenantRecord(dependencies, await findTenant(dependencies, row.id)));
  };
}

export function tenantRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;

  routes.get('/', requirePermission('tenants.read'), async (context) => {
    const query = parseQuery(context, listTenantsQuerySchema);
    const where = whereAll([
      equals('t.status', query.status),
      { sql: 't.id > ?', params: [decodeCursor(query.cursor) ?? ''] },
    ]);
    const rows = await platform.all<TenantRow>(`${TENANT_SELECT}${where.sql} ORDER BY t.id LIMIT ?`, [
      ...where.params,
      query.limit + 1,
    ]);
    const page = pageOf(rows, query.limit, (row) => row.id);
    const items = [];
    for (const row of page.items) items.push(await tenantRecord(dependencies, row));
    return context.json({ items, nextCursor: page.nextCursor });
  });

  routes.get('/:id', requirePermission('tenants.read'), async (context) =>
    context.json(await tenantRecord(dependencies, await findTenant(dependencies, context.req.param('id')))),
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
    const record = await tenantRecord(dependencies, await findTenant(dependencies, tenantId));
    return context.json(
      { ...record, ...(temporaryPassword ? { ownerTemporaryPassword: temporaryPassword } : {}) },
      201,
    );
  });

  routes.post(
    '/:id/suspend',
    requirePermission('tenants.write'),
    lifecycleRoute(dependencies, 'suspend', (row) => setStatus(dependencies, row.id, 'suspended')),
  );

  routes.post(
    '/:id/reactivate',
    requirePermission('tenants.write'),
    lifecycleRoute(dependencies, 'reactivate', async (row) => {
      if (row.status !== 'suspended')
        throw new KiungaError('conflict', 'Only a suspended ISP can be reactivated.');
      const isInTrial = row.trialEndsAt !== null && row.trialEndsAt > dependencies.clock.now();
      await setStatus(dependencies, row.id, isInTrial ? 'trial' : 'active');
    }),
  );

  routes.post(
    '/:id/archive',
    requirePermission('tenants.write'),
    lifecycleRoute(dependencies, 'archive', async (row) => {
      await setStatus(dependencies, row.id, 'archived');
      const userIds = await platform.column<string>('SELECT id FROM users WHERE tenant_id = ?', [row.id]);
      for (const userId of userIds) await revokeAllSessionsOf(dependencies, userId);
      await platform.run('UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL', [
        dependencies.clock.now(),
        row.id,
      ]);
      await dependencies.databases.archiveTenant(row.id);
    }),
  );

  routes.post('/:id/owner/reset-password', requirePermission('tenants.write'), async (context) => {
    const row = await findTenant(dependencies, context.req.param('id'));
    if (!row.ownerId) throw new KiungaError('not_found', 'This ISP has no owner account.');
    const body = await parseJsonBody(context, resetPasswordSchema);
    const result = await resetPasswordOf(dependencies, row.ownerId, body.password);
    await recordAudit(dependencies, context, {
      action: 'user.password_reset',
      target: row.ownerId,
      detail: { tenantId: row.id },
    });
    return context.json({ id: row.ownerId, ...result });
  });
  return routes;
}
