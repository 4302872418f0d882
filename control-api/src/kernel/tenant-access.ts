// The one way a route reaches an ISP's data: the database of the authenticated principal's tenant.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies, AppEnv } from './dependencies';

export function tenantDatabaseOf(context: Context<AppEnv>, dependencies: ApiDependencies): SqlDatabase {
  return dependencies.databases.forTenant(tenantIdOf(context));
}

export function tenantIdOf(context: Context<AppEnv>): string {
  const tenantId = context.get('principal').tenantId;
  if (tenantId === null)
    throw new KiungaError('forbidden', 'This is an ISP resource; sign in with an ISP account.');
  return tenantId;
}

export interface PublicTenant {
  id: string;
  slug: string;
  name: string;
}

/** The tenant of a public page (captive portal, self-service) by its slug; archived ones are gone. */
export async function publicTenantBySlug(platform: SqlDatabase, slug: string): Promise<PublicTenant> {
  const tenant = await platform.get<PublicTenant>(
    `SELECT id, slug, name FROM tenants WHERE slug = ? AND status != 'archived'`,
    [slug],
  );
  if (!tenant) throw new KiungaError('tenant_not_found', 'No such provider.');
  return tenant;
}

/** Whether a tenant is served (exists and is not archived): callbacks for any other are not found. */
export async function isTenantServed(platform: SqlDatabase, tenantId: string): Promise<boolean> {
  const row = await platform.get(`SELECT 1 AS found FROM tenants WHERE id = ? AND status != 'archived'`, [
    tenantId,
  ]);
  return row !== undefined;
}
