// all/get/column/run written once: each implementation supplies one `execute(mode, sql, params)`.
import type { SqlDatabase, SqlRunResult, SqlValue } from './sql-database';

export type StatementMode = 'all' | 'get' | 'column' | 'run';

export abstract class StatementMethods implements Pick<SqlDatabase, 'all' | 'get' | 'column' | 'run'> {
  /** Runs one statement in the given mode; what it resolves to is what that method returns. */
  abstract execute(mode: StatementMode, sql: string, params: readonly SqlValue[]): Promise<unknown>;

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.execute('all', sql, params) as Promise<Row[]>;
  }

  get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.execute('get', sql, params) as Promise<Row | undefined>;
  }

  column<Value>(sql: string, params: readonly SqlValue[] = []): Promise<Value[]> {
    return this.execute('column', sql, params) as Promise<Value[]>;
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> {
    return this.execute('run', sql, params) as Promise<SqlRunResult>;
  }
}
