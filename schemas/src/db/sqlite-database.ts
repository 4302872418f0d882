// SqlDatabase over one better-sqlite3 connection: cached statements, and transactions that hold the
// connection (every other call waits) because the driver is one synchronous connection.
import type Database from 'better-sqlite3';
import { AsyncMutex } from './async-mutex';
import {
  type SqlDatabase,
  type SqlRunResult,
  type SqlTransactionOptions,
  type SqlValue,
  UniqueViolationError,
} from './sql-database';
import { assertBindable, assertReadableNumber } from './sql-values';
import { StatementMethods } from './statement-methods';
import type { ThreadWriteGate } from './thread-write-gate';
import {
  assertNotInsideTransactionOf,
  runTopLevelTransaction,
  type StatementMode,
  type TopLevelTransaction,
  type TransactionConnection,
} from './transaction-scope';

/**
 * Prepared statements kept per connection. A tenant store has a few hundred distinct statements;
 * SQL built at run time (IN lists of varying length) must not grow memory without bound, and with
 * 256 shards open at once each statement kept costs 256 compiled programs. Past the cap the oldest
 * prepared statement is dropped (re-prepared if it comes back).
 */
export const STATEMENTS_CACHED_MAX = 256;

const uniqueViolationCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function mapSqliteError(error: unknown): unknown {
  if (error instanceof Error && uniqueViolationCodes.has((error as { code?: string }).code ?? '')) {
    const mapped = new UniqueViolationError(error.message, null);
    mapped.cause = error;
    return mapped;
  }
  return error;
}

function assertReadableRows(rows: readonly unknown[]): void {
  for (const row of rows) assertReadableRow(row);
}

function assertReadableRow(row: unknown): void {
  if (row === null || typeof row !== 'object') {
    assertReadableNumber(row);
    return;
  }
  const values = row as Record<string, unknown>;
  for (const key in values) assertReadableNumber(values[key]);
}

/** Runs statements on the connection, synchronously underneath; the async face is for the interface. */
class SqliteStatements implements TransactionConnection {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly connection: Database.Database) {}

  execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    try {
      return Promise.resolve(this.executeNow(mode, sql, params));
    } catch (error) {
      return Promise.reject(mapSqliteError(error));
    }
  }

  executeSync(mode: StatementMode, sql: string, params: readonly SqlValue[]): unknown {
    try {
      return this.executeNow(mode, sql, params);
    } catch (error) {
      throw mapSqliteError(error);
    }
  }

  async control(sql: string): Promise<void> {
    this.connection.exec(sql);
  }

  executeNow(mode: StatementMode, sql: string, params: readonly SqlValue[]): unknown {
    assertBindable(params);
    const statement = this.prepared(sql);
    if (mode === 'run') return { changes: statement.run(params).changes } satisfies SqlRunResult;
    if (!statement.reader) {
      // A write asked for rows (no RETURNING): it runs, and yields none, as on PostgreSQL.
      statement.run(params);
      return mode === 'get' ? undefined : [];
    }
    if (mode === 'get') {
      const row = statement.pluck(false).get(params);
      assertReadableRow(row);
      return row;
    }
    const rows = statement.pluck(mode === 'column').all(params);
    assertReadableRows(rows);
    return rows;
  }

  private prepared(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const statement = this.connection.prepare(sql);
    if (this.statements.size >= STATEMENTS_CACHED_MAX) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

export class SqliteDatabase extends StatementMethods implements SqlDatabase {
  readonly dialect = 'sqlite';
  private readonly statements: SqliteStatements;
  /** Held by a transaction (and by whoever waits behind one): nothing may interleave into it. */
  private readonly mutex = new AsyncMutex();
  private isClosed = false;

  /**
   * `writeGate`: a tenant shard file that another thread of this process also writes (the metering
   * worker): its write transactions take the gate first, awaiting the other thread's instead of
   * sleeping in SQLite's busy handler (thread-write-gate.ts).
   */
  constructor(
    readonly connection: Database.Database,
    private readonly writeGate: ThreadWriteGate | null = null,
  ) {
    super();
    this.statements = new SqliteStatements(connection);
  }

  /** True while a transaction runs or calls wait: closing the connection now would break them. */
  get isBusy(): boolean {
    return this.mutex.isBusy;
  }

  /** SQLite transactions are serializable whatever the option says: one writer at a time. */
  async transaction<Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    _options?: SqlTransactionOptions,
  ): Promise<Result> {
    assertNotInsideTransactionOf(this.mutex);
    await this.mutex.acquire();
    try {
      this.assertOpen();
      return await runTopLevelTransaction(this.topLevelTransaction(), this.mutex, work);
    } finally {
      this.mutex.release();
    }
  }

  /** Runs `work` with the connection to itself (no transaction may be open), e.g. to close it. */
  async runExclusive<Result>(work: () => Result): Promise<Result> {
    assertNotInsideTransactionOf(this.mutex);
    return this.mutex.runExclusive(work);
  }

  /** Marks the handle closed (the owner closes the connection): later calls throw a clear error. */
  markClosed(): void {
    this.isClosed = true;
  }

  /** Not async on the common path (no transaction open): one promise per call, not two. */
  execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    if (this.mutex.isBusy) return this.statementAfterTransaction(mode, sql, params);
    if (this.isClosed || !this.connection.open) return Promise.reject(this.closedError());
    return this.statements.execute(mode, sql, params);
  }

  private async statementAfterTransaction(
    mode: StatementMode,
    sql: string,
    params: readonly SqlValue[],
  ): Promise<unknown> {
    assertNotInsideTransactionOf(this.mutex);
    await this.mutex.acquire();
    try {
      this.assertOpen();
      return await this.statements.execute(mode, sql, params);
    } finally {
      this.mutex.release();
    }
  }

  private topLevelTransaction(): TopLevelTransaction {
    const connection = this.connection;
    const gate = this.writeGate;
    return {
      connection: this.statements,
      begin: async () => {
        await gate?.acquire();
        try {
          // IMMEDIATE takes the write lock now, so two processes never both read then fail to upgrade.
          connection.exec('BEGIN IMMEDIATE');
        } catch (error) {
          gate?.release();
          throw error;
        }
      },
      commit: async () => {
        connection.exec('COMMIT');
        gate?.release();
      },
      rollback: async () => {
        try {
          // Some errors (SQLITE_FULL, SQLITE_IOERR …) already rolled the transaction back.
          if (connection.inTransaction) connection.exec('ROLLBACK');
        } finally {
          gate?.release();
        }
      },
    };
  }

  private assertOpen(): void {
    if (this.isClosed || !this.connection.open) throw this.closedError();
  }

  private closedError(): Error {
    return new Error('this SQLite database is closed (its tenant was archived or the server is stopping)');
  }
}
