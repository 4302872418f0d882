// The one way Kiunga code reaches stored data, embedded (SQLite) or scaled (PostgreSQL).
// Stores are written once against this interface in a portable subset of SQL; the two
// implementations hide the drivers' differences. (Interface agreed for issues 10 and 11.)
//
// Portable SQL rules (checked by a contract test suite that runs against both implementations):
// - Placeholders are `?` (the PostgreSQL implementation rewrites them to $1, $2 … outside quotes and
//   comments, so PostgreSQL's own `?` jsonb operators cannot be used).
// - Integers (cents, ms timestamps, octets) are JavaScript numbers in and out. PostgreSQL columns are
//   BIGINT/INTEGER and int8 values are parsed to number (a value beyond Number.MAX_SAFE_INTEGER throws).
//   A bound number must be a safe integer (PostgreSQL refuses 1.5 for a BIGINT; SQLite would store it).
// - Booleans are stored as INTEGER 0/1 in both dialects (never PostgreSQL's boolean type).
// - Text is text; JSON is stored as text and parsed by the store.
// - Use `INSERT … ON CONFLICT (cols) DO NOTHING` / `DO UPDATE SET x = excluded.x` (not `INSERT OR
//   IGNORE` / `OR REPLACE`), `RETURNING`, `COALESCE`, `CASE`, standard aggregates; GROUP BY every
//   non-aggregated column; no `strftime`, `julianday`, `IFNULL`, `COLLATE NOCASE` (use `lower()`),
//   no `LIKE` for case-insensitive matching (use `lower(x) LIKE lower(?)`), no `rowid`.
// - Column aliases that are not all lower case are quoted (`AS "transferId"`): PostgreSQL folds an
//   unquoted alias to lower case.
// - Table names are unqualified: a tenant's database resolves them in that tenant's shard file
//   (SQLite) or that tenant's schema (PostgreSQL); the platform's database in the platform file/schema.
// - Inside a transaction a failed statement aborts the transaction (PostgreSQL's rule, enforced on
//   SQLite too): to carry on after an expected failure, run the statement in a nested transaction.

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | null | Uint8Array;

/** What a write changed. */
export interface SqlRunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

export interface SqlTransactionOptions {
  isolation?: 'read_committed' | 'serializable';
}

export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row, or undefined. */
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** The first column of every row (better-sqlite3's pluck). */
  column<Value>(sql: string, params?: readonly SqlValue[]): Promise<Value[]>;
  /** A statement run for its effect. */
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws (the error
   * is re-thrown). Inside, use only the `transaction` handle given to `work` (using the database
   * itself there throws: it would wait for this very transaction). Transactions of one database are
   * serialised within a process (SQLite: one writer, BEGIN IMMEDIATE; PostgreSQL: one pooled
   * connection, READ COMMITTED unless `isolation` says otherwise). A nested call on the handle runs
   * inside the outer transaction (a savepoint). `work` must not wait on anything but this database
   * (no HTTP, no timers) so that a transaction is short; with `isolation: 'serializable'` PostgreSQL
   * may run `work` again after a serialization failure, so it must have no other effect.
   */
  transaction<Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    options?: SqlTransactionOptions,
  ): Promise<Result>;
}

/** A unique or primary-key constraint refused a write (SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505). */
export class UniqueViolationError extends Error {
  constructor(
    message: string,
    /** The constraint or index name when the driver reports it. */
    readonly constraint: string | null,
  ) {
    super(message);
    this.name = 'UniqueViolationError';
  }
}

/**
 * A statement failed earlier in this transaction (or savepoint), so nothing more runs in it and it
 * cannot commit (PostgreSQL 25P02; the SQLite implementation enforces the same rule).
 */
export class TransactionAbortedError extends Error {
  constructor(message = 'an earlier statement of this transaction failed; it can only roll back') {
    super(message);
    this.name = 'TransactionAbortedError';
  }
}

/**
 * The platform database and every tenant's, whatever the backend. The only way to reach a tenant's
 * data (the control API asks it with the principal's tenant id, the AAA server with the NAS's).
 */
export interface Databases {
  readonly dialect: 'sqlite' | 'postgres';
  readonly platform: SqlDatabase;
  /** The database of a tenant that exists (throws if it was archived). */
  forTenant(tenantId: string): SqlDatabase;
  /**
   * Whether the tenant's database exists and is in service (its shard file or schema was created and
   * not archived): jobs that walk the platform's tenants skip one that has none yet.
   */
  hasTenant(tenantId: string): Promise<boolean>;
  /** Creates and migrates a new tenant's database (shard file or schema). Idempotent. */
  createTenant(tenantId: string): Promise<void>;
  /** Moves a tenant's data out of service (shard file to tenants/archive/, schema renamed). */
  archiveTenant(tenantId: string): Promise<void>;
  /** Migrates the platform and every served tenant to the latest schema. */
  migrateAll(): Promise<void>;
  /**
   * Tells synchronously, without a statement, whether anything may have been committed to a tenant's
   * database since a moment its reader accepted (the AAA server's cache check on every request).
   */
  watchChanges(tenantId: string): ChangeWatch;
  close(): Promise<void>;
}

/** What a ChangeWatch saw at one check (opaque: only the watch that made it reads it). */
export interface ChangeMark {
  readonly watched: unknown;
}

/**
 * A cheap, synchronous "nothing committed since" for one tenant. Use: `isUnchangedSinceAccepted()`; when
 * false, take `markOfLastCheck()`, read what the cache stands for (the change generation), then
 * `accept(mark)` so that the next check compares with that moment. A watch that cannot tell answers
 * false every time (every check then reads the database): never a stale true.
 */
export interface ChangeWatch {
  isUnchangedSinceAccepted(): boolean;
  /** What the last isUnchangedSinceAccepted() saw, to accept after the read; null when it saw nothing. */
  markOfLastCheck(): ChangeMark | null;
  /** The mark stands for what was read after it (a mark older than the accepted one is ignored). */
  accept(mark: ChangeMark | null): void;
  /**
   * Present when `isUnchangedSinceAccepted()` is only trustworthy once news committed before now has
   * arrived (PostgreSQL notifications travel on their own connection): resolves when it has, after which
   * the check is asked again. Rejects when the watch can no longer tell (the reader then reads).
   */
  deliveredUpToNow?(): Promise<void>;
  /**
   * Present where the watch has its own line to the database (PostgreSQL: the LISTEN connection, judged
   * by its heartbeat): whether the database is answering, however slowly. A reader waiting on a slow
   * read keeps waiting while it is; only an unanswering database is treated as unreachable.
   */
  isDatabaseAnswering?(): boolean;
  close(): void;
}
