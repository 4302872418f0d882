// Rewrites the portable `?` placeholders to PostgreSQL's $1, $2 … wherever they are placeholders:
// not inside string literals, quoted identifiers, dollar-quoted strings or comments.
// Lexical rules from the PostgreSQL 15 manual, "4.1. Lexical Structure": 4.1.2.1 string constants
// ('' doubles a quote), 4.1.2.2 E'' escape strings (backslash escapes), 4.1.2.4 dollar-quoted
// strings ($tag$ … $tag$, tag = identifier without $), 4.1.1 quoted identifiers ("" doubles a
// quote), 4.1.5 comments (-- to end of line; /* */ nesting).

/** Rewritten texts kept; a code base has hundreds of statements, SQL built at run time must not grow it. */
export const PLACEHOLDER_REWRITES_CACHED_MAX = 2_000;

export interface RewrittenSql {
  text: string;
  placeholderCount: number;
}

const cache = new Map<string, RewrittenSql>();

/** The statement with `?` → `$n`, cached per SQL text. */
export function rewritePlaceholders(sql: string): RewrittenSql {
  const cached = cache.get(sql);
  if (cached) return cached;
  const rewritten = rewrite(sql);
  if (cache.size >= PLACEHOLDER_REWRITES_CACHED_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(sql, rewritten);
  return rewritten;
}

function rewrite(sql: string): RewrittenSql {
  let text = '';
  let placeholderCount = 0;
  let index = 0;
  while (index < sql.length) {
    const end = endOfQuotedOrComment(sql, index);
    if (end > index) {
      text += sql.slice(index, end);
      index = end;
      continue;
    }
    const character = sql[index];
    if (character === '?') {
      placeholderCount++;
      text += `$${placeholderCount}`;
    } else {
      text += character;
    }
    index++;
  }
  return { text, placeholderCount };
}

/** When a literal, quoted identifier or comment starts at `start`, the index just past it; else `start`. */
function endOfQuotedOrComment(sql: string, start: number): number {
  const character = sql[start];
  const next = sql[start + 1];
  if (character === "'") {
    const isEscapeString =
      start > 0 && /[eE]/.test(sql[start - 1] ?? '') && !isIdentifierPart(sql[start - 2]);
    return endOfQuoted(sql, start, "'", isEscapeString);
  }
  if (character === '"') return endOfQuoted(sql, start, '"', false);
  if (character === '-' && next === '-') {
    const newline = sql.indexOf('\n', start);
    return newline === -1 ? sql.length : newline + 1;
  }
  if (character === '/' && next === '*') return endOfBlockComment(sql, start);
  if (character === '$' && !isIdentifierPart(sql[start - 1])) return endOfDollarQuoted(sql, start);
  return start;
}

function isIdentifierPart(character: string | undefined): boolean {
  return character !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(character);
}

/** A doubled quote stands for one; in an E'' string a backslash escapes the next character. */
function endOfQuoted(sql: string, start: number, quote: string, hasBackslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const character = sql[index];
    if (hasBackslashEscapes && character === '\\') {
      index += 2;
      continue;
    }
    if (character === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index++;
  }
  throw new Error(`unterminated ${quote} quote in SQL: ${sql}`);
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql[index] === '/' && sql[index + 1] === '*') {
      depth++;
      index += 2;
    } else if (sql[index] === '*' && sql[index + 1] === '/') {
      depth--;
      index += 2;
      if (depth === 0) return index;
    } else {
      index++;
    }
  }
  throw new Error(`unterminated /* comment in SQL: ${sql}`);
}

/** `$tag$ … $tag$`; a `$` that does not open such a tag (e.g. `$1`) is left to the caller. */
function endOfDollarQuoted(sql: string, start: number): number {
  const opening = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(start));
  if (!opening) return start;
  const tag = opening[0];
  const closing = sql.indexOf(tag, start + tag.length);
  if (closing === -1) throw new Error(`unterminated ${tag} string in SQL: ${sql}`);
  return closing + tag.length;
}
