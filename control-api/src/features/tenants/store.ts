// The platform database's tenants (ISPs) and the counts shown beside them: portable SQL, no rules.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { equals, whereAll } from '../../kernel/listing';
import type { TenantBillingRow } from '../../platform-billing/accounts';

export interface TenantRow extends TenantBillingRow {
  updatedAt: number;
  ownerId: string | null;
  ownerEmail: string | null;
}

export interface NewTenantRow {
  id: string;
  slug: string;
  name: string;
  status: 'trial' | 'active';
  tier: 'tier1' | 'tier2';
  featureChoice: string | null;
  trialEndsAt: number | null;
  contactPhone: string | null;
  createdAt: number;
}

const TENANT_SELECT = `SELECT t.id, t.slug, t.name, t.status, t.tier, t.feature_choice AS "featureChoice",
    t.trial_ends_at AS "trialEndsAt", t.contact_phone AS "contactPhone", t.created_at AS "createdAt",
    t.updated_at AS "updatedAt",
    (SELECT id FROM users WHERE tenant_id = t.id AND kind = 'isp_owner' ORDER BY created_at, id LIMIT 1) AS "ownerId",
    (SELECT email FROM users WHERE tenant_id = t.id AND kind = 'isp_owner' ORDER BY created_at, id LIMIT 1) AS "ownerEmail"
  FROM tenants t`;

export async function isSlugTaken(database: SqlDatabase, slug: string): Promise<boolean> {
  return (await database.get('SELECT 1 AS found FROM tenants WHERE slug = ?', [slug])) !== undefined;
}

export async function insertTenant(database: SqlDatabase, tenant: NewTenantRow): Promise<void> {
  await database.run(
    `INSERT INTO tenants (id, slug, name, status, tier, feature_choice, trial_ends_at, contact_phone, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      tenant.id,
      tenant.slug,
      tenant.name,
      tenant.status,
      tenant.tier,
      tenant.featureChoice,
      tenant.trialEndsAt,
      tenant.contactPhone,
      tenant.createdAt,
      tenant.createdAt,
    ],
  );
}

export async function findTenantRow(database: SqlDatabase, tenantId: string): Promise<TenantRow | undefined> {
  return database.get<TenantRow>(`${TENANT_SELECT} WHERE t.id = ?`, [tenantId]);
}

/** One page (limit + 1 rows, for the cursor) of tenants by id. */
export async function listTenantRows(
  database: SqlDatabase,
  filter: { status?: string | undefined; afterId: string; limit: number },
): Promise<TenantRow[]> {
  const where = whereAll([equals('t.status', filter.status), { sql: 't.id > ?', params: [filter.afterId] }]);
  return database.all<TenantRow>(`${TENANT_SELECT}${where.sql} ORDER BY t.id LIMIT ?`, [
    ...where.params,
    filter.limit + 1,
  ]);
}

export async function setTenantStatus(
  database: SqlDatabase,
  tenantId: string,
  status: string,
  nowMs: number,
): Promise<void> {
  await database.run('UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?', [status, nowMs, tenantId]);
}

export async function countNasOfTenant(database: SqlDatabase, tenantId: string): Promise<number> {
  const row = await database.get<{ nas: number }>(
    'SELECT count(*) AS nas FROM nas_devices WHERE tenant_id = ?',
    [tenantId],
  );
  return row?.nas ?? 0;
}

/** Counts in the tenant's own database. */
export async function countCatalogue(
  tenantDatabase: SqlDatabase,
): Promise<{ plans: number; vouchers: number; subscribers: number }> {
  const counts = await tenantDatabase.get<{ plans: number; vouchers: number; subscribers: number }>(
    `SELECT (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM vouchers) AS vouchers,
            (SELECT count(*) FROM subscribers) AS subscribers`,
  );
  return {
    plans: counts?.plans ?? 0,
    vouchers: counts?.vouchers ?? 0,
    subscribers: counts?.subscribers ?? 0,
  };
}

export async function revokeApiKeysOfTenant(database: SqlDatabase, tenantId: string, nowMs: number) {
  await database.run('UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND revoked_at IS NULL', [
    nowMs,
    tenantId,
  ]);
}

/** What a just-registered owner is shown of their new tenant. */
export interface RegisteredTenant {
  id: string;
  slug: string;
  name: string;
  status: string;
  tier: string;
  featureChoice: string | null;
  trialEndsAt: number | null;
}

export async function registeredTenantOf(database: SqlDatabase, tenantId: string): Promise<RegisteredTenant> {
  const tenant = await database.get<RegisteredTenant>(
    `SELECT id, slug, name, status, tier, feature_choice AS "featureChoice", trial_ends_at AS "trialEndsAt"
       FROM tenants WHERE id = ?`,
    [tenantId],
  );
  if (!tenant) throw new KiungaError('tenant_not_found');
  return tenant;
}
