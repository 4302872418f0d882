// `kiunga migrate`: create or upgrade the platform DB and every tenant shard.
import { openPlatformDatabase, ShardRegistry } from '@kiunga/schemas';

export interface MigrationSummary {
  tenantsMigrated: number;
}

export function migrateAll(dataDir: string): MigrationSummary {
  const platform = openPlatformDatabase(dataDir);
  try {
    const tenantIds = platform.sqlite.prepare('SELECT id FROM tenants').pluck().all() as string[];
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
