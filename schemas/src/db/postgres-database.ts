// SqlDatabase over node-postgres: one schema (a tenant's or the platform's) reached through the shared
// pool; `?` rewritten to $n; a transaction on one checked-out connection, savepoints for nesting.
import pg from 'pg';
import { rewritePlaceholders } from './postgres-placeholders';
import type { PostgresPool } from './postgres-pool';
import {
  type SqlDatabase,
  type SqlRunResult,
  type SqlTransactionOptions,
  type SqlValue,
  TransactionAbortedError,
  UniqueViolationError,
} from './sql-database';
import { assertBindable, SqlValueError } from './sql-values';
import { StatementMethods } from './statement-methods';
import {
  assertNotInsideTransactionOf,
  runTopLevelTransaction,
  type StatementMode,
  type TopLevelTransaction,
  type TransactionConnection,
} from './transaction-scope';

/**
 * Attempts of a serializable transaction that PostgreSQL aborts for a serialization failure or a
 * deadlock (the documented remedy is to retry: PostgreSQL 15 manual, 13.2.3 "Serializable
 * Isolation Level"). Eight, with a growing random pause between them, covers real contention; past
 * it the failure reaches the caller.
 */
export const SERIALIZABLE_ATTEMPTS_MAX = 8;
/**
 * Before a retry, wait a random time up to this base × 2^(attempt − 1): two nodes that collided and
 * retried at once would collide again (a livelock that used up the attempts in tests at 12 racers).
 */
const SERIALIZABLE_RETRY_BACKOFF_BASE_MS = 2;

function retryBackoffMs(attempt: number): number {
  return Math.random() * SERIALIZABLE_RETRY_BACKOFF_BASE_MS * 2 ** (attempt - 1);
}

// SQLSTATE codes, PostgreSQL 15 manual, Appendix A "PostgreSQL Error Codes".
const UNIQUE_VIOLATION = '23505';
const IN_FAILED_SQL_TRANSACTION = '25P02';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

function mapPostgresError(error: unknown): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  let mapped: Error | undefined;
  if (error.code === UNIQUE_VIOLATION)
    mapped = new UniqueViolationError(error.message, error.constraint ?? null);
  if (error.code === IN_FAILED_SQL_TRANSACTION) mapped = new TransactionAbortedError(error.message);
  if (!mapped) return error;
  mapped.cause = error;
  return mapped;
}

function isRetryable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED) return true;
  }
  return false;
}

function bindable(params: readonly SqlValue[]): unknown[] {
  assertBindable(params);
  // node-postgres sends a Buffer as bytea; a plain Uint8Array it would turn into text.
  return params.map((value) =>
    value instanceof Uint8Array && !Buffer.isBuffer(value)
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : value,
  );
}

/** Runs statements on one checked-out connection. */
class PostgresStatements implements TransactionConnection {
  readonly dialect = 'postgres';

  constructor(private readonly client: pg.PoolClient) {}

  async execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    const { text, placeholderCount } = rewritePlaceholders(sql);
    if (placeholderCount !== params.length) {
      throw new SqlValueError(
        `the statement has ${placeholderCount} placeholders but ${params.length} values`,
      );
    }
    const values = bindable(params);
    try {
      if (mode === 'column') {
        const result = await this.client.query({ text, values, rowMode: 'array' });
        return result.rows.map((row: unknown[]) => row[0]);
      }
      const result = await this.client.query({ text, values });
      if (mode === 'all') return result.rows;
      if (mode === 'get') return result.rows[0];
      return { changes: result.rowCount ?? 0 } satisfies SqlRunResult;
    } catch (error) {
      throw mapPostgresError(error);
    }
  }

  async control(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw mapPostgresError(error);
    }
  }
}

export class PostgresDatabase extends StatementMethods implements SqlDatabase {
  readonly dialect = 'postgres';

  /** `schema` is the tenant's or the platform's schema; its tables are reached unqualified. */
  constructor(
    private readonly pool: PostgresPool,
    readonly schema: string,
  ) {
    super();
  }

  async transaction<Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    options: SqlTransactionOptions = {},
  ): Promise<Result> {
    const locks = this.pool.transactionLocks;
    assertNotInsideTransactionOf(locks.held(this.schema));
    const lock = await locks.acquire(this.schema);
    try {
      const attemptsMax = options.isolation === 'serializable' ? SERIALIZABLE_ATTEMPTS_MAX : 1;
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.transactionOnce(lock, work, options);
        } catch (error) {
          if (attempt >= attemptsMax || !isRetryable(error)) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, retryBackoffMs(attempt)));
      }
    } finally {
      locks.release(this.schema, lock);
    }
  }

  private async transactionOnce<Result>(
    lock: object,
    work: (transaction: SqlDatabase) => Promise<Result>,
    options: SqlTransactionOptions,
  ): Promise<Result> {
    const client = await this.pool.checkout(this.schema);
    let discard: Error | undefined;
    const isolation = options.isolation === 'serializable' ? 'SERIALIZABLE' : 'READ COMMITTED';
    const transaction: TopLevelTransaction = {
      connection: new PostgresStatements(client),
      begin: async () => void (await client.query(`BEGIN ISOLATION LEVEL ${isolation}`)),
      commit: async () => void (await client.query('COMMIT')),
      rollback: async () => {
        try {
          await client.query('ROLLBACK');
        } catch (error) {
          // Whatever state the connection is in now, it must not serve anyone else.
          discard = error instanceof Error ? error : new Error(String(error));
        }
      },
    };
    try {
      return await runTopLevelTransaction(transaction, lock, work);
    } finally {
      client.release(discard);
    }
  }

  async execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    // On SQLite this call would wait for the caller's own transaction; refused here too, so that a
    // store behaves the same on both (and does not read around its own uncommitted writes).
    assertNotInsideTransactionOf(this.pool.transactionLocks.held(this.schema));
    const client = await this.pool.checkout(this.schema);
    try {
      return await new PostgresStatements(client).execute(mode, sql, params);
    } finally {
      client.release();
    }
  }
}
