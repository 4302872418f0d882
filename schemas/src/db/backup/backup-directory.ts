// The backup root (KIUNGA_BACKUP_DIR or --to): one folder per backup named by its start instant, the
// master key file when asked for, and the listing retention and restore read.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../clock';
import { PRIVATE_DIRECTORY_MODE } from '../../file-modes';
import {
  digestFile,
  makeOwnerOnlyDirectory,
  pathExists,
  syncToDisk,
  writeFileAtomically,
} from './backup-files';
import { backupNameAt, backupStartedAt } from './backup-name';
import { BackupError } from './errors';
import {
  type BackupManifest,
  type BackupMode,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_VERSION,
  type ManifestFile,
  writeManifest,
} from './manifest';
import { sealMasterKey } from './master-key-envelope';
import { migrationJournal } from './migration-ids';

/** The master key file inside a backup (only with --include-key), encrypted with the passphrase. */
export const MASTER_KEY_BACKUP_FILE = 'master-key.json';

export interface MasterKeyToInclude {
  key: string;
  passphrase: string;
}

export interface BackupResult {
  /** The backup's folder, <root>/<name>. */
  readonly directory: string;
  readonly name: string;
  readonly manifest: BackupManifest;
  /** Tenants the platform knows whose database was not found (nothing to copy). */
  readonly missingTenantIds: readonly string[];
  /** How often writers made SQLite start a copy over (embedded mode). */
  readonly restarts: number;
}

/** Creates <root>/<now>/ owner-only; refuses a name already taken (two backups in one millisecond). */
export async function startBackupDirectory(
  root: string,
  clock: Clock,
): Promise<{ directory: string; name: string; createdAtMs: number }> {
  await makeOwnerOnlyDirectory(root);
  const createdAtMs = clock.now();
  const name = backupNameAt(createdAtMs);
  const directory = join(root, name);
  try {
    await mkdir(directory, { mode: PRIVATE_DIRECTORY_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BackupError('target_not_empty', `${directory} already exists: another backup started then`);
    }
    throw error;
  }
  await makeOwnerOnlyDirectory(directory);
  return { directory, name, createdAtMs };
}

/** Writes the passphrase-encrypted master key into the backup and answers its manifest entry. */
export async function writeMasterKeyFile(
  directory: string,
  masterKey: MasterKeyToInclude,
): Promise<ManifestFile> {
  const envelope = await sealMasterKey(masterKey.key, masterKey.passphrase);
  const path = join(directory, MASTER_KEY_BACKUP_FILE);
  await writeFileAtomically(path, `${JSON.stringify(envelope, null, 2)}\n`);
  return { path: MASTER_KEY_BACKUP_FILE, kind: 'master_key', ...(await digestFile(path)) };
}

/**
 * Ends a backup: flushes its folders, then writes the manifest last (atomically), so a backup that
 * died before this point has none. Answers the manifest written.
 */
export async function finishBackup(
  directory: string,
  contents: { mode: BackupMode; createdAtMs: number; engine: Record<string, string>; files: ManifestFile[] },
): Promise<BackupManifest> {
  for (const folder of [join(directory, 'tenants', 'archive'), join(directory, 'tenants'), directory]) {
    if (await pathExists(folder)) await syncToDisk(folder);
  }
  const dialect = contents.mode === 'embedded' ? 'sqlite' : 'postgres';
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    mode: contents.mode,
    createdAt: new Date(contents.createdAtMs).toISOString(),
    createdAtMs: contents.createdAtMs,
    migrations: {
      platform: migrationJournal(dialect, 'platform').newest,
      tenant: migrationJournal(dialect, 'tenant').newest,
    },
    engine: contents.engine,
    files: contents.files,
  };
  await writeManifest(directory, manifest);
  return manifest;
}

/** Removes a backup that failed half-way, so only finished backups (with a manifest) stay. */
export async function removeUnfinished(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** A folder under the backup root, as retention sees it. */
export interface StoredBackup {
  readonly name: string;
  readonly directory: string;
  /** From the folder's name. */
  readonly startedAtMs: number;
  /** manifest.json is there: the backup finished (whether its files still verify is checked apart). */
  readonly hasManifest: boolean;
}

/** The backups under `root`, oldest first; folders whose name is not a backup's are ignored. */
export async function listBackups(root: string): Promise<StoredBackup[]> {
  if (!(await pathExists(root))) return [];
  const entries = await readdir(root, { withFileTypes: true });
  const backups: StoredBackup[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const startedAtMs = backupStartedAt(entry.name);
    if (startedAtMs === null) continue;
    const directory = join(root, entry.name);
    backups.push({
      name: entry.name,
      directory,
      startedAtMs,
      hasManifest: await pathExists(join(directory, MANIFEST_FILE)),
    });
  }
  return backups.sort((a, b) => a.startedAtMs - b.startedAtMs);
}
