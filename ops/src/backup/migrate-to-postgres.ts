// `kiunga migrate-to-postgres`: moves an embedded installation into KIUNGA_DATABASE_URL. It copies
// from a snapshot (an online backup taken first, migrated forward), so the installation itself is
// never written and the copy and its verification read the same data; every schema is filled in one
// transaction; success is reported only after every table and ledger was compared from committed data.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  archivedTenantSchemaName,
  BackupError,
  type BackupManifest,
  backupEmbedded,
  backupNameAt,
  type Clock,
  describeProblems,
  openPlatformDatabase,
  openTenantDatabase,
  PostgresDatabase,
  PostgresDatabases,
  type SqlDatabase,
  tenantSchemaName,
} from '@kiunga/schemas';
import Database from 'better-sqlite3';
import { type CopiedTables, copyDatabase, holdsData } from './copy-tables';
import type { DatabaseKind } from './table-copy-plan';
import { type CopyVerification, verifyCopy } from './verify-copy';

export interface MigrateToPostgresOptions {
  dataDir: string;
  /** KIUNGA_DATABASE_URL. */
  databaseUrl: string;
  /** Replace what the target schemas hold (each in the same transaction as its copy). */
  force: boolean;
  /** Copy nothing: only compare what PostgreSQL holds with a fresh snapshot of the data dir. */
  verifyOnly?: boolean;
  clock: Clock;
  /** Progress lines for the operator (one per schema). */
  report?: (line: string) => void;
}

/** One database of the source and where it goes. */
interface SourceDatabase {
  kind: DatabaseKind;
  label: string;
  tenantId: string | null;
  isArchived: boolean;
  path: string;
}

export interface MigrationReport {
  readonly snapshotAt: string;
  readonly databases: { label: string; schema: string; tables: CopiedTables }[];
  readonly verified: { tables: number; rows: number; ledgerAccounts: number };
}

function sourceDatabases(snapshot: string, manifest: BackupManifest): SourceDatabase[] {
  return manifest.files
    .filter((file) => file.kind !== 'master_key')
    .map((file) => ({
      kind: file.kind === 'platform' ? 'platform' : 'tenant',
      label:
        file.kind === 'platform'
          ? 'platform'
          : `${file.kind === 'archived_tenant' ? 'archived ' : ''}tenant ${file.tenantId}`,
      tenantId: file.tenantId ?? null,
      isArchived: file.kind === 'archived_tenant',
      path: join(snapshot, ...file.path.split('/')),
    }));
}

/** Applies this Kiunga's migrations to the snapshot copies (archived shards too), so columns match the target. */
function migrateSnapshot(snapshot: string, databases: readonly SourceDatabase[]): void {
  openPlatformDatabase(snapshot).close();
  for (const database of databases) {
    if (database.kind === 'tenant') openTenantDatabase(database.path).sqlite.close();
  }
}

function schemaOf(database: SourceDatabase): string {
  if (database.tenantId === null) return 'platform';
  return database.isArchived
    ? archivedTenantSchemaName(database.tenantId)
    : tenantSchemaName(database.tenantId);
}

/** The target database of a source database; an archived tenant is filled under its served name first. */
async function prepareTarget(target: PostgresDatabases, database: SourceDatabase): Promise<SqlDatabase> {
  if (database.tenantId === null) return target.platform;
  if (database.isArchived) {
    // A forced re-run finds the archived schema from last time: serve it again to refill and re-archive it.
    const archived = archivedTenantSchemaName(database.tenantId);
    const found = await target.pool.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [archived]);
    if (found.rowCount === 1)
      await target.pool.pool.query(
        `ALTER SCHEMA "${archived}" RENAME TO "${tenantSchemaName(database.tenantId)}"`,
      );
  }
  await target.createTenant(database.tenantId);
  return new PostgresDatabase(target.pool, tenantSchemaName(database.tenantId));
}

async function refuseTargetWithData(
  target: PostgresDatabases,
  databases: readonly SourceDatabase[],
): Promise<void> {
  for (const database of databases) {
    const schema = schemaOf(database);
    const found = await target.pool.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (found.rowCount !== 1) continue;
    const table = await holdsData(new PostgresDatabase(target.pool, schema), database.kind);
    if (table) {
      throw new BackupError(
        'target_not_empty',
        `the target already holds data (${schema}.${table}): use an empty database, or pass --force to replace what Kiunga's schemas hold`,
      );
    }
  }
}

async function verifyAll(
  target: PostgresDatabases,
  databases: readonly SourceDatabase[],
): Promise<CopyVerification> {
  const problems: CopyVerification['problems'][number][] = [];
  const totals = { tables: 0, rows: 0, ledgerAccounts: 0 };
  for (const database of databases) {
    const source = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      const result = await verifyCopy(
        source,
        new PostgresDatabase(target.pool, schemaOf(database)),
        database.kind,
        database.label,
      );
      problems.push(...result.problems);
      totals.tables += result.tables;
      totals.rows += result.rows;
      totals.ledgerAccounts += result.ledgerAccounts;
    } finally {
      source.close();
    }
  }
  return { problems, ...totals };
}

async function copyAll(
  target: PostgresDatabases,
  databases: readonly SourceDatabase[],
  force: boolean,
  report: (line: string) => void,
): Promise<MigrationReport['databases']> {
  if (!force) await refuseTargetWithData(target, databases);
  const copied: MigrationReport['databases'] = [];
  for (const database of databases) {
    const destination = await prepareTarget(target, database);
    const source = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      const tables = await copyDatabase(source, destination, database.kind, { replace: force });
      copied.push({ label: database.label, schema: schemaOf(database), tables });
      report(`copied ${database.label}: ${tables.reduce((sum, table) => sum + table.rows, 0)} rows`);
    } finally {
      source.close();
    }
    if (database.isArchived && database.tenantId !== null) await target.archiveTenant(database.tenantId);
  }
  return copied;
}

/** Copies and verifies; throws `copy_mismatch` naming every table or account that differs. */
export async function migrateToPostgres(options: MigrateToPostgresOptions): Promise<MigrationReport> {
  const report = options.report ?? (() => {});
  // Inside the data dir: the service account can always write there, and it is the same disk.
  const snapshotRoot = join(options.dataDir, `.to-postgres-${backupNameAt(options.clock.now())}`);
  try {
    const snapshot = await backupEmbedded({
      dataDir: options.dataDir,
      root: snapshotRoot,
      clock: options.clock,
    });
    report(`snapshot of ${options.dataDir} taken (${snapshot.manifest.files.length} databases)`);
    const databases = sourceDatabases(snapshot.directory, snapshot.manifest);
    migrateSnapshot(snapshot.directory, databases);
    const target = await PostgresDatabases.open({ url: options.databaseUrl });
    try {
      const copied = options.verifyOnly ? [] : await copyAll(target, databases, options.force, report);
      const verification = await verifyAll(target, databases);
      if (verification.problems.length > 0) {
        throw new BackupError(
          'copy_mismatch',
          `the copy in PostgreSQL does not match the SQLite installation, do not switch to it: ${describeProblems(verification.problems)}`,
          verification.problems,
        );
      }
      const { tables, rows, ledgerAccounts } = verification;
      return {
        snapshotAt: snapshot.manifest.createdAt,
        databases: copied,
        verified: { tables, rows, ledgerAccounts },
      };
    } finally {
      await target.close();
    }
  } finally {
    await rm(snapshotRoot, { recursive: true, force: true });
  }
}
