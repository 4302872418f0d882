// Backups, restore and the primitives `kiunga migrate-to-postgres` shares with them (see README.md).
export {
  type BackupResult,
  listBackups,
  MASTER_KEY_BACKUP_FILE,
  type MasterKeyToInclude,
  type StoredBackup,
} from './backup-directory';
export { digestFile, type FileDigest } from './backup-files';
export { backupNameAt, backupStartedAt } from './backup-name';
export { backupEmbedded, type EmbeddedBackupOptions } from './embedded-backup';
export { BackupError, type BackupErrorCode, type BackupProblem, describeProblems } from './errors';
export {
  type BackupManifest,
  type BackupMode,
  backupFilePath,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_VERSION,
  type ManifestFile,
  readManifest,
  verifyBackup,
} from './manifest';
export {
  type MasterKeyEnvelope,
  openMasterKey,
  PASSPHRASE_LENGTH_MIN,
  passphraseFromFileContent,
  SCRYPT_BLOCK_SIZE,
  SCRYPT_COST,
  SCRYPT_PARALLELISM,
  sealMasterKey,
} from './master-key-envelope';
export { appliedMigrationTag, isKnownMigration, migrationJournal } from './migration-ids';
export { backupPostgres, type PostgresBackupOptions } from './postgres-backup';
export { describePostgres, type PostgresTarget } from './postgres-tools';
export { type RestoreOptions, type RestoreSummary, restoreBackup } from './restore';
export { BACKUP_PAGES_PER_STEP, copySqliteDatabase, type SqliteCopy } from './sqlite-copy';
