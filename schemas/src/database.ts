// Opening the SQLite files: pragmas, migrations applied on open, drizzle handles.
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SqlDatabase } from './db/sql-database';
import { makePrivateDirectory, PRIVATE_FILE_MODE } from './file-modes';
import * as platformSchema from './tables/platform';
import * as tenantSchema from './tables/tenant';

// The parent of this module's folder holds the migrations: schemas/src → schemas/migrations and
// schemas/migrations-postgres in the source tree, bin/ → migrations/ and migrations-postgres/ in a
// compiled build (ops/src/cli/build.ts lays it out so). Every module of a build shares one
// import.meta.url, so only a module directly in schemas/src may compute this.
export const MIGRATIONS_PARENT = join(dirname(fileURLToPath(import.meta.url)), '..');
const migrationsRoot = join(MIGRATIONS_PARENT, 'migrations');

/** Wait this long for a lock held by the other process before failing a write. */
const BUSY_TIMEOUT_MS = 5_000;

export type PlatformOrm = BetterSQLite3Database<typeof platformSchema>;
export type TenantOrm = BetterSQLite3Database<typeof tenantSchema>;

export interface PlatformDatabase {
  readonly sqlite: Database.Database;
  readonly orm: PlatformOrm;
  close(): void;
}

function openSqlite(path: string): Database.Database {
  const isNew = !existsSync(path);
  makePrivateDirectory(dirname(path));
  const sqlite = new Database(path);
  // Owner-only whatever the umask, and before WAL mode: SQLite gives a new -wal/-shm the database's mode.
  if (isNew) chmodSync(path, PRIVATE_FILE_MODE);
  return configureConnection(sqlite);
}

function configureConnection(sqlite: Database.Database): Database.Database {
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer (accounting responses promise durability).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return sqlite;
}

export function platformDatabasePath(dataDir: string): string {
  return join(dataDir, 'platform.db');
}

/** A tenant id names a file and a PostgreSQL schema: letters, digits, '_' and '-' only. */
export function assertValidTenantId(tenantId: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(tenantId)) {
    throw new Error(`invalid tenant id: ${tenantId}`);
  }
}

export function tenantDatabasePath(dataDir: string, tenantId: string): string {
  assertValidTenantId(tenantId);
  return join(dataDir, 'tenants', `${tenantId}.db`);
}

export function openPlatformDatabase(dataDir: string): PlatformDatabase {
  const sqlite = openSqlite(platformDatabasePath(dataDir));
  const orm = drizzle(sqlite, { schema: platformSchema });
  migrate(orm, { migrationsFolder: join(migrationsRoot, 'platform') });
  return { sqlite, orm, close: () => sqlite.close() };
}

/**
 * The server's tenant shard connections checkpoint on their own only past 10,000 WAL pages (~40 MB)
 * instead of SQLite's 1,000: the metering thread checkpoints the shards every half second
 * (control-api features/usage/metering-thread.ts), off the AAA server's event loop, where an
 * automatic checkpoint runs inside the accounting commit that crosses the threshold. This is the
 * bound when no metering thread runs (a process without jobs).
 */
export const TENANT_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Opens (creating and migrating) one tenant's shard file. Only the shard registry calls this. */
export function openTenantDatabase(path: string): { sqlite: Database.Database; orm: TenantOrm } {
  const sqlite = openSqlite(path);
  sqlite.pragma(`wal_autocheckpoint = ${TENANT_WAL_AUTOCHECKPOINT_PAGES}`);
  const orm = drizzle(sqlite, { schema: tenantSchema });
  migrate(orm, { migrationsFolder: join(migrationsRoot, 'tenant') });
  return { sqlite, orm };
}

/**
 * A second connection to a tenant's existing shard file, as the server's own (WAL, synchronous FULL,
 * busy timeout), never creating or migrating it: for the usage metering worker thread.
 */
export function openExistingTenantConnection(dataDir: string, tenantId: string): Database.Database {
  return configureConnection(new Database(tenantDatabasePath(dataDir, tenantId), { fileMustExist: true }));
}

const SERVED_TENANTS_SQL = `SELECT id FROM tenants WHERE status != 'archived' ORDER BY id`;

/** Tenants the platform still serves (RADIUS, jobs, portals): every one but the archived. */
export function servedTenantIds(platform: SqlDatabase): Promise<string[]> {
  return platform.column<string>(SERVED_TENANTS_SQL);
}
