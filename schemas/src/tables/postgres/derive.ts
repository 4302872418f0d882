// Derives PostgreSQL table objects from the SQLite definitions, mechanically, so that one definition
// drives both dialects' migrations (drizzle-kit reads the results through drizzle.*.postgres.config.ts).
import { getTableColumns, is, type SQL } from 'drizzle-orm';
import {
  bigint,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  type PgColumnBuilderBase,
  type PgTable,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

/** PostgreSQL's byte string (drizzle's pg-core has no builder for it). */
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * SQLite column type → PostgreSQL column. Integers are BIGINT read as numbers (cents, ms timestamps
 * and octet counters outgrow INTEGER's 2^31); boolean-mode integers stay INTEGER 0/1, never boolean,
 * so the same SQL and values work on both.
 */
function columnBuilder(column: SQLiteColumn, tableName: string) {
  switch (column.columnType) {
    case 'SQLiteText':
    case 'SQLiteTextJson':
      return text(column.name);
    case 'SQLiteInteger':
      return bigint(column.name, { mode: 'number' });
    case 'SQLiteBoolean':
      return integer(column.name);
    case 'SQLiteBlobBuffer':
      return bytea(column.name);
    case 'SQLiteReal':
      return doublePrecision(column.name);
    default:
      throw new Error(
        `${tableName}.${column.name}: no PostgreSQL type for ${column.columnType} yet (add it in tables/postgres/derive.ts)`,
      );
  }
}

function defaultValue(column: SQLiteColumn): unknown {
  const value: unknown = column.default;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as string | number | SQL;
}

/** SQLite's INTEGER PRIMARY KEY numbers new rows by itself; PostgreSQL's equivalent is an identity. */
function isRowNumber(column: SQLiteColumn): boolean {
  return column.primary && column.columnType === 'SQLiteInteger';
}

function pgColumn(column: SQLiteColumn, tableName: string): PgColumnBuilderBase {
  const builder = columnBuilder(column, tableName);
  if (isRowNumber(column) && 'generatedByDefaultAsIdentity' in builder) {
    builder.primaryKey().generatedByDefaultAsIdentity();
    return builder;
  }
  if (column.primary) builder.primaryKey();
  else if (column.notNull) builder.notNull();
  if (column.hasDefault && column.default !== undefined) builder.default(defaultValue(column) as never);
  if (column.isUnique) builder.unique(column.uniqueName);
  return builder;
}

type PgColumns = Record<string, unknown>;

/** Indexes, composite keys, unique constraints and foreign keys, rebuilt over the PostgreSQL columns. */
function constraints(sqliteTable: SQLiteTable, derived: ReadonlyMap<SQLiteTable, PgTable>) {
  const config = getTableConfig(sqliteTable);
  return (table: PgColumns) => {
    const byName = new Map(Object.values(table).map((column) => [(column as { name: string }).name, column]));
    const columnsOf = (columns: readonly { name: string }[]) =>
      columns.map((column) => {
        const pgColumn = byName.get(column.name);
        if (!pgColumn) throw new Error(`${config.name}: no PostgreSQL column ${column.name}`);
        return pgColumn as never;
      });
    const indexes = config.indexes.map(({ config: definition }) => {
      const builder = (definition.unique ? uniqueIndex : index)(definition.name);
      const on = builder.on(...(columnsOf(definition.columns as { name: string }[]) as [never]));
      return definition.where ? on.where(definition.where) : on;
    });
    const primaryKeys = config.primaryKeys.map((key) =>
      primaryKey({ name: key.getName(), columns: columnsOf(key.columns) as [never] }),
    );
    const uniques = config.uniqueConstraints.map((constraint) =>
      unique(constraint.getName()).on(...(columnsOf(constraint.columns) as [never])),
    );
    const foreignKeys = config.foreignKeys.map((key) => {
      const reference = key.reference();
      const foreignTable = derived.get(reference.foreignTable);
      if (!foreignTable) throw new Error(`${config.name}: references a table outside this database`);
      const foreignColumns = getTableColumns(foreignTable);
      const byForeignName = new Map(Object.values(foreignColumns).map((column) => [column.name, column]));
      const built = foreignKey({
        name: key.getName(),
        columns: columnsOf(reference.columns) as [never],
        foreignColumns: reference.foreignColumns.map((column) => byForeignName.get(column.name)) as [never],
      });
      if (key.onDelete) built.onDelete(key.onDelete);
      if (key.onUpdate) built.onUpdate(key.onUpdate);
      return built;
    });
    return [...indexes, ...primaryKeys, ...uniques, ...foreignKeys];
  };
}

type SqliteTablesOf<Module> = {
  [Name in keyof Module as Module[Name] extends SQLiteTable ? Name : never]: PgTable;
};

/** Every SQLite table exported by `module`, as a PostgreSQL table under the same export name. */
export function derivePostgresTables<Module extends Record<string, unknown>>(
  module: Module,
): SqliteTablesOf<Module> {
  const derived = new Map<SQLiteTable, PgTable>();
  const result: Record<string, PgTable> = {};
  for (const [exportName, value] of Object.entries(module)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const columns: Record<string, PgColumnBuilderBase> = {};
    for (const [key, column] of Object.entries(getTableColumns(value))) {
      columns[key] = pgColumn(column as SQLiteColumn, config.name);
    }
    // The constraints callback runs when drizzle reads the table, after every table here exists.
    const table = pgTable(config.name, columns, constraints(value, derived) as never) as unknown as PgTable;
    derived.set(value, table);
    result[exportName] = table;
  }
  return result as SqliteTablesOf<Module>;
}
