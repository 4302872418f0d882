// What both dialects share about transactions: the handle given to `work`, savepoints for nesting,
// the aborted-transaction rule, and the detection of a call that would wait for its own transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import { AsyncMutex } from './async-mutex';
import {
  type SqlDatabase,
  type SqlTransactionOptions,
  type SqlValue,
  TransactionAbortedError,
} from './sql-database';
import { StatementMethods, type StatementMode } from './statement-methods';

export type { StatementMode } from './statement-methods';

/** One connection inside a transaction, as a dialect drives it. */
export interface TransactionConnection {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs one statement; errors come out already mapped (UniqueViolationError …). */
  execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown>;
  /**
   * The same, for a driver that runs statements synchronously (SQLite): the result, or a mapped
   * error thrown. A scope then makes one promise per statement instead of a chain of three, which
   * is most of the cost of a statement in a long transaction (the invoice run's hundreds of thousands).
   */
  executeSync?(mode: StatementMode, sql: string, params: readonly SqlValue[]): unknown;
  /** Runs a statement of the transaction's own bookkeeping (SAVEPOINT, RELEASE, …). */
  control(sql: string): Promise<void>;
}

/** The locks held by the transactions this async context runs in, innermost first. */
interface HeldLock {
  readonly lock: object;
  readonly outer: HeldLock | undefined;
}

const heldLocks = new AsyncLocalStorage<HeldLock>();

/** True when the caller runs inside the work of a transaction that holds `lock`. */
export function isInsideTransactionOf(lock: object): boolean {
  for (let held = heldLocks.getStore(); held; held = held.outer) {
    if (held.lock === lock) return true;
  }
  return false;
}

/** Throws the programmer error of using a database (or an outer handle) inside its own transaction. */
export function assertNotInsideTransactionOf(lock: object | undefined): void {
  if (lock && isInsideTransactionOf(lock)) {
    throw new Error(
      'inside a transaction, use the handle given to work: this call would wait for that very transaction',
    );
  }
}

/** Runs `work` with `lock` recorded as held by this async context. */
export function runHoldingLock<Result>(lock: object, work: () => Promise<Result>): Promise<Result> {
  return heldLocks.run({ lock, outer: heldLocks.getStore() }, work);
}

/** The error for a level that had a statement fail: it carries that failure as its cause. */
function abortedBy(failure: unknown): TransactionAbortedError {
  if (failure instanceof TransactionAbortedError) return failure;
  const error = new TransactionAbortedError();
  error.cause = failure;
  return error;
}

function savepointName(depth: number): string {
  return `kiunga_savepoint_${depth}`;
}

/**
 * The handle `work` receives: statements go to the transaction's connection; a nested transaction
 * is a savepoint; calls on it wait while one of its nested transactions runs.
 */
export class TransactionScope extends StatementMethods implements SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** Held while a nested transaction of this handle runs. */
  readonly lock = new AsyncMutex();
  /** The first statement error at this level: the level can then only roll back. */
  failure: unknown = undefined;
  private isFinished = false;

  constructor(
    private readonly connection: TransactionConnection,
    private readonly depth: number,
  ) {
    super();
    this.dialect = connection.dialect;
  }

  get isAborted(): boolean {
    return this.failure !== undefined;
  }

  finish(): void {
    this.isFinished = true;
  }

  /** Waits for a nested transaction that `work` started but did not await, before its outcome counts. */
  async settle(): Promise<void> {
    if (this.lock.isBusy) await this.lock.runExclusive(() => {});
  }

  async transaction<Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    _options?: SqlTransactionOptions,
  ): Promise<Result> {
    // A savepoint takes the isolation of the transaction it is in; the option only matters at the top.
    this.assertUsable();
    assertNotInsideTransactionOf(this.lock);
    await this.lock.acquire();
    try {
      this.assertUsable();
      return await this.runSavepoint(work);
    } finally {
      this.lock.release();
    }
  }

  private async runSavepoint<Result>(work: (transaction: SqlDatabase) => Promise<Result>): Promise<Result> {
    const name = savepointName(this.depth);
    await this.control(`SAVEPOINT ${name}`);
    const nested = new TransactionScope(this.connection, this.depth + 1);
    try {
      const result = await runHoldingLock(this.lock, () => work(nested));
      await nested.settle();
      if (nested.isAborted) throw abortedBy(nested.failure);
      await this.control(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.control(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.control(`RELEASE SAVEPOINT ${name}`);
      throw error;
    } finally {
      nested.finish();
    }
  }

  execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    const connection = this.connection;
    const isPlain = !this.isFinished && this.failure === undefined && !this.lock.isBusy;
    if (isPlain && connection.executeSync) {
      try {
        return Promise.resolve(connection.executeSync(mode, sql, params));
      } catch (error) {
        this.failure ??= error;
        return Promise.reject(error);
      }
    }
    return this.executeChecked(mode, sql, params);
  }

  private async executeChecked(
    mode: StatementMode,
    sql: string,
    params: readonly SqlValue[],
  ): Promise<unknown> {
    this.assertUsable();
    if (!this.lock.isBusy) return this.executeNow(mode, sql, params);
    assertNotInsideTransactionOf(this.lock);
    await this.lock.acquire();
    try {
      this.assertUsable();
      return await this.executeNow(mode, sql, params);
    } finally {
      this.lock.release();
    }
  }

  private async executeNow(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    try {
      return await this.connection.execute(mode, sql, params);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  private async control(sql: string): Promise<void> {
    try {
      await this.connection.control(sql);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  private assertUsable(): void {
    if (this.isFinished) {
      throw new Error('this transaction has ended: its handle cannot be used any more');
    }
    if (this.failure !== undefined) throw abortedBy(this.failure);
  }
}

/** How a dialect opens and closes its top-level transaction on one connection. */
export interface TopLevelTransaction {
  connection: TransactionConnection;
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Rolls back if a transaction is open; a failure here means the connection must be discarded. */
  rollback(): Promise<void>;
}

/**
 * BEGIN, work on a fresh handle, COMMIT; ROLLBACK (and re-throw) when work or the commit fails, or
 * when work swallowed a statement error (the transaction could only roll back: committing would lie).
 */
export async function runTopLevelTransaction<Result>(
  transaction: TopLevelTransaction,
  lock: object,
  work: (transaction: SqlDatabase) => Promise<Result>,
): Promise<Result> {
  await transaction.begin();
  const scope = new TransactionScope(transaction.connection, 1);
  try {
    const result = await runHoldingLock(lock, () => work(scope));
    await scope.settle();
    if (scope.isAborted) throw abortedBy(scope.failure);
    await transaction.commit();
    return result;
  } catch (error) {
    await transaction.rollback();
    throw error;
  } finally {
    scope.finish();
  }
}
