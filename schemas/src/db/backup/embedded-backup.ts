// `kiunga backup` in embedded mode: platform.db and every tenant shard (archived ones too) copied
// through SQLite's online backup API while the server runs, then the manifest, written last.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../clock';
import { platformDatabasePath, tenantDatabasePath } from '../../database';
import {
  type BackupResult,
  finishBackup,
  type MasterKeyToInclude,
  removeUnfinished,
  startBackupDirectory,
  writeMasterKeyFile,
} from './backup-directory';
import { digestFile, makeOwnerOnlyDirectory } from './backup-files';
import { BackupError } from './errors';
import type { BackupFileKind, ManifestFile } from './manifest';
import { copySqliteDatabase, sqliteLibraryVersion } from './sqlite-copy';

export interface EmbeddedBackupOptions {
  dataDir: string;
  /** Backups go to <root>/<started-at>/ (KIUNGA_BACKUP_DIR or --to). */
  root: string;
  clock: Clock;
  /** Only with --include-key: the master key and the passphrase that encrypts it. */
  masterKey?: MasterKeyToInclude;
}

interface TenantFile {
  tenantId: string;
  kind: Extract<BackupFileKind, 'tenant' | 'archived_tenant'>;
  sourcePath: string;
  relativePath: string;
}

/**
 * The shards to copy, from the platform *copy*: every tenant it knows, served or archived, whose file
 * exists. A tenant created after the platform was copied is not in this backup at all (rather than a
 * shard no platform row points to).
 */
function tenantFiles(dataDir: string, platformCopyPath: string): { files: TenantFile[]; missing: string[] } {
  const platform = new Database(platformCopyPath, { readonly: true, fileMustExist: true });
  let tenantIds: string[];
  try {
    tenantIds = platform.prepare('SELECT id FROM tenants ORDER BY id').pluck().all() as string[];
  } finally {
    platform.close();
  }
  const files: TenantFile[] = [];
  const missing: string[] = [];
  for (const tenantId of tenantIds) {
    const livePath = tenantDatabasePath(dataDir, tenantId);
    const archivedPath = join(dataDir, 'tenants', 'archive', `${tenantId}.db`);
    if (existsSync(livePath))
      files.push({ tenantId, kind: 'tenant', sourcePath: livePath, relativePath: `tenants/${tenantId}.db` });
    if (existsSync(archivedPath))
      files.push({
        tenantId,
        kind: 'archived_tenant',
        sourcePath: archivedPath,
        relativePath: `tenants/archive/${tenantId}.db`,
      });
    if (!existsSync(livePath) && !existsSync(archivedPath)) missing.push(tenantId);
  }
  return { files, missing };
}

async function copyInto(
  directory: string,
  source: string,
  relativePath: string,
  entry: Pick<ManifestFile, 'kind' | 'tenantId'>,
  kind: 'platform' | 'tenant',
): Promise<ManifestFile & { restarts: number }> {
  const destination = join(directory, ...relativePath.split('/'));
  const copy = await copySqliteDatabase(source, destination, kind);
  const digest = await digestFile(destination);
  return { path: relativePath, ...entry, ...digest, migration: copy.migration, restarts: copy.restarts };
}

/** Backs up an embedded installation; on any failure the unfinished folder is removed. */
export async function backupEmbedded(options: EmbeddedBackupOptions): Promise<BackupResult> {
  const platformPath = platformDatabasePath(options.dataDir);
  if (!existsSync(platformPath)) {
    throw new BackupError('source_missing', `${options.dataDir} has no platform.db: nothing to back up`);
  }
  const { directory, name, createdAtMs } = await startBackupDirectory(options.root, options.clock);
  try {
    const files: (ManifestFile & { restarts?: number })[] = [];
    files.push(await copyInto(directory, platformPath, 'platform.db', { kind: 'platform' }, 'platform'));
    const tenants = tenantFiles(options.dataDir, join(directory, 'platform.db'));
    if (tenants.files.length > 0) await makeOwnerOnlyDirectory(join(directory, 'tenants'));
    if (tenants.files.some((file) => file.kind === 'archived_tenant'))
      await makeOwnerOnlyDirectory(join(directory, 'tenants', 'archive'));
    for (const tenant of tenants.files) {
      const entry = { kind: tenant.kind, tenantId: tenant.tenantId };
      files.push(await copyInto(directory, tenant.sourcePath, tenant.relativePath, entry, 'tenant'));
    }
    if (options.masterKey) files.push(await writeMasterKeyFile(directory, options.masterKey));
    const manifest = await finishBackup(directory, {
      mode: 'embedded',
      createdAtMs,
      engine: { sqlite: sqliteLibraryVersion() },
      files: files.map(({ restarts: _restarts, ...file }) => file),
    });
    return {
      directory,
      name,
      manifest,
      missingTenantIds: tenants.missing,
      restarts: files.reduce((total, file) => total + (file.restarts ?? 0), 0),
    };
  } catch (error) {
    await removeUnfinished(directory);
    throw error;
  }
}
