// The one node-postgres pool of a process: bounded, with statement timeouts, int8/numeric read as
// numbers, and each connection's search_path set to the schema (tenant or platform) it is about to serve.
import pg from 'pg';
import { KeyedMutexes } from './async-mutex';
import { numberFromNumericText, safeIntegerFromText } from './sql-values';

/**
 * Connections per process. PostgreSQL allows 100 by default (max_connections), shared by every
 * node; 10 per node leaves room for several AAA and API nodes plus maintenance sessions, and a
 * transaction holds its connection for well under a millisecond of server work.
 */
export const POOL_CONNECTIONS_MAX = 10;
/** A statement running longer is cancelled: nothing Kiunga asks should take this long, and a stuck
 * statement must not hold a pooled connection (and its locks) for ever. */
export const STATEMENT_TIMEOUT_MS = 15_000;
/** A transaction left idle this long is ended by the server, releasing its row locks. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
/** Waiting longer than this for a free pooled connection fails the call (the pool is exhausted). */
export const POOL_CHECKOUT_TIMEOUT_MS = 10_000;

// Type OIDs from PostgreSQL's catalog (src/include/catalog/pg_type.dat): int8 = 20, numeric = 1700.
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** node-postgres hands int8 and numeric over as text by default; Kiunga reads them as numbers. */
const kiungaTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary' && oid === INT8_OID) return safeIntegerFromText;
    if (format !== 'binary' && oid === NUMERIC_OID) return numberFromNumericText;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Double quotes around an identifier, doubling any inside (PostgreSQL manual 4.1.1). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export class SchemaMissingError extends Error {
  constructor(readonly schema: string) {
    super(`schema ${schema} does not exist (never created, or archived)`);
    this.name = 'SchemaMissingError';
  }
}

/** Everything the databases on one pool share: the pool, the search_path of each connection, locks. */
export class PostgresPool {
  readonly pool: pg.Pool;
  /** Transactions of one schema are serialised in this process, as SQLite's are. */
  readonly transactionLocks = new KeyedMutexes();
  /** The search_path each pooled connection was last given; dies with the connection. */
  private readonly searchPaths = new WeakMap<pg.PoolClient, string>();

  constructor(connectionString: string, options: { connectionsMax?: number } = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.connectionsMax ?? POOL_CONNECTIONS_MAX,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      connectionTimeoutMillis: POOL_CHECKOUT_TIMEOUT_MS,
      application_name: 'kiunga',
      types: kiungaTypes,
    });
    // An idle connection that dies (server restart) is dropped by the pool; without a listener the
    // 'error' event would end the process.
    this.pool.on('error', () => {});
    // A connection that dies while checked out between two statements (PostgreSQL unreachable) emits
    // 'error' on the client, which the pool listens to only while it is idle: without a listener it
    // would end the process. Its next statement fails and the pool drops it on release.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /**
   * A connection whose unqualified table names resolve in `schema`. The path is set only when it
   * differs from the connection's last one, in the same round trip that checks the schema exists.
   */
  async checkout(schema: string): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (this.searchPaths.get(client) === schema) return client;
    try {
      const result = await client.query<{ schemaExists: boolean }>(
        `SELECT set_config('search_path', $1, false), EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2) AS "schemaExists"`,
        [quoteIdentifier(schema), schema],
      );
      if (!result.rows[0]?.schemaExists) {
        this.searchPaths.delete(client);
        throw new SchemaMissingError(schema);
      }
      this.searchPaths.set(client, schema);
      return client;
    } catch (error) {
      // pg-pool drops a connection that died; one that merely answered an error is reused.
      client.release();
      throw error;
    }
  }

  /**
   * A connection for DDL on `schema` (created if missing, search_path set), holding a session
   * advisory lock on it so that nodes starting at once do not create or migrate it twice. On any
   * failure the connection is discarded, which also drops the lock.
   */
  async withSchemaLock<Result>(
    schema: string,
    work: (client: pg.PoolClient) => Promise<Result>,
  ): Promise<Result> {
    const client = await this.pool.connect();
    const lockKey = `kiunga schema ${schema}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      await client.query(`SELECT set_config('search_path', $1, false)`, [quoteIdentifier(schema)]);
      this.searchPaths.set(client, schema);
      const result = await work(client);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      client.release();
      return result;
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
