// The data-access layer for both backends, and the choice between them (KIUNGA_DATABASE_URL).
import { PostgresDatabases } from './postgres-databases';
import type { Databases } from './sql-database';
import { SqliteDatabases } from './sqlite-databases';

export {
  ADVISORY_LEASE_CONNECT_TIMEOUT_MS,
  type AdvisoryLease,
  type AdvisoryLockKey,
  tryTakeAdvisoryLease,
} from './advisory-lease';
export { LOCK_WAITERS_MAX, LockQueueFullError } from './async-mutex';
export * from './backup/index';
export { PostgresDatabase, SERIALIZABLE_ATTEMPTS_MAX } from './postgres-database';
export {
  archivedTenantSchemaName,
  PLATFORM_SCHEMA,
  PostgresDatabases,
  type PostgresDatabasesOptions,
  tenantSchemaName,
} from './postgres-databases';
export {
  IDLE_IN_TRANSACTION_TIMEOUT_MS,
  POOL_CHECKOUT_TIMEOUT_MS,
  POOL_CONNECTIONS_MAX,
  SchemaMissingError,
  STATEMENT_TIMEOUT_MS,
} from './postgres-pool';
export * from './sql-database';
export { SqlValueError } from './sql-values';
export { SqliteChangeWatch, WAL_INDEX_HEADER_LENGTH } from './sqlite-change-watch';
export { SqliteDatabase, STATEMENTS_CACHED_MAX } from './sqlite-database';
export { SqliteDatabases, type SqliteDatabasesOptions } from './sqlite-databases';
export {
  assignmentsOf,
  columnsOf,
  insertOf,
  insertReturningId,
  rowOf,
  rowsOf,
  type SqlStatement,
} from './table-sql';
export {
  releaseThreadWriteGatesOf,
  ThreadWriteGate,
  threadWriteGateBuffer,
  useThreadWriteGateBuffer,
  WRITE_GATE_SLOTS,
  WRITE_GATE_WAIT_MAX_MS,
  writeGateSlotOf,
} from './thread-write-gate';
export { walFramesNotCheckpointed } from './wal-backlog';

export interface DatabasesConfig {
  dataDir: string;
  /** KIUNGA_DATABASE_URL: set = PostgreSQL (scaled mode), unset = SQLite files under dataDir. */
  databaseUrl?: string;
}

/** Opens the platform database (migrated) and the way to every tenant's, in the configured mode. */
export async function openDatabases(config: DatabasesConfig): Promise<Databases> {
  if (config.databaseUrl) return PostgresDatabases.open({ url: config.databaseUrl });
  return new SqliteDatabases({ dataDir: config.dataDir });
}
