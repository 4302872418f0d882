// Both dialects' migrations build the same schema: tables, columns, not-null flags, primary keys,
// indexes and change triggers, read back from the live databases after migrating each.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sqlitePlatformTables from '../tables/platform';
import * as postgresPlatformTables from '../tables/postgres/platform';
import * as postgresTenantTables from '../tables/postgres/tenant';
import * as sqliteTenantTables from '../tables/tenant';
import { PostgresDatabases } from './postgres-databases';
import type { SqlDatabase } from './sql-database';
import { SqliteDatabases } from './sqlite-databases';
import { type PostgresServer, startPostgresServer } from './testing/postgres-server';

/** drizzle's own ledger of applied migrations differs by dialect and is not part of Kiunga's schema. */
const MIGRATION_LEDGER = '__drizzle_migrations';

interface TableShape {
  columns: Record<string, { type: 'integer' | 'text' | 'bytes' | 'real'; isNotNull: boolean }>;
  primaryKey: string[];
  /** "name unique? (columns)" for every index other than the primary key's. */
  indexes: string[];
}

type SchemaShape = Record<string, TableShape>;

function typeFamily(declared: string): TableShape['columns'][string]['type'] {
  const type = declared.toLowerCase();
  if (['integer', 'bigint'].includes(type)) return 'integer';
  if (type === 'text') return 'text';
  if (['blob', 'bytea'].includes(type)) return 'bytes';
  if (['real', 'double precision'].includes(type)) return 'real';
  throw new Error(`unexpected column type ${declared}`);
}

function describeIndex(name: string, isUnique: boolean, columns: string[]): string {
  return `${name}${isUnique ? ' unique' : ''} (${columns.join(', ')})`;
}

async function sqliteShape(database: SqlDatabase): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const tables = await database.column<string>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name`,
    [MIGRATION_LEDGER],
  );
  for (const table of tables) {
    const columns = await database.all<{ name: string; type: string; notnull: number; pk: number }>(
      `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`,
      [table],
    );
    const indexList = await database.all<{ name: string; unique: number; origin: string }>(
      `SELECT name, "unique", origin FROM pragma_index_list(?) WHERE origin != 'pk' ORDER BY name`,
      [table],
    );
    const indexes: string[] = [];
    for (const index of indexList) {
      const indexColumns = await database.column<string>(
        'SELECT name FROM pragma_index_info(?) ORDER BY seqno',
        [index.name],
      );
      indexes.push(describeIndex(index.name, index.unique === 1, indexColumns));
    }
    shape[table] = {
      columns: Object.fromEntries(
        columns.map((column) => [
          column.name,
          { type: typeFamily(column.type), isNotNull: column.notnull === 1 || column.pk > 0 },
        ]),
      ),
      primaryKey: columns
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => column.name),
      indexes,
    };
  }
  return shape;
}

async function postgresShape(database: SqlDatabase, schema: string): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const tables = await database.column<string>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name != ? ORDER BY table_name`,
    [schema, MIGRATION_LEDGER],
  );
  for (const table of tables) {
    const columns = await database.all<{ name: string; type: string; nullable: string }>(
      `SELECT column_name AS name, data_type AS type, is_nullable AS nullable
         FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
      [schema, table],
    );
    const primaryKey = await database.column<string>(
      `SELECT usage.column_name FROM information_schema.table_constraints AS tc
         JOIN information_schema.key_column_usage AS usage
           ON usage.constraint_schema = tc.constraint_schema AND usage.constraint_name = tc.constraint_name
        WHERE tc.table_schema = ? AND tc.table_name = ? AND tc.constraint_type = 'PRIMARY KEY'
        ORDER BY usage.ordinal_position`,
      [schema, table],
    );
    const indexRows = await database.all<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = ? AND tablename = ? AND indexname != ? ORDER BY indexname`,
      [schema, table, `${table}_pkey`],
    );
    shape[table] = {
      columns: Object.fromEntries(
        columns.map((column) => [
          column.name,
          { type: typeFamily(column.type), isNotNull: column.nullable === 'NO' },
        ]),
      ),
      primaryKey,
      indexes: indexRows.map((index) => {
        const columnList = /\(([^)]*)\)$/.exec(index.definition)?.[1] ?? '';
        const indexColumns = columnList.split(',').map((column) => column.trim().replaceAll('"', ''));
        return describeIndex(index.name, index.definition.startsWith('CREATE UNIQUE'), indexColumns);
      }),
    };
  }
  return shape;
}

async function sqliteTriggerTables(database: SqlDatabase): Promise<string[]> {
  return database.column(
    `SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY tbl_name`,
  );
}

async function postgresTriggerTables(database: SqlDatabase, schema: string): Promise<string[]> {
  return database.column(
    `SELECT DISTINCT event_object_table FROM information_schema.triggers
      WHERE trigger_schema = ? ORDER BY event_object_table`,
    [schema],
  );
}

function tableExportNames(module: Record<string, unknown>): string[] {
  return Object.keys(module)
    .filter((name) => is(module[name], SQLiteTable))
    .sort();
}

describe('one schema, two dialects', () => {
  let server: PostgresServer;
  let postgres: PostgresDatabases;
  let sqlite: SqliteDatabases;
  let dataDir: string;

  beforeAll(async () => {
    server = await startPostgresServer();
    postgres = await PostgresDatabases.open({ url: server.url });
    await postgres.createTenant('ten_parity');
    dataDir = mkdtempSync(join(tmpdir(), 'kiunga-parity-'));
    sqlite = new SqliteDatabases({ dataDir });
    await sqlite.createTenant('ten_parity');
  });
  afterAll(async () => {
    await postgres?.close();
    await sqlite?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the platform the same tables, columns, keys and indexes', async () => {
    const expected = await sqliteShape(sqlite.platform);
    expect(Object.keys(expected)).toContain('tenants');
    expect(await postgresShape(postgres.platform, 'platform')).toEqual(expected);
  });

  it('gives a tenant the same tables, columns, keys, indexes and change triggers', async () => {
    const expected = await sqliteShape(sqlite.forTenant('ten_parity'));
    expect(Object.keys(expected)).toContain('change_generation');
    const tenant = postgres.forTenant('ten_parity');
    expect(await postgresShape(tenant, 'tenant_ten_parity')).toEqual(expected);
    expect(await postgresTriggerTables(tenant, 'tenant_ten_parity')).toEqual(
      await sqliteTriggerTables(sqlite.forTenant('ten_parity')),
    );
  });

  it('leaves room on the pages of sessions on PostgreSQL, so interim updates stay on their page (HOT)', async () => {
    const options = await postgres.forTenant('ten_parity').column<string[] | null>(
      `SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'tenant_ten_parity' AND c.relname = 'sessions'`,
    );
    expect(options).toEqual([['fillfactor=70']]);
  });

  it('derives a PostgreSQL table for every SQLite table definition', () => {
    expect(Object.keys(postgresPlatformTables).sort()).toEqual(tableExportNames(sqlitePlatformTables));
    expect(Object.keys(postgresTenantTables).sort()).toEqual(tableExportNames(sqliteTenantTables));
  });

  it('keeps generated PostgreSQL migrations free of schema names (tables resolve through search_path)', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations-postgres');
    for (const folder of ['platform', 'tenant']) {
      for (const file of readdirSync(join(root, folder)).filter((name) => name.endsWith('.sql'))) {
        expect(readFileSync(join(root, folder, file), 'utf8'), `${folder}/${file}`).not.toMatch(/"public"\./);
      }
    }
  });
});
