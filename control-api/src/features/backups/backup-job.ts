// The daily backup job with retention, for the control API's scheduler: back up when due (embedded or
// scaled, as configured), find the newest backup that verifies, then delete what retention says.
import { rm } from 'node:fs/promises';
import {
  BackupError,
  backupEmbedded,
  backupPostgres,
  type Clock,
  listBackups,
  type StoredBackup,
  verifyBackup,
} from '@kiunga/schemas';
import { backupsToDelete, isBackupDue } from './core/retention';

export interface BackupJobSettings {
  /** KIUNGA_BACKUP_DIR: where backups go. */
  readonly directory: string;
  /** KIUNGA_BACKUP_KEEP. */
  readonly keep: number;
}

export interface BackupJobOptions {
  readonly settings: BackupJobSettings;
  /** The installation: its data dir (embedded) or KIUNGA_DATABASE_URL (scaled). */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly clock: Clock;
}

export interface BackupJobResult {
  /** The backup made by this run, or null when the last one is recent enough. */
  readonly created: string | null;
  readonly newestVerified: string | null;
  /** Finished backups that did not verify (kept until retention passes them; worth a look). */
  readonly damaged: readonly string[];
  readonly deleted: readonly string[];
}

/**
 * Newest first, the first finished backup whose files verify. Only as many as it takes are read: on a
 * healthy disk that is the backup just made.
 */
async function newestVerifiedBackup(
  backups: readonly StoredBackup[],
): Promise<{ name: string | null; damaged: string[] }> {
  const damaged: string[] = [];
  for (const backup of [...backups].reverse()) {
    if (!backup.hasManifest) continue;
    try {
      await verifyBackup(backup.directory);
      return { name: backup.name, damaged };
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      damaged.push(backup.name);
    }
  }
  return { name: null, damaged };
}

/** One run: idempotent (a second run the same day creates nothing), safe to run at start and hourly. */
export async function runBackupJob(options: BackupJobOptions): Promise<BackupJobResult> {
  const { directory, keep } = options.settings;
  let created: string | null = null;
  if (isBackupDue(await listBackups(directory), options.clock.now())) {
    const result = options.databaseUrl
      ? await backupPostgres({ databaseUrl: options.databaseUrl, root: directory, clock: options.clock })
      : await backupEmbedded({ dataDir: options.dataDir, root: directory, clock: options.clock });
    created = result.name;
  }
  const backups = await listBackups(directory);
  const verified = await newestVerifiedBackup(backups);
  const deleted = backupsToDelete({
    backups,
    newestVerifiedName: verified.name,
    keep,
    nowMs: options.clock.now(),
  });
  for (const name of deleted) {
    const backup = backups.find((candidate) => candidate.name === name);
    if (backup) await rm(backup.directory, { recursive: true, force: true });
  }
  return { created, newestVerified: verified.name, damaged: verified.damaged, deleted };
}
