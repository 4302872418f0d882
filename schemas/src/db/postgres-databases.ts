// Databases in scaled mode: one PostgreSQL database (KIUNGA_DATABASE_URL), the platform's tables in
// schema `platform`, each tenant's in schema `tenant_<id>` (archived: renamed `archived_tenant_<id>`).
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';
import { assertValidTenantId, MIGRATIONS_PARENT } from '../database';
import { PostgresChangeListener } from './postgres-change-listener';
import { PostgresDatabase } from './postgres-database';
import { PostgresPool, quoteIdentifier } from './postgres-pool';
import type { ChangeWatch, Databases } from './sql-database';

const migrationsRoot = join(MIGRATIONS_PARENT, 'migrations-postgres');

export const PLATFORM_SCHEMA = 'platform';
export const TENANT_SCHEMA_PREFIX = 'tenant_';
export const ARCHIVED_SCHEMA_PREFIX = 'archived_tenant_';
/**
 * PostgreSQL truncates identifiers beyond 63 bytes (NAMEDATALEN − 1, manual 4.1.1): the archived
 * schema name, the longest, must fit whole or two tenants could share a truncated name.
 */
const SCHEMA_NAME_BYTES_MAX = 63;

export function tenantSchemaName(tenantId: string): string {
  assertValidTenantId(tenantId);
  if (Buffer.byteLength(ARCHIVED_SCHEMA_PREFIX + tenantId) > SCHEMA_NAME_BYTES_MAX) {
    throw new Error(`tenant id ${tenantId} is too long for a PostgreSQL schema name`);
  }
  return TENANT_SCHEMA_PREFIX + tenantId;
}

export function archivedTenantSchemaName(tenantId: string): string {
  return ARCHIVED_SCHEMA_PREFIX + tenantSchemaName(tenantId).slice(TENANT_SCHEMA_PREFIX.length);
}

/**
 * Applies the dialect's migrations to one schema on a connection whose search_path is that schema
 * (the generated SQL names tables unqualified). drizzle keeps its ledger of applied migrations in
 * the schema itself, so a schema carries its own history when it is renamed or moved.
 */
async function migrateSchema(
  client: pg.PoolClient,
  schema: string,
  kind: 'platform' | 'tenant',
): Promise<void> {
  await migrate(drizzle(client), {
    migrationsFolder: join(migrationsRoot, kind),
    migrationsSchema: schema,
    migrationsTable: '__drizzle_migrations',
  });
}

export interface PostgresDatabasesOptions {
  /** postgres://user:password@host:port/database (KIUNGA_DATABASE_URL). */
  url: string;
  connectionsMax?: number;
  /**
   * Whether `watchChanges` may vouch from LISTEN kiunga_changes (default true). False: every check reads
   * the change generation, as before the listener (kept for measuring what the listener saves).
   */
  listensForChanges?: boolean;
}

/** A watch that never vouches for anything: the reader asks the database every time. */
const ALWAYS_CHANGED: ChangeWatch = {
  isUnchangedSinceAccepted: () => false,
  markOfLastCheck: () => null,
  accept: () => {},
  close: () => {},
};

export class PostgresDatabases implements Databases {
  readonly dialect = 'postgres';
  readonly platform: PostgresDatabase;
  /** Tenants this process archived: refused at once rather than at their first statement. */
  private readonly archivedTenantIds = new Set<string>();
  /** Started by the first `watchChanges` (the AAA server's cache): the control API alone never listens. */
  private changeListener: PostgresChangeListener | undefined;

  private constructor(
    readonly pool: PostgresPool,
    private readonly options: PostgresDatabasesOptions,
  ) {
    this.platform = new PostgresDatabase(pool, PLATFORM_SCHEMA);
  }

  /** Connects, creates the platform schema if needed and migrates it. */
  static async open(options: PostgresDatabasesOptions): Promise<PostgresDatabases> {
    const databases = new PostgresDatabases(new PostgresPool(options.url, options), options);
    try {
      await databases.createAndMigrate(PLATFORM_SCHEMA, 'platform');
    } catch (error) {
      await databases.close();
      throw error;
    }
    return databases;
  }

  /** A tenant's schema is checked to exist when a connection first switches to it. */
  forTenant(tenantId: string): PostgresDatabase {
    if (this.archivedTenantIds.has(tenantId)) throw new Error(`tenant ${tenantId} is archived`);
    return new PostgresDatabase(this.pool, tenantSchemaName(tenantId));
  }

  async hasTenant(tenantId: string): Promise<boolean> {
    if (this.archivedTenantIds.has(tenantId)) return false;
    return this.schemaExists(tenantSchemaName(tenantId));
  }

  async createTenant(tenantId: string): Promise<void> {
    const schema = tenantSchemaName(tenantId);
    if (await this.schemaExists(archivedTenantSchemaName(tenantId))) {
      throw new Error(`tenant ${tenantId} is archived`);
    }
    await this.createAndMigrate(schema, 'tenant');
  }

  /** Waits for the tenant's transaction in this process, then renames its schema out of service. */
  async archiveTenant(tenantId: string): Promise<void> {
    const schema = tenantSchemaName(tenantId);
    const locks = this.pool.transactionLocks;
    const lock = await locks.acquire(schema);
    try {
      if (await this.schemaExists(schema)) {
        const archived = archivedTenantSchemaName(tenantId);
        await this.pool.pool.query(
          `ALTER SCHEMA ${quoteIdentifier(schema)} RENAME TO ${quoteIdentifier(archived)}`,
        );
      }
      this.archivedTenantIds.add(tenantId);
    } finally {
      locks.release(schema, lock);
    }
  }

  /** The platform schema, then every served tenant's (created if it is missing, as SQLite's shards are). */
  async migrateAll(): Promise<void> {
    await this.createAndMigrate(PLATFORM_SCHEMA, 'platform');
    const tenantIds = await this.platform.column<string>(
      `SELECT id FROM tenants WHERE status != 'archived' ORDER BY id`,
    );
    for (const tenantId of tenantIds) {
      await this.createTenant(tenantId);
    }
  }

  /**
   * Told by the change notifications (`NOTIFY kiunga_changes`, postgres-change-listener.ts): while the
   * process's LISTEN connection is confirmed live, a tenant with no notification since its last read
   * costs no statement; otherwise every check reads the change generation.
   */
  watchChanges(tenantId: string): ChangeWatch {
    if (this.options.listensForChanges === false) return ALWAYS_CHANGED;
    this.changeListener ??= new PostgresChangeListener(this.options.url);
    return this.changeListener.watch(tenantSchemaName(tenantId));
  }

  /** Whether change notifications are being received (false: each check reads; /healthz may show it). */
  isListeningForChanges(): boolean {
    return this.changeListener?.isLive ?? false;
  }

  async close(): Promise<void> {
    await this.changeListener?.close();
    await this.pool.end();
  }

  private async schemaExists(schema: string): Promise<boolean> {
    const result = await this.pool.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return result.rowCount === 1;
  }

  private async createAndMigrate(schema: string, kind: 'platform' | 'tenant'): Promise<void> {
    await this.pool.withSchemaLock(schema, (client) => migrateSchema(client, schema, kind));
  }
}
