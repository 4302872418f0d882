// Databases in embedded mode: data/platform.db and a shard file per tenant, opened through the
// ShardRegistry (LRU cap, archive, migrations on open) and served as async SqlDatabases.
import { openPlatformDatabase, type PlatformDatabase, servedTenantIds } from '../database';
import { ShardRegistry } from '../shard-registry';
import type { ChangeWatch, Databases, SqlDatabase, SqlTransactionOptions, SqlValue } from './sql-database';
import { SqliteChangeWatch } from './sqlite-change-watch';
import { SqliteDatabase } from './sqlite-database';
import { StatementMethods, type StatementMode } from './statement-methods';

export interface SqliteDatabasesOptions {
  dataDir: string;
  openShardsMax?: number;
  /**
   * Handles already opened by code not yet converted to SqlDatabase, so both share one connection
   * per file. While such code writes synchronously on a connection, no async transaction may be
   * open on it (its statements would join that transaction).
   */
  platform?: PlatformDatabase;
  shards?: ShardRegistry;
}

/**
 * A tenant's database as handed out: each call finds the shard again, so a handle kept across an
 * eviction reopens the file instead of using a closed connection.
 */
class TenantShardDatabase extends StatementMethods implements SqlDatabase {
  readonly dialect = 'sqlite';

  constructor(
    private readonly shards: ShardRegistry,
    private readonly tenantId: string,
  ) {
    super();
  }

  private get database(): SqliteDatabase {
    return this.shards.forExistingTenant(this.tenantId).database;
  }

  execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    return this.database.execute(mode, sql, params);
  }

  transaction<Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    options?: SqlTransactionOptions,
  ): Promise<Result> {
    return this.database.transaction(work, options);
  }
}

export class SqliteDatabases implements Databases {
  readonly dialect = 'sqlite';
  readonly platform: SqliteDatabase;
  readonly shards: ShardRegistry;
  /** The platform file's handle, for code not yet on SqlDatabase (the AAA server) to share its connection. */
  readonly platformHandle: PlatformDatabase;

  /** Opens (creating and migrating) platform.db; tenant shards open on first use. */
  constructor(options: SqliteDatabasesOptions) {
    this.platformHandle = options.platform ?? openPlatformDatabase(options.dataDir);
    this.platform = new SqliteDatabase(this.platformHandle.sqlite);
    this.shards =
      options.shards ?? new ShardRegistry({ dataDir: options.dataDir, openShardsMax: options.openShardsMax });
  }

  forTenant(tenantId: string): SqlDatabase {
    this.shards.forExistingTenant(tenantId);
    return new TenantShardDatabase(this.shards, tenantId);
  }

  async hasTenant(tenantId: string): Promise<boolean> {
    return this.shards.openShard(tenantId) !== undefined || this.shards.hasShardFile(tenantId);
  }

  /** Opening a shard creates and migrates it; an archived tenant is refused. */
  async createTenant(tenantId: string): Promise<void> {
    this.shards.forTenant(tenantId);
  }

  async archiveTenant(tenantId: string): Promise<void> {
    const shard = this.shards.openShard(tenantId);
    if (shard) await shard.database.runExclusive(() => this.shards.archive(tenantId));
    else this.shards.archive(tenantId);
  }

  /** The shard's wal-index header (sqlite-change-watch.ts): one pread per check. */
  watchChanges(tenantId: string): ChangeWatch {
    return new SqliteChangeWatch(this.shards, tenantId);
  }

  /** platform.db was migrated when opened; each served tenant's shard is migrated by opening it. */
  async migrateAll(): Promise<void> {
    for (const tenantId of await servedTenantIds(this.platform)) {
      this.shards.forTenant(tenantId);
    }
  }

  async close(): Promise<void> {
    for (const tenantId of this.shards.openTenantIds()) {
      const shard = this.shards.openShard(tenantId);
      if (shard) await shard.database.runExclusive(() => this.shards.close(tenantId));
    }
    await this.platform.runExclusive(() => {
      this.platform.markClosed();
      this.platformHandle.close();
    });
  }
}
