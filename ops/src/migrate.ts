// `kiunga migrate`: create or upgrade the platform database and every served tenant's (SQLite files,
// or PostgreSQL schemas with KIUNGA_DATABASE_URL).
import { type DatabasesConfig, openDatabases, servedTenantIds } from '@kiunga/schemas';

export interface MigrationSummary {
  tenantsMigrated: number;
}

export async function migrateAll(config: DatabasesConfig): Promise<MigrationSummary> {
  const databases = await openDatabases(config);
  try {
    await databases.migrateAll();
    return { tenantsMigrated: (await servedTenantIds(databases.platform)).length };
  } finally {
    await databases.close();
  }
}
