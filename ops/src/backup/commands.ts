// The `kiunga backup`, `restore` and `migrate-to-postgres` commands: options, the configured mode,
// and what the operator reads. The work itself is in @kiunga/schemas (backup/) and migrate-to-postgres.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BackupError,
  type BackupResult,
  backupEmbedded,
  backupPostgres,
  createSecretBox,
  listBackups,
  MANIFEST_FILE,
  type MasterKeyToInclude,
  passphraseFromFileContent,
  type RestoreSummary,
  restoreBackup,
  systemClock,
} from '@kiunga/schemas';
import Database from 'better-sqlite3';
import { type KiungaConfig, readConfig, resolveMasterKey } from '../config';
import { migrateToPostgres } from './migrate-to-postgres';

/** A command line the backup commands cannot use (the CLI prints it with a pointer to --help). */
export class BackupUsageError extends Error {}

const BYTES_PER_MEBIBYTE = 1024 * 1024;

type Print = (line: string) => void;

async function readPassphrase(path: string): Promise<string> {
  try {
    return passphraseFromFileContent(await readFile(path, 'utf8'));
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupUsageError(`cannot read the passphrase file ${path}: ${(error as Error).message}`);
  }
}

function describeBackup(result: BackupResult, elapsedMs: number): string {
  const files = result.manifest.files;
  const bytes = files.reduce((total, file) => total + file.size, 0);
  const count = (kind: string) => files.filter((file) => file.kind === kind).length;
  const key = count('master_key') > 0 ? ', master key (encrypted)' : '';
  return `backed up the ${result.manifest.mode} installation to ${result.directory}: platform, ${count('tenant')} tenant(s), ${count('archived_tenant')} archived${key}; ${(bytes / BYTES_PER_MEBIBYTE).toFixed(1)} MiB in ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** `kiunga backup --to DIR [--data-dir D] [--include-key --passphrase-file F]`. */
export async function runBackupCommand(rest: string[], print: Print): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      to: { type: 'string' },
      'data-dir': { type: 'string' },
      'include-key': { type: 'boolean', default: false },
      'passphrase-file': { type: 'string' },
    },
    strict: true,
  });
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  const root = values.to ?? config.backupDir;
  if (!root) throw new BackupUsageError('backup needs --to DIR (or KIUNGA_BACKUP_DIR)');
  if (values['include-key'] !== (values['passphrase-file'] !== undefined)) {
    throw new BackupUsageError(
      '--include-key and --passphrase-file go together (the key is only stored encrypted)',
    );
  }
  let masterKey: MasterKeyToInclude | undefined;
  if (values['include-key'] && values['passphrase-file']) {
    const passphrase = await readPassphrase(values['passphrase-file']);
    masterKey = { key: resolveMasterKey(config, { createIfMissing: false }), passphrase };
  }
  const startedAt = performance.now();
  const options = { root, clock: systemClock, masterKey };
  const result = config.databaseUrl
    ? await backupPostgres({ ...options, databaseUrl: config.databaseUrl })
    : await backupEmbedded({ ...options, dataDir: config.dataDir });
  print(describeBackup(result, performance.now() - startedAt));
  for (const tenantId of result.missingTenantIds) {
    print(`warning: tenant ${tenantId} is in the platform database but has no shard file; nothing to copy`);
  }
  return 0;
}

/** DIR itself when it holds a manifest; otherwise the newest finished backup under it (a backup root). */
async function backupToRestore(from: string, print: Print): Promise<string> {
  const finished = (await listBackups(from)).filter((backup) => backup.hasManifest);
  const isBackupFolder = await readFile(join(from, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  const newest = finished.at(-1);
  if (isBackupFolder || !newest) return from;
  print(`${from} is a backup folder root: restoring its newest finished backup, ${newest.name}`);
  return newest.directory;
}

/** Whether the master key the restored platform will use opens its sealed NAS secrets. */
function checkMasterKey(config: KiungaConfig): string {
  let key: string;
  try {
    key = resolveMasterKey(config, { createIfMissing: false });
  } catch {
    return 'no master key in the data dir and KIUNGA_MASTER_KEY unset: set it (or put master.key back) before kiunga start';
  }
  const platform = new Database(join(config.dataDir, 'platform.db'), { readonly: true, fileMustExist: true });
  try {
    const sealed = platform.prepare('SELECT secret_sealed FROM nas_devices LIMIT 1').pluck().get() as
      | string
      | undefined;
    if (sealed === undefined) return 'master key present (no NAS secret to check it against)';
    createSecretBox(key).open(sealed);
    return 'the master key opens the NAS secrets';
  } catch {
    return 'WARNING: the master key does not open the NAS secrets: it is not the key this backup was made with';
  } finally {
    platform.close();
  }
}

function describeRestore(summary: RestoreSummary, target: string): string[] {
  const list = (ids: readonly string[]) => (ids.length > 0 ? ` (${ids.join(', ')})` : '');
  const lines = [
    `restored the ${summary.mode} backup of ${summary.createdAt} into ${target}: platform, ${summary.tenantIds.length} tenant(s)${list(summary.tenantIds)}, ${summary.archivedTenantIds.length} archived${list(summary.archivedTenantIds)}; migrated forward`,
    `master key: ${{ restored: 'restored from the backup', not_in_backup: 'not in the backup', left_out: 'left out (--without-key)' }[summary.masterKey]}`,
  ];
  if (summary.replacedDataDir)
    lines.push(`the data directory that was there is now ${summary.replacedDataDir}`);
  if (summary.droppedSchemas.length > 0)
    lines.push(`dropped the schemas that were there: ${summary.droppedSchemas.join(', ')}`);
  return lines;
}

/** `kiunga restore --from DIR [--data-dir D] [--force] [--passphrase-file F | --without-key]`. */
export async function runRestoreCommand(rest: string[], print: Print): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      from: { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      'passphrase-file': { type: 'string' },
      'without-key': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.from) throw new BackupUsageError('restore needs --from DIR (a backup folder)');
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  const from = await backupToRestore(values.from, print);
  const passphrase = values['passphrase-file'] ? await readPassphrase(values['passphrase-file']) : undefined;
  const summary = await restoreBackup({
    from,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl ?? undefined,
    force: values.force,
    passphrase,
    withoutKey: values['without-key'],
    clock: systemClock,
  });
  print(`verified ${from}: every file's size and SHA-256 match its manifest`);
  for (const line of describeRestore(summary, config.databaseUrl ? 'KIUNGA_DATABASE_URL' : config.dataDir))
    print(line);
  if (summary.mode === 'embedded') print(checkMasterKey(config));
  return 0;
}

/** `kiunga migrate-to-postgres [--data-dir D] [--force] [--verify-only]`. */
export async function runMigrateToPostgresCommand(rest: string[], print: Print): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      'data-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      'verify-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const config = readConfig(process.env, { dataDir: values['data-dir'] });
  if (!config.databaseUrl)
    throw new BackupUsageError('migrate-to-postgres copies into KIUNGA_DATABASE_URL: set it');
  const report = await migrateToPostgres({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    force: values.force,
    verifyOnly: values['verify-only'],
    clock: systemClock,
    report: print,
  });
  const { tables, rows, ledgerAccounts } = report.verified;
  print(
    `verified against the snapshot of ${report.snapshotAt}: ${tables} tables, ${rows} rows and ${ledgerAccounts} ledger accounts match`,
  );
  if (!values['verify-only'])
    print('PostgreSQL holds the installation: start Kiunga with KIUNGA_DATABASE_URL set');
  return 0;
}
