// `kiunga backup` in scaled mode: pg_dump of each Kiunga schema (platform, tenant_<id>,
// archived_tenant_<id>) in custom format, one file each, all from one exported snapshot so that the
// files agree with each other as of one instant (PostgreSQL 15 manual: pg_dump --snapshot, §9.27.5
// pg_export_snapshot), then the same manifest as embedded mode.
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '../../clock';
import { ARCHIVED_SCHEMA_PREFIX, PLATFORM_SCHEMA, TENANT_SCHEMA_PREFIX } from '../postgres-databases';
import { quoteIdentifier } from '../postgres-pool';
import {
  type BackupResult,
  finishBackup,
  type MasterKeyToInclude,
  removeUnfinished,
  startBackupDirectory,
  writeMasterKeyFile,
} from './backup-directory';
import { digestFile, makeOwnerOnlyDirectory, syncToDisk } from './backup-files';
import type { ManifestFile } from './manifest';
import { appliedMigrationTag } from './migration-ids';
import { describePostgres, postgresTool, runTool, withToolConnection } from './postgres-tools';

export interface PostgresBackupOptions {
  /** KIUNGA_DATABASE_URL. */
  databaseUrl: string;
  root: string;
  clock: Clock;
  masterKey?: MasterKeyToInclude;
}

interface KiungaSchema {
  schema: string;
  kind: ManifestFile['kind'];
  tenantId?: string;
  relativePath: string;
}

/** Kiunga's schemas in the database, by name: the platform, served tenants and archived tenants. */
export async function kiungaSchemas(client: pg.ClientBase): Promise<KiungaSchema[]> {
  const result = await client.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname = $1 OR starts_with(nspname, $2) OR starts_with(nspname, $3) ORDER BY nspname`,
    [PLATFORM_SCHEMA, TENANT_SCHEMA_PREFIX, ARCHIVED_SCHEMA_PREFIX],
  );
  return result.rows.map(({ name }) => {
    if (name === PLATFORM_SCHEMA) return { schema: name, kind: 'platform', relativePath: 'platform.dump' };
    if (name.startsWith(ARCHIVED_SCHEMA_PREFIX)) {
      const tenantId = name.slice(ARCHIVED_SCHEMA_PREFIX.length);
      return {
        schema: name,
        kind: 'archived_tenant',
        tenantId,
        relativePath: `tenants/archive/${tenantId}.dump`,
      };
    }
    const tenantId = name.slice(TENANT_SCHEMA_PREFIX.length);
    return { schema: name, kind: 'tenant', tenantId, relativePath: `tenants/${tenantId}.dump` };
  });
}

async function newestMigrationAt(client: pg.ClientBase, schema: string): Promise<number | null> {
  const table = `${quoteIdentifier(schema)}."__drizzle_migrations"`;
  const exists = await client.query(`SELECT to_regclass($1) AS found`, [table]);
  if (!exists.rows[0]?.found) return null;
  const result = await client.query<{ at: string | null }>(
    `SELECT MAX(created_at)::text AS at FROM ${table}`,
  );
  const at = result.rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}

/** Backs up a scaled installation; on any failure the unfinished folder is removed. */
export async function backupPostgres(options: PostgresBackupOptions): Promise<BackupResult> {
  const target = await describePostgres(options.databaseUrl);
  const pgDump = postgresTool('pg_dump', target.majorVersion);
  const pgDumpVersion = (await runTool(pgDump, ['--version'], process.env)).trim();
  const { directory, name, createdAtMs } = await startBackupDirectory(options.root, options.clock);
  // The snapshot lives as long as this transaction: every pg_dump below imports it.
  const holder = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await holder.connect();
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const snapshot =
      (await holder.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id ?? '';
    const schemas = await kiungaSchemas(holder);
    if (!schemas.some((entry) => entry.kind === 'platform')) {
      throw new Error(`${PLATFORM_SCHEMA} schema not found: is KIUNGA_DATABASE_URL a Kiunga database?`);
    }
    await makeOwnerOnlyDirectory(join(directory, 'tenants', 'archive'));
    const files: ManifestFile[] = [];
    await withToolConnection(options.databaseUrl, async ({ dbname, environment }) => {
      for (const entry of schemas) {
        const path = join(directory, ...entry.relativePath.split('/'));
        await runTool(
          pgDump,
          // The pattern in double quotes matches the name exactly, upper case included (pg_dump "Patterns").
          [
            '--format=custom',
            `--schema="${entry.schema}"`,
            `--snapshot=${snapshot}`,
            '--no-password',
            `--file=${path}`,
            `--dbname=${dbname}`,
          ],
          environment,
        );
        const kind = entry.kind === 'platform' ? 'platform' : 'tenant';
        const migration = appliedMigrationTag(
          await newestMigrationAt(holder, entry.schema),
          'postgres',
          kind,
        );
        await syncToDisk(path);
        files.push({
          path: entry.relativePath,
          kind: entry.kind,
          tenantId: entry.tenantId,
          ...(await digestFile(path)),
          migration,
        });
      }
    });
    await holder.query('COMMIT');
    if (options.masterKey) files.push(await writeMasterKeyFile(directory, options.masterKey));
    const engine = { postgresServer: target.serverVersion, pgDump: pgDumpVersion };
    const manifest = await finishBackup(directory, { mode: 'scaled', createdAtMs, engine, files });
    return { directory, name, manifest, missingTenantIds: [], restarts: 0 };
  } catch (error) {
    await removeUnfinished(directory);
    throw error;
  } finally {
    await holder.end().catch(() => {});
  }
}
