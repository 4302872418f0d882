// `kiunga migrate`: create or upgrade the platform DB and every tenant shard.
import { openPlatformDatabase, ShardRegistry, servedTenantIds } from '@kiunga/schemas';

export interface MigrationSummary {
  tenantsMigrated: number;
}

export function migrateAll(dataDir: string): MigrationSummary {
  const platform = openPlatformDatabase(dataDir);
  try {
    // An archived ISP's shard sits in tenants/archive/ and the registry refuses to open it.
    const tenantIds = servedTenantIds(platform);
    // Opening a shard applies its migrations; one at a time keeps file handles low.
    const shards = new ShardRegistry({ dataDir, openShardsMax: 1 });
    for (const tenantId of tenantIds) {
      shards.forTenant(tenantId);
    }
    shards.closeAll();
    return { tenantsMigrated: tenantIds.length };
  } finally {
    platform.close();
  }
}
