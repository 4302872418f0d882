// Cursor pagination shared by every list: `?limit=&cursor=` in, `{items, nextCursor}` out.
import { KiungaError } from '@kiunga/schemas';
import { z } from 'zod';

export const PAGE_LIMIT_DEFAULT = 50;
/** Keeps one page's query and JSON small enough for a cheap phone on a slow link. */
export const PAGE_LIMIT_MAX = 200;

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z.string().max(200).optional(),
});

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the last item's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Given limit+1 rows fetched in sort order, returns the page and the cursor of the next one. */
export function pageOf<Item>(rows: Item[], limit: number, keyOf: (item: Item) => string): Page<Item> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The key of a newest-first list's cursor: `<time ms>|<id>`. */
export function timeCursorKey(atMs: number, id: string | number): string {
  return `${atMs}|${id}`;
}

/** Reads a `<time ms>|<id>` cursor (see timeCursorKey); null without one, a validation error when forged. */
export function decodeTimeCursor(cursor: string | undefined): { atMs: number; id: string } | null {
  const text = decodeCursor(cursor);
  if (text === null) return null;
  const separator = text.indexOf('|');
  const atMs = Number(text.slice(0, separator));
  if (separator < 1 || !Number.isSafeInteger(atMs)) {
    throw new KiungaError('validation_failed', 'The cursor is not valid; start again without it.');
  }
  return { atMs, id: text.slice(separator + 1) };
}
