// When the daily backup is due and which backups retention deletes: plain data in, a decision out.

/** Daily backups. */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * A backup is due when the newest finished one is older than the interval less this slack, so a job
 * whose daily run drifts by some minutes (or runs hourly to catch up after downtime) backs up once a day.
 */
export const BACKUP_DUE_SLACK_MS = 60 * 60 * 1000;
/**
 * A folder without a manifest younger than this may be a backup still being written (by another node
 * or a `kiunga backup` by hand); older, it is the remains of one that died, and retention removes it.
 */
export const UNFINISHED_BACKUP_GRACE_MS = 6 * 60 * 60 * 1000;

export interface BackupOnDisk {
  readonly name: string;
  readonly startedAtMs: number;
  /** manifest.json is there: the backup finished. */
  readonly hasManifest: boolean;
}

export interface RetentionInput {
  readonly backups: readonly BackupOnDisk[];
  /** The newest backup whose files verified against its manifest, if any. */
  readonly newestVerifiedName: string | null;
  /** KIUNGA_BACKUP_KEEP: finished backups to keep (at least 1). */
  readonly keep: number;
  readonly nowMs: number;
}

/** Whether the daily backup should run now. */
export function isBackupDue(backups: readonly BackupOnDisk[], nowMs: number): boolean {
  const newest = Math.max(
    Number.NEGATIVE_INFINITY,
    ...backups.filter((backup) => backup.hasManifest).map((backup) => backup.startedAtMs),
  );
  return nowMs - newest >= BACKUP_INTERVAL_MS - BACKUP_DUE_SLACK_MS;
}

/**
 * The backups to delete: finished ones beyond the `keep` newest, and unfinished ones past the grace
 * period. The newest verified backup is never deleted, however old, so a run of damaged backups
 * can never leave the platform with nothing to restore.
 */
export function backupsToDelete(input: RetentionInput): string[] {
  const keep = Math.max(1, Math.floor(input.keep));
  const finished = input.backups
    .filter((backup) => backup.hasManifest)
    .sort((a, b) => b.startedAtMs - a.startedAtMs);
  const kept = new Set(finished.slice(0, keep).map((backup) => backup.name));
  if (input.newestVerifiedName !== null) kept.add(input.newestVerifiedName);
  const deleted: string[] = [];
  for (const backup of input.backups) {
    if (
      backup.hasManifest
        ? !kept.has(backup.name)
        : input.nowMs - backup.startedAtMs > UNFINISHED_BACKUP_GRACE_MS
    ) {
      deleted.push(backup.name);
    }
  }
  return deleted;
}
