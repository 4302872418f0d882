// Keyset pagination over (created_at DESC, id DESC), shared by the domain modules' list functions.
import { KiungaError } from '@kiunga/schemas';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { decodeCursor, encodeCursor, type Page } from '../pagination';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
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

/** The WHERE part that continues after the cursor, or undefined on the first page. */
export function afterCursor(
  columns: { createdAt: SQLiteColumn; id: SQLiteColumn },
  cursor: string | undefined,
): SQL | undefined {
  const key = parseCreatedCursor(cursor);
  if (key === null) return undefined;
  return or(
    lt(columns.createdAt, key.createdAt),
    and(eq(columns.createdAt, key.createdAt), lt(columns.id, key.id)),
  );
}

export function newestFirst(columns: { createdAt: SQLiteColumn; id: SQLiteColumn }): SQL[] {
  return [desc(columns.createdAt), desc(columns.id)];
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

/** LIKE pattern for a user's search text, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** True when SQLite refused a write because of a UNIQUE index. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
