// The SqlDatabase contract on SQLite files (platform.db + tenants/<id>.db in a scratch data dir).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeSqlDatabaseContract } from './sql-database.contract';
import { SqliteDatabases } from './sqlite-databases';

const dataDirs: string[] = [];
afterAll(() => {
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

describeSqlDatabaseContract('SQLite', {
  open: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-sqlite-contract-'));
    dataDirs.push(dataDir);
    return new SqliteDatabases({ dataDir });
  },
  isArchivedDataKept: async (databases, tenantId) =>
    existsSync((databases as SqliteDatabases).shards.archivedShardPath(tenantId)),
  primaryKeyConstraint: null,
});
