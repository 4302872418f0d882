// Test harness: the Databases of the backend a test run asks for, so that store tests run unchanged on
// both: SQLite files in a temporary directory by default, PostgreSQL when KIUNGA_TEST_DATABASE=postgres
// (one throwaway server per test file, started on first use; a new database per call).
// Not part of @kiunga/schemas' main export: tests import it from '@kiunga/schemas/testing'.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PostgresDatabases } from '../postgres-databases';
import type { Databases, SqlDatabase } from '../sql-database';
import { SqliteDatabases } from '../sqlite-databases';
import { type PostgresServer, startPostgresServer } from './postgres-server';

/** The environment variable that picks the backend of a test run: `sqlite` (default) or `postgres`. */
export const TEST_DATABASE_VARIABLE = 'KIUNGA_TEST_DATABASE';

export type TestBackend = 'sqlite' | 'postgres';

export function testBackend(): TestBackend {
  const value = process.env[TEST_DATABASE_VARIABLE] ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') {
    throw new Error(`${TEST_DATABASE_VARIABLE} must be sqlite or postgres, not ${value}`);
  }
  return value;
}

let server: Promise<PostgresServer> | null = null;
let databasesMade = 0;

/**
 * A KIUNGA_DATABASE_URL for a new, empty database on this test file's PostgreSQL server (started on
 * first use, stopped by stopTestDatabaseServer or when the test process ends).
 */
export async function createTestDatabaseUrl(): Promise<string> {
  server ??= startPostgresServer();
  const running = await server;
  databasesMade += 1;
  return running.createDatabase(`kiunga_test_${databasesMade}`);
}

/** Stops this file's PostgreSQL server if one was started (for afterAll; process exit does it too). */
export async function stopTestDatabaseServer(): Promise<void> {
  const running = server;
  server = null;
  if (running) await (await running).stop();
}

export interface TestDatabases {
  readonly backend: TestBackend;
  readonly databases: Databases;
  /** The data directory (SQLite files, master key); a temporary one unless the caller gave one. */
  readonly dataDir: string;
  /** KIUNGA_DATABASE_URL on PostgreSQL; undefined on SQLite. */
  readonly databaseUrl: string | undefined;
  /** Creates (and migrates) a tenant's database, as tenant creation does, and gives it. */
  createTenantDatabase(tenantId: string): Promise<SqlDatabase>;
  /** The same databases on connections of their own, as another process would have; the caller closes them. */
  openOtherConnections(): Promise<Databases>;
  /** Closes the databases and removes the data directory if this harness made it. */
  close(): Promise<void>;
}

/** Fresh databases of this run's backend (the platform migrated; tenants made with createTenant). */
export async function openTestDatabases(options: { dataDir?: string } = {}): Promise<TestDatabases> {
  const backend = testBackend();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiunga-test-databases-'));
  const databaseUrl = backend === 'postgres' ? await createTestDatabaseUrl() : undefined;
  const databases: Databases = databaseUrl
    ? await PostgresDatabases.open({ url: databaseUrl })
    : new SqliteDatabases({ dataDir });
  return {
    backend,
    databases,
    dataDir,
    databaseUrl,
    createTenantDatabase: async (tenantId) => {
      await databases.createTenant(tenantId);
      return databases.forTenant(tenantId);
    },
    openOtherConnections: async () =>
      databaseUrl ? PostgresDatabases.open({ url: databaseUrl }) : new SqliteDatabases({ dataDir }),
    close: async () => {
      await databases.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: fresh databases of this run's backend opened before its tests and closed after
 * them (with the file's PostgreSQL server); call the returned function inside a test or hook.
 */
export function useTestDatabases(): () => TestDatabases {
  let opened: TestDatabases | undefined;
  beforeAll(async () => {
    opened = await openTestDatabases();
  });
  afterAll(async () => {
    await opened?.close();
    await stopTestDatabaseServer();
  });
  return () => {
    if (!opened) throw new Error('useTestDatabases: the databases open in beforeAll');
    return opened;
  };
}
