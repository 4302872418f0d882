// Which tables a database kind has and in what order to fill them: the drizzle definitions in
// schemas/src/tables (the one source of both dialects' tables), parents before the tables that
// reference them, so every foreign key holds at each insert.
import { platformTables, tenantTables } from '@kiunga/schemas';
import { getTableColumns, is } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

export type DatabaseKind = 'platform' | 'tenant';

export interface TableToCopy {
  readonly name: string;
  /** Column names in definition order. */
  readonly columns: readonly string[];
  /** Primary-key columns (a single-column key or the table's composite key). */
  readonly primaryKey: readonly string[];
  /** An integer primary key SQLite numbers by itself: a PostgreSQL identity whose sequence must follow. */
  readonly identityColumn: string | null;
}

function describeTable(table: SQLiteTable): TableToCopy {
  const config = getTableConfig(table);
  const columns = Object.values(getTableColumns(table)) as SQLiteColumn[];
  const singleKey = columns.filter((column) => column.primary).map((column) => column.name);
  const compositeKey = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const identity = columns.find((column) => column.primary && column.columnType === 'SQLiteInteger');
  return {
    name: config.name,
    columns: columns.map((column) => column.name),
    primaryKey: singleKey.length > 0 ? singleKey : compositeKey,
    identityColumn: identity?.name ?? null,
  };
}

/** Depth-first: a table comes after every table its foreign keys point to. */
function orderByForeignKeys(tables: readonly SQLiteTable[]): SQLiteTable[] {
  const ordered: SQLiteTable[] = [];
  const visiting = new Set<SQLiteTable>();
  const visit = (table: SQLiteTable) => {
    if (ordered.includes(table)) return;
    if (visiting.has(table)) throw new Error(`foreign keys form a cycle at ${getTableConfig(table).name}`);
    visiting.add(table);
    for (const key of getTableConfig(table).foreignKeys) {
      const parent = key.reference().foreignTable;
      if (parent !== table) visit(parent);
    }
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

const plans = new Map<DatabaseKind, TableToCopy[]>();

/** The tables of a platform or tenant database, parents first. */
export function tablesToCopy(kind: DatabaseKind): readonly TableToCopy[] {
  const cached = plans.get(kind);
  if (cached) return cached;
  const module: Record<string, unknown> = kind === 'platform' ? platformTables : tenantTables;
  const tables = Object.values(module).filter((value): value is SQLiteTable => is(value, SQLiteTable));
  const plan = orderByForeignKeys(tables).map(describeTable);
  plans.set(kind, plan);
  return plan;
}
