// The one way a route reaches an ISP's data: the shard of the authenticated principal's tenant.
import { KiungaError, type PlatformDatabase, type TenantShard } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies, AppEnv } from './dependencies';

export function tenantShardOf(context: Context<AppEnv>, dependencies: ApiDependencies): TenantShard {
  const tenantId = context.get('principal').tenantId;
  if (tenantId === null)
    throw new KiungaError('forbidden', 'This is an ISP resource; sign in with an ISP account.');
  return dependencies.shards.forTenant(tenantId);
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
export function publicTenantBySlug(platform: PlatformDatabase, slug: string): PublicTenant {
  const tenant = platform.sqlite
    .prepare(`SELECT id, slug, name FROM tenants WHERE slug = ? AND status != 'archived'`)
    .get(slug) as PublicTenant | undefined;
  if (!tenant) throw new KiungaError('tenant_not_found', 'No such provider.');
  return tenant;
}
