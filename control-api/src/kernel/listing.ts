// Keyset pagination over (created_at DESC, id DESC) and the WHERE parts the domain modules' list
// functions share, as portable SQL for SqlDatabase.
import { KiungaError, type SqlValue, UniqueViolationError } from '@kiunga/schemas';
import { decodeCursor, encodeCursor, type Page } from './pagination';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** One condition of a WHERE clause with the values of its placeholders. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

interface CreatedKey {
  createdAt: number;
  id: string;
}

function parseCreatedCursor(cursor: string | undefined): CreatedKey | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  const separator = text.indexOf('|');
  const createdAt = Number(text.slice(0, separator));
  if (separator < 1 || !Number.isSafeInteger(createdAt))
    throw new KiungaError('validation_failed', 'The cursor is not valid; start again without it.');
  return { createdAt, id: text.slice(separator + 1) };
}

/** Column names of a list's sort key (created_at and id unless a list sorts by another time). */
export interface SortColumns {
  createdAt: string;
  id: string;
}

const createdKeyColumns: SortColumns = { createdAt: 'created_at', id: 'id' };

/** The condition that continues after the cursor, or undefined on the first page. */
export function afterCursor(
  cursor: string | undefined,
  columns: SortColumns = createdKeyColumns,
): SqlCondition | undefined {
  const key = parseCreatedCursor(cursor);
  if (key === null) return undefined;
  return {
    sql: `(${columns.createdAt} < ? OR (${columns.createdAt} = ? AND ${columns.id} < ?))`,
    params: [key.createdAt, key.createdAt, key.id],
  };
}

export function newestFirst(columns: SortColumns = createdKeyColumns): string {
  return `${columns.createdAt} DESC, ${columns.id} DESC`;
}

/** `column = ?` when a filter value is given. */
export function equals(column: string, value: SqlValue | undefined): SqlCondition | undefined {
  return value === undefined ? undefined : { sql: `${column} = ?`, params: [value] };
}

/**
 * ` WHERE a AND b …` of the conditions given (undefined ones left out), or '' when none is; and the
 * values of their placeholders in order.
 */
export function whereAll(conditions: ReadonlyArray<SqlCondition | undefined>): SqlCondition {
  const present = conditions.filter((condition): condition is SqlCondition => condition !== undefined);
  if (present.length === 0) return { sql: '', params: [] };
  return {
    sql: ` WHERE ${present.map((condition) => condition.sql).join(' AND ')}`,
    params: present.flatMap((condition) => condition.params),
  };
}

/** Given limit+1 rows in order, the page and the cursor of the next one. */
export function createdPageOf<Row extends CreatedKey, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    nextCursor: hasMore && last ? encodeCursor(`${last.createdAt}|${last.id}`) : null,
  };
}

/** LIKE pattern for a user's search text, with LIKE's own wildcards taken literally (escaped by `\`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * Any of the columns contains the text, ignoring case: `lower(x) LIKE lower(?)` because SQLite's LIKE
 * ignores ASCII case and PostgreSQL's does not; the escape character is named because SQLite has none
 * by default (PostgreSQL's is `\`).
 */
export function containsAnyOf(columns: readonly string[], text: string): SqlCondition {
  const pattern = containsPattern(text);
  return {
    sql: `(${columns.map((column) => `lower(${column}) LIKE lower(?) ESCAPE '\\'`).join(' OR ')})`,
    params: columns.map(() => pattern),
  };
}

/** True when the database refused a write because of a UNIQUE index or primary key. */
export function isUniqueViolation(error: unknown): error is UniqueViolationError {
  return error instanceof UniqueViolationError;
}

/**
 * The text that names the violated index: PostgreSQL reports the index (`subscribers_account_unique`),
 * SQLite only a message naming the columns (`UNIQUE constraint failed: subscribers.account_number`).
 */
export function violatedUniqueText(error: UniqueViolationError): string {
  return `${error.constraint ?? ''} ${error.message}`;
}
