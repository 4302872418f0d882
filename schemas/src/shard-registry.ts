// The one way to reach a tenant's shard: opens lazily, caches prepared statements, caps open handles.
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openTenantDatabase, type TenantOrm, tenantDatabasePath } from './database';
import { SqliteDatabase } from './db/sqlite-database';
import { ThreadWriteGate } from './db/thread-write-gate';
import { makePrivateDirectory } from './file-modes';

/**
 * Open shard handles kept at once. Each costs a file descriptor pair (db + WAL) and page
 * cache; 256 covers a platform of hundreds of active ISPs without nearing ulimit 1024.
 */
export const OPEN_SHARDS_MAX = 256;

export interface TenantShard {
  readonly tenantId: string;
  readonly sqlite: Database.Database;
  readonly orm: TenantOrm;
  /** Prepared statements cached per shard handle (they die with it). */
  statement(sql: string): Database.Statement;
  /** The same connection behind the async SqlDatabase interface (SqliteDatabases hands it out). */
  readonly database: SqliteDatabase;
}

export interface ShardRegistryOptions {
  dataDir: string;
  openShardsMax?: number;
}

export class ShardRegistry {
  /** Where the shard files live (tenants/<id>.db): the metering worker opens them itself. */
  readonly dataDir: string;
  private readonly openShardsMax: number;
  /** Map iteration order is insertion order: re-inserting on use makes it an LRU. */
  private readonly openShards = new Map<string, TenantShard>();
  /** The last key of openShards, so a repeated ask skips the move. */
  private mostRecentTenantId: string | null = null;

  constructor(options: ShardRegistryOptions) {
    this.dataDir = options.dataDir;
    this.openShardsMax = options.openShardsMax ?? OPEN_SHARDS_MAX;
  }

  /** The shard of a tenant known to exist (the caller took the id from a principal or a NAS). */
  forTenant(tenantId: string): TenantShard {
    const cached = this.openShards.get(tenantId);
    if (cached) {
      // Moved to the end (most recent) unless it is there already: the AAA server asks once per packet,
      // mostly for the tenant it asked for last.
      if (this.mostRecentTenantId !== tenantId) {
        this.openShards.delete(tenantId);
        this.openShards.set(tenantId, cached);
        this.mostRecentTenantId = tenantId;
      }
      return cached;
    }
    const shard = this.open(tenantId);
    this.openShards.set(tenantId, shard);
    this.mostRecentTenantId = tenantId;
    this.evictBeyondCap(tenantId);
    return shard;
  }

  /**
   * The shard of a tenant whose file exists; unlike forTenant it never creates one, so a tenant
   * that was never created (or was archived) is refused rather than served empty.
   */
  forExistingTenant(tenantId: string): TenantShard {
    if (!this.openShards.has(tenantId) && !this.hasShardFile(tenantId)) {
      const isArchived = existsSync(this.archivedShardPath(tenantId));
      throw new Error(`tenant ${tenantId} ${isArchived ? 'is archived' : 'has no database'}`);
    }
    return this.forTenant(tenantId);
  }

  /** The open shard of a tenant, without opening it or touching the LRU order. */
  openShard(tenantId: string): TenantShard | undefined {
    return this.openShards.get(tenantId);
  }

  openTenantIds(): string[] {
    return [...this.openShards.keys()];
  }

  hasShardFile(tenantId: string): boolean {
    return existsSync(tenantDatabasePath(this.dataDir, tenantId));
  }

  get openCount(): number {
    return this.openShards.size;
  }

  close(tenantId: string): void {
    const shard = this.openShards.get(tenantId);
    if (shard) {
      this.openShards.delete(tenantId);
      if (this.mostRecentTenantId === tenantId) this.mostRecentTenantId = null;
      shard.database.markClosed();
      shard.sqlite.close();
    }
  }

  /** Where an archived tenant's shard lives: <data dir>/tenants/archive/<tenant id>.db. */
  archivedShardPath(tenantId: string): string {
    const livePath = tenantDatabasePath(this.dataDir, tenantId);
    return join(dirname(livePath), 'archive', `${tenantId}.db`);
  }

  /**
   * Archives a tenant: closes its handle, then moves the shard (and any WAL/SHM beside it) to
   * tenants/archive/. Afterwards forTenant refuses it rather than creating an empty shard.
   */
  archive(tenantId: string): string | null {
    this.close(tenantId);
    const livePath = tenantDatabasePath(this.dataDir, tenantId);
    if (!existsSync(livePath)) return null;
    const archivePath = this.archivedShardPath(tenantId);
    makePrivateDirectory(dirname(archivePath));
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(livePath + suffix)) renameSync(livePath + suffix, archivePath + suffix);
    }
    renameSync(livePath, archivePath);
    return archivePath;
  }

  closeAll(): void {
    for (const tenantId of [...this.openShards.keys()]) {
      this.close(tenantId);
    }
  }

  private open(tenantId: string): TenantShard {
    // A stat per open (not per use): an archived tenant must not come back as an empty shard.
    if (!this.hasShardFile(tenantId) && existsSync(this.archivedShardPath(tenantId))) {
      throw new Error(`tenant ${tenantId} is archived`);
    }
    const path = tenantDatabasePath(this.dataDir, tenantId);
    const { sqlite, orm } = openTenantDatabase(path);
    const statements = new Map<string, Database.Statement>();
    return {
      tenantId,
      sqlite,
      orm,
      // The metering worker writes the same file from another thread (thread-write-gate.ts).
      database: new SqliteDatabase(sqlite, new ThreadWriteGate(path)),
      statement(sql) {
        let prepared = statements.get(sql);
        if (!prepared) {
          prepared = sqlite.prepare(sql);
          statements.set(sql, prepared);
        }
        return prepared;
      },
    };
  }

  /**
   * Closes the least recently used shards beyond the cap, skipping any whose SqliteDatabase has a
   * transaction open or calls waiting (closing would break them); while all are busy the cap is
   * exceeded, and the next open evicts again.
   */
  private evictBeyondCap(openedTenantId: string): void {
    let excess = this.openShards.size - this.openShardsMax;
    for (const [tenantId, shard] of this.openShards) {
      if (excess <= 0) return;
      if (shard.database.isBusy || tenantId === openedTenantId) continue;
      this.close(tenantId);
      excess--;
    }
  }
}
