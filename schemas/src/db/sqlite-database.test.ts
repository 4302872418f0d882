// The SqlDatabase contract on SQLite files (platform.db + tenants/<id>.db in a scratch data dir), and
// what only the embedded mode has: pragmas, the shard cap, lazily created files.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('SQLite specifics', () => {
  function scratchDataDir(): string {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-sqlite-specifics-'));
    dataDirs.push(dataDir);
    return dataDir;
  }

  it('opens files with WAL, synchronous FULL, foreign keys and a busy timeout', async () => {
    const databases = new SqliteDatabases({ dataDir: scratchDataDir() });
    await databases.createTenant('ten_pragmas');
    for (const database of [databases.platform, databases.forTenant('ten_pragmas')]) {
      expect(await database.column('PRAGMA journal_mode')).toEqual(['wal']);
      expect(await database.column('PRAGMA synchronous')).toEqual([2]);
      expect(await database.column('PRAGMA foreign_keys')).toEqual([1]);
      expect(await database.column('PRAGMA busy_timeout')).toEqual([5000]);
    }
    await databases.close();
  });

  it('never evicts a shard in a transaction; a kept handle reopens a shard evicted later', async () => {
    const databases = new SqliteDatabases({ dataDir: scratchDataDir(), openShardsMax: 1 });
    await databases.createTenant('ten_busy');
    await databases.createTenant('ten_other');
    const busy = databases.forTenant('ten_busy');
    await busy.run('CREATE TABLE marks (value INTEGER NOT NULL)');
    await busy.transaction(async (transaction) => {
      await transaction.run('INSERT INTO marks (value) VALUES (1)');
      await databases.forTenant('ten_other').get('SELECT 1 AS one');
      await transaction.run('INSERT INTO marks (value) VALUES (2)');
    });
    expect(databases.shards.openTenantIds().sort()).toEqual(['ten_busy', 'ten_other']);
    await databases.createTenant('ten_third');
    expect(databases.shards.openTenantIds()).toEqual(['ten_third']);
    expect(await busy.column('SELECT value FROM marks ORDER BY value')).toEqual([1, 2]);
    await databases.close();
  });

  it('refuses a tenant that was never created instead of creating an empty shard', () => {
    const databases = new SqliteDatabases({ dataDir: scratchDataDir() });
    expect(() => databases.forTenant('ten_unknown')).toThrow(/has no database/);
    expect(databases.shards.hasShardFile('ten_unknown')).toBe(false);
  });
});
