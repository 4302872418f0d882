// Portable SQL text from a drizzle table definition: the select list with camelCase aliases, rows read
// back as drizzle's `$inferSelect` shape (boolean columns as booleans), INSERT and SET lists. Stores
// write their own SQL through SqlDatabase; this keeps them from spelling out every column by hand.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SqlDatabase, SqlValue } from './sql-database';

interface ColumnMapping {
  /** The property name in the row type (camelCase). */
  readonly key: string;
  /** The column name in SQL (snake_case). */
  readonly name: string;
  /** Stored as INTEGER 0/1 in both dialects, read as a boolean. */
  readonly isBoolean: boolean;
}

interface TableMapping {
  readonly name: string;
  readonly columns: readonly ColumnMapping[];
  readonly byKey: ReadonlyMap<string, ColumnMapping>;
  readonly booleanKeys: readonly string[];
}

const mappings = new WeakMap<SQLiteTable, TableMapping>();

function mappingOf(table: SQLiteTable): TableMapping {
  const cached = mappings.get(table);
  if (cached) return cached;
  const columns = Object.entries(getTableColumns(table)).map(
    ([key, column]): ColumnMapping => ({
      key,
      name: (column as SQLiteColumn).name,
      isBoolean: (column as SQLiteColumn).columnType === 'SQLiteBoolean',
    }),
  );
  const mapping: TableMapping = {
    name: getTableName(table),
    columns,
    byKey: new Map(columns.map((column) => [column.key, column])),
    booleanKeys: columns.filter((column) => column.isBoolean).map((column) => column.key),
  };
  mappings.set(table, mapping);
  return mapping;
}

/**
 * Every column of the table as `name AS "key"` (quoted: PostgreSQL folds an unquoted alias to lower
 * case), optionally qualified by a table alias used in the FROM clause.
 */
export function columnsOf(table: SQLiteTable, qualifier?: string): string {
  const prefix = qualifier ? `${qualifier}.` : '';
  return mappingOf(table)
    .columns.map((column) =>
      column.name === column.key ? `${prefix}${column.name}` : `${prefix}${column.name} AS "${column.key}"`,
    )
    .join(', ');
}

/** A row selected with columnsOf, as drizzle types it: boolean columns turned from 0/1 into booleans. */
export function rowOf<Table extends SQLiteTable>(table: Table, raw: unknown): Table['$inferSelect'] {
  const { booleanKeys } = mappingOf(table);
  if (booleanKeys.length === 0) return raw as Table['$inferSelect'];
  const row = { ...(raw as Record<string, unknown>) };
  for (const key of booleanKeys) {
    const value = row[key];
    if (value !== null && value !== undefined) row[key] = value === 1 || value === true;
  }
  return row as Table['$inferSelect'];
}

/** rowOf for each row. */
export function rowsOf<Table extends SQLiteTable>(
  table: Table,
  raw: readonly unknown[],
): Table['$inferSelect'][] {
  return raw.map((row) => rowOf(table, row));
}

function bindableValue(column: ColumnMapping, value: unknown): SqlValue {
  if (column.isBoolean && typeof value === 'boolean') return value ? 1 : 0;
  return value as SqlValue;
}

function definedEntries(table: SQLiteTable, values: Record<string, unknown>): [ColumnMapping, SqlValue][] {
  const { byKey, name } = mappingOf(table);
  const entries: [ColumnMapping, SqlValue][] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const column = byKey.get(key);
    if (!column) throw new Error(`${name} has no column for ${key}`);
    entries.push([column, bindableValue(column, value)]);
  }
  return entries;
}

export interface SqlStatement {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * `INSERT INTO table (columns) VALUES (?, …)` for the values given (an undefined value leaves its
 * column to its default). `suffix` adds e.g. `ON CONFLICT (code) DO NOTHING` or `RETURNING id`.
 */
export function insertOf<Table extends SQLiteTable>(
  table: Table,
  values: Partial<Table['$inferInsert']>,
  suffix = '',
): SqlStatement {
  const entries = definedEntries(table, values as Record<string, unknown>);
  const names = entries.map(([column]) => column.name).join(', ');
  const placeholders = entries.map(() => '?').join(', ');
  return {
    sql: `INSERT INTO ${mappingOf(table).name} (${names}) VALUES (${placeholders})${suffix ? ` ${suffix}` : ''}`,
    params: entries.map(([, value]) => value),
  };
}

/** `column = ?, …` for an UPDATE's SET, from the values given (undefined ones are left alone). */
export function assignmentsOf<Table extends SQLiteTable>(
  table: Table,
  values: Partial<Table['$inferInsert']>,
): SqlStatement {
  const entries = definedEntries(table, values as Record<string, unknown>);
  if (entries.length === 0) throw new Error(`an UPDATE of ${mappingOf(table).name} needs a value to set`);
  return {
    sql: entries.map(([column]) => `${column.name} = ?`).join(', '),
    params: entries.map(([, value]) => value),
  };
}

/** Runs an `INSERT … RETURNING id` and gives the id the database chose (an integer key). */
export async function insertReturningId(
  database: SqlDatabase,
  sql: string,
  params: readonly SqlValue[],
): Promise<number> {
  const row = await database.get<{ id: number }>(sql, params);
  if (row === undefined) throw new Error(`no id came back from: ${sql}`);
  return row.id;
}
