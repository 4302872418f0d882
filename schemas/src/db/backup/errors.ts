// The one error of backups, restores and moves: a stable code for scripts and a sentence for the operator.

export type BackupErrorCode =
  /** There is nothing to back up: the data dir has no platform.db. */
  | 'source_missing'
  /** DIR holds no manifest.json: the backup never finished (or this is not a backup). */
  | 'manifest_missing'
  /** manifest.json is not a Kiunga manifest (unparseable, a field missing, an unsafe path). */
  | 'manifest_invalid'
  /** A manifest of a format version this Kiunga does not read. */
  | 'format_unsupported'
  /** A file the manifest lists is missing, or its size or SHA-256 differs. */
  | 'backup_damaged'
  /** The backup's migrations are newer than this Kiunga's: restore it with the version that made it. */
  | 'backup_newer'
  /** The data directory or database to restore into already holds data (and --force was not given). */
  | 'target_not_empty'
  /** The backup and the configured mode differ (an embedded backup with KIUNGA_DATABASE_URL set, say). */
  | 'mode_mismatch'
  /** The backup holds the master key and no passphrase was given, or the passphrase is too short. */
  | 'passphrase_required'
  /** The passphrase does not open the master key (or the key file was altered). */
  | 'passphrase_wrong'
  /** --include-key without a master key to include. */
  | 'master_key_missing'
  /** pg_dump/pg_restore of the server's major version is not installed. */
  | 'tool_missing'
  /** pg_dump/pg_restore or the SQLite backup failed; the message carries its own words. */
  | 'tool_failed'
  /** A copied database failed SQLite's integrity check. */
  | 'integrity_failed'
  /** migrate-to-postgres: the copy in PostgreSQL differs from the source (a table or ledger account named). */
  | 'copy_mismatch';

/** One file (or table, or account) that did not verify, and why. */
export interface BackupProblem {
  readonly subject: string;
  readonly reason: string;
}

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    readonly problems: readonly BackupProblem[] = [],
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** "a: reason; b: reason", for messages that name every problem. */
export function describeProblems(problems: readonly BackupProblem[]): string {
  return problems.map((problem) => `${problem.subject}: ${problem.reason}`).join('; ');
}
