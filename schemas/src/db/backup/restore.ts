// `kiunga restore`: verify the manifest first (every file's size and SHA-256), refuse to overwrite data
// unless forced, put the files back (or pg_restore them into the database), then migrate forward.
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { Clock } from '../../clock';
import { PRIVATE_FILE_MODE } from '../../file-modes';
import { PostgresDatabases } from '../postgres-databases';
import { quoteIdentifier } from '../postgres-pool';
import type { Databases } from '../sql-database';
import { SqliteDatabases } from '../sqlite-databases';
import { copyFileVerified, makeOwnerOnlyDirectory, pathExists, syncToDisk } from './backup-files';
import { backupNameAt } from './backup-name';
import { BackupError } from './errors';
import { type BackupManifest, backupFilePath, type ManifestFile, verifyBackup } from './manifest';
import { openMasterKey } from './master-key-envelope';
import { isKnownMigration } from './migration-ids';
import { kiungaSchemas } from './postgres-backup';
import { describePostgres, postgresTool, runTool, withToolConnection } from './postgres-tools';

/** The master key file restore writes into the data dir (where `kiunga start` looks for it). */
const MASTER_KEY_DATA_FILE = 'master.key';

export interface RestoreOptions {
  /** The backup's folder (the one holding manifest.json). */
  from: string;
  /** Embedded backups: the data directory to restore into. */
  dataDir: string;
  /** Scaled backups: KIUNGA_DATABASE_URL, an empty database (or --force). */
  databaseUrl?: string;
  /** Replace what is there: the old data dir is moved aside, or the old schemas dropped. */
  force?: boolean;
  /** Opens the backup's master key; required when the backup holds one, unless `withoutKey`. */
  passphrase?: string;
  /** Restore the databases only, leaving the backup's master key out (KIUNGA_MASTER_KEY supplies it). */
  withoutKey?: boolean;
  clock: Clock;
}

export interface RestoreSummary {
  readonly mode: BackupManifest['mode'];
  readonly createdAt: string;
  readonly tenantIds: readonly string[];
  readonly archivedTenantIds: readonly string[];
  readonly masterKey: 'restored' | 'not_in_backup' | 'left_out';
  /** Where --force moved the data directory that was there (embedded mode). */
  readonly replacedDataDir: string | null;
  /** Schemas --force dropped (scaled mode). */
  readonly droppedSchemas: readonly string[];
}

function assertModeMatches(manifest: BackupManifest, options: RestoreOptions): void {
  if (manifest.mode === 'embedded' && options.databaseUrl) {
    throw new BackupError(
      'mode_mismatch',
      'this is an embedded (SQLite) backup but KIUNGA_DATABASE_URL is set: restore it into a data directory without KIUNGA_DATABASE_URL, then run kiunga migrate-to-postgres',
    );
  }
  if (manifest.mode === 'scaled' && !options.databaseUrl) {
    throw new BackupError(
      'mode_mismatch',
      'this is a scaled (PostgreSQL) backup: set KIUNGA_DATABASE_URL to the database to restore into',
    );
  }
}

function assertMigrationsKnown(manifest: BackupManifest): void {
  const dialect = manifest.mode === 'embedded' ? 'sqlite' : 'postgres';
  for (const file of manifest.files) {
    if (file.kind === 'master_key' || !file.migration) continue;
    const kind = file.kind === 'platform' ? 'platform' : 'tenant';
    if (!isKnownMigration(file.migration, dialect, kind)) {
      throw new BackupError(
        'backup_newer',
        `${file.path} has migration ${file.migration}, which this Kiunga does not know: restore with the Kiunga version that made the backup (or a newer one)`,
      );
    }
  }
}

/** Opens the backup's master key before anything is written, so a wrong passphrase changes nothing. */
async function masterKeyOf(
  manifest: BackupManifest,
  options: RestoreOptions,
): Promise<{ key: string | null; state: RestoreSummary['masterKey'] }> {
  const file = manifest.files.find((entry) => entry.kind === 'master_key');
  if (!file) return { key: null, state: 'not_in_backup' };
  if (options.withoutKey) return { key: null, state: 'left_out' };
  if (options.passphrase === undefined) {
    throw new BackupError(
      'passphrase_required',
      'this backup holds the master key, encrypted: pass --passphrase-file F (or --without-key to restore the databases only and set KIUNGA_MASTER_KEY yourself)',
    );
  }
  const envelope = await readFile(backupFilePath(options.from, file), 'utf8');
  return { key: await openMasterKey(envelope, options.passphrase), state: 'restored' };
}

/** Verifies, then restores; nothing in the target changes unless the whole backup verified. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const manifest = await verifyBackup(options.from);
  assertModeMatches(manifest, options);
  assertMigrationsKnown(manifest);
  const masterKey = await masterKeyOf(manifest, options);
  const tenantIds = manifest.files
    .filter((file) => file.kind === 'tenant')
    .map((file) => file.tenantId ?? '');
  const archivedTenantIds = manifest.files
    .filter((file) => file.kind === 'archived_tenant')
    .map((file) => file.tenantId ?? '');
  const base = {
    mode: manifest.mode,
    createdAt: manifest.createdAt,
    tenantIds,
    archivedTenantIds,
    masterKey: masterKey.state,
  };
  if (manifest.mode === 'embedded') {
    const replacedDataDir = await restoreEmbedded(manifest, options, masterKey.key);
    return { ...base, replacedDataDir, droppedSchemas: [] };
  }
  // Scaled mode keeps the master key where `kiunga start` looks when KIUNGA_MASTER_KEY is unset.
  const keyPath = join(options.dataDir, MASTER_KEY_DATA_FILE);
  if (masterKey.key !== null) await assertKeyPlaceFree(keyPath, masterKey.key, options.force === true);
  const droppedSchemas = await restoreScaled(manifest, options);
  if (masterKey.key !== null) await writeMasterKey(keyPath, masterKey.key, options.clock);
  return { ...base, replacedDataDir: null, droppedSchemas };
}

/** A different master.key already there is refused (it may be the only copy of another key) unless forced. */
async function assertKeyPlaceFree(path: string, key: string, force: boolean): Promise<void> {
  if (!(await pathExists(path))) return;
  const current = (await readFile(path, 'utf8')).trim();
  if (current !== key && !force) {
    throw new BackupError(
      'target_not_empty',
      `${path} holds another master key: move it away first, or pass --force to keep it as ${MASTER_KEY_DATA_FILE}.replaced-<time>`,
    );
  }
}

/** Writes master.key (0600); another key already there is kept beside it, renamed, never overwritten. */
async function writeMasterKey(path: string, key: string, clock: Clock): Promise<void> {
  if (await pathExists(path)) {
    if ((await readFile(path, 'utf8')).trim() === key) return;
    await rename(path, `${path}.replaced-${backupNameAt(clock.now())}`);
  }
  await makeOwnerOnlyDirectory(dirname(path));
  await writeFile(path, `${key}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  await syncToDisk(dirname(path));
}

/** Runs this Kiunga's migrations on what was restored (an older backup catches up), then closes. */
async function migrateForward(databases: Databases): Promise<void> {
  try {
    await databases.migrateAll();
  } finally {
    await databases.close();
  }
}

/** An empty or absent data dir is taken; a non-empty one only with --force, moved aside (never deleted). */
async function prepareDataDirectory(options: RestoreOptions): Promise<string | null> {
  if (!(await pathExists(options.dataDir))) {
    await makeOwnerOnlyDirectory(options.dataDir);
    return null;
  }
  const entries = await readdir(options.dataDir);
  if (entries.length === 0) return null;
  if (!options.force) {
    throw new BackupError(
      'target_not_empty',
      `${options.dataDir} is not empty (${entries.slice(0, 3).join(', ')}…): restore into an empty directory, or pass --force to move it aside`,
    );
  }
  const replaced = `${options.dataDir}.replaced-${backupNameAt(options.clock.now())}`;
  await rename(options.dataDir, replaced);
  await makeOwnerOnlyDirectory(options.dataDir);
  return replaced;
}

function dataFilePath(dataDir: string, file: ManifestFile): string {
  return join(dataDir, ...file.path.split('/'));
}

async function restoreEmbedded(
  manifest: BackupManifest,
  options: RestoreOptions,
  key: string | null,
): Promise<string | null> {
  const existed = await pathExists(options.dataDir);
  const replaced = await prepareDataDirectory(options);
  try {
    await writeEmbeddedFiles(manifest, options, key);
  } catch (error) {
    // What this restore wrote goes; what was there (moved aside by --force) comes back.
    await rm(options.dataDir, { recursive: true, force: true });
    if (replaced !== null) await rename(replaced, options.dataDir);
    else if (existed) await makeOwnerOnlyDirectory(options.dataDir);
    throw error;
  }
  return replaced;
}

async function writeEmbeddedFiles(
  manifest: BackupManifest,
  options: RestoreOptions,
  key: string | null,
): Promise<void> {
  for (const file of manifest.files) {
    if (file.kind === 'master_key') continue;
    const destination = dataFilePath(options.dataDir, file);
    await makeOwnerOnlyDirectory(dirname(destination));
    await copyFileVerified(backupFilePath(options.from, file), destination, file);
  }
  if (key !== null) await writeMasterKey(join(options.dataDir, MASTER_KEY_DATA_FILE), key, options.clock);
  for (const folder of [
    join(options.dataDir, 'tenants', 'archive'),
    join(options.dataDir, 'tenants'),
    options.dataDir,
  ]) {
    if (await pathExists(folder)) await syncToDisk(folder);
  }
  // The platform is migrated when opened, every served tenant's shard by migrateAll.
  await migrateForward(new SqliteDatabases({ dataDir: options.dataDir, openShardsMax: 1 }));
}

async function restoreScaled(manifest: BackupManifest, options: RestoreOptions): Promise<string[]> {
  const url = options.databaseUrl ?? '';
  const target = await describePostgres(url);
  const pgRestore = postgresTool('pg_restore', target.majorVersion);
  const dropped = await emptyTargetDatabase(url, options.force === true);
  try {
    await restoreDumps(manifest, options, pgRestore);
    await migrateForward(await PostgresDatabases.open({ url }));
  } catch (error) {
    // Before this restore the database held no Kiunga schema (or --force had dropped them): leave it so
    // again, ready for another attempt, rather than half restored.
    await withClient(url, async (client) => dropSchemas(client, await kiungaSchemaNames(client))).catch(
      () => {},
    );
    throw error;
  }
  return dropped;
}

async function restoreDumps(
  manifest: BackupManifest,
  options: RestoreOptions,
  pgRestore: string,
): Promise<void> {
  const url = options.databaseUrl ?? '';
  await withToolConnection(url, async ({ dbname, environment }) => {
    // Each schema in one transaction (--single-transaction): a failure leaves no half-restored schema.
    for (const file of manifest.files) {
      if (file.kind === 'master_key') continue;
      await runTool(
        pgRestore,
        [
          '--no-password',
          '--exit-on-error',
          '--single-transaction',
          '--no-owner',
          '--no-privileges',
          `--dbname=${dbname}`,
          backupFilePath(options.from, file),
        ],
        environment,
      );
    }
  });
}

async function withClient<Result>(
  url: string,
  work: (client: pg.Client) => Promise<Result>,
): Promise<Result> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function kiungaSchemaNames(client: pg.ClientBase): Promise<string[]> {
  return (await kiungaSchemas(client)).map((entry) => entry.schema);
}

async function dropSchemas(client: pg.ClientBase, schemas: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  for (const schema of schemas) await client.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
  await client.query('COMMIT');
}

/** Refuses a database holding Kiunga schemas; with --force drops them (and only them) first. */
function emptyTargetDatabase(url: string, force: boolean): Promise<string[]> {
  return withClient(url, async (client) => {
    const schemas = await kiungaSchemaNames(client);
    if (schemas.length === 0) return [];
    if (!force) {
      throw new BackupError(
        'target_not_empty',
        `the database already holds Kiunga schemas (${schemas.slice(0, 3).join(', ')}…): restore into an empty database, or pass --force to drop them`,
      );
    }
    await dropSchemas(client, schemas);
    return schemas;
  });
}
