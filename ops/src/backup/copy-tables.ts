// Copies one SQLite database's tables into a PostgreSQL schema inside one transaction: batched
// multi-row INSERTs in foreign-key order, then each identity sequence moved past the copied ids.
import type { SqlDatabase, SqlValue } from '@kiunga/schemas';
import type Database from 'better-sqlite3';
import { type DatabaseKind, type TableToCopy, tablesToCopy } from './table-copy-plan';

/** PostgreSQL's wire protocol counts bind parameters in 16 bits: at most 65,535 per statement. */
const PARAMETERS_PER_STATEMENT_MAX = 65_535;
/** Rows per INSERT: large enough that round trips do not dominate, small enough to keep a statement quick. */
const ROWS_PER_INSERT_MAX = 500;

/** Double quotes around an identifier (both dialects), doubling any inside. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQLite value as a bind parameter: integers read as bigint are refused beyond 2^53 − 1, not rounded. */
function bindable(value: unknown, table: string, column: string): SqlValue {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`${table}.${column} holds ${value}, beyond what Kiunga reads exactly (2^53 − 1)`);
    }
    return Number(value);
  }
  if (value === null || typeof value === 'string' || value instanceof Uint8Array) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new Error(
    `${table}.${column} holds ${String(value)} (${typeof value}), which the copy does not carry`,
  );
}

/** Every row of `table` from SQLite, in primary-key order, values as bind parameters. */
export function* readRows(source: Database.Database, table: TableToCopy): Generator<SqlValue[]> {
  const columns = table.columns.map(quoted).join(', ');
  const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quoted).join(', ')}` : '';
  const statement = source
    .prepare(`SELECT ${columns} FROM ${quoted(table.name)}${order}`)
    .raw(true)
    .safeIntegers(true);
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    yield row.map((value, index) => bindable(value, table.name, table.columns[index] ?? '?'));
  }
}

async function insertBatch(
  target: SqlDatabase,
  table: TableToCopy,
  rows: readonly SqlValue[][],
): Promise<void> {
  const placeholders = `(${table.columns.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${quoted(table.name)} (${table.columns.map(quoted).join(', ')}) VALUES ${rows
    .map(() => placeholders)
    .join(', ')}`;
  await target.run(sql, rows.flat());
}

/** Copies one table's rows; answers how many. */
async function copyTable(
  source: Database.Database,
  target: SqlDatabase,
  table: TableToCopy,
): Promise<number> {
  const rowsPerInsert = Math.min(
    ROWS_PER_INSERT_MAX,
    Math.floor(PARAMETERS_PER_STATEMENT_MAX / table.columns.length),
  );
  let batch: SqlValue[][] = [];
  let copied = 0;
  for (const row of readRows(source, table)) {
    batch.push(row);
    if (batch.length === rowsPerInsert) {
      await insertBatch(target, table, batch);
      copied += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await insertBatch(target, table, batch);
  copied += batch.length;
  if (table.identityColumn) {
    // Copied ids were given explicitly; the identity must hand out the next one after them.
    const column = quoted(table.identityColumn);
    await target.get(
      `SELECT setval(pg_get_serial_sequence(CAST(? AS TEXT), CAST(? AS TEXT)), COALESCE(MAX(${column}), 0) + 1, false) AS next FROM ${quoted(table.name)}`,
      [quoted(table.name), table.identityColumn],
    );
  }
  return copied;
}

/** Rows copied per table, in copy order. */
export type CopiedTables = { table: string; rows: number }[];

/**
 * Copies every table of a `kind` database from `source` into the schema behind `target`, in one
 * transaction. With `replace`, what the schema held is deleted first (children before parents), in
 * the same transaction, so a failure leaves the old contents.
 */
export async function copyDatabase(
  source: Database.Database,
  target: SqlDatabase,
  kind: DatabaseKind,
  options: { replace: boolean },
): Promise<CopiedTables> {
  const tables = tablesToCopy(kind);
  return target.transaction(async (transaction) => {
    if (options.replace) {
      for (const table of [...tables].reverse()) await transaction.run(`DELETE FROM ${quoted(table.name)}`);
    }
    const copied: CopiedTables = [];
    for (const table of tables)
      copied.push({ table: table.name, rows: await copyTable(source, transaction, table) });
    return copied;
  });
}

/** Whether any of the kind's tables in `target` holds a row. */
export async function holdsData(target: SqlDatabase, kind: DatabaseKind): Promise<string | null> {
  for (const table of tablesToCopy(kind)) {
    const row = await target.get(`SELECT 1 AS found FROM ${quoted(table.name)} LIMIT 1`);
    if (row) return table.name;
  }
  return null;
}
