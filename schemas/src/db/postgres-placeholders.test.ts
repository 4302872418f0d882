// `?` → `$n` only where `?` is a placeholder (PostgreSQL 15 manual, 4.1 Lexical Structure).
import { describe, expect, it } from 'vitest';
import { rewritePlaceholders } from './postgres-placeholders';

describe('rewritePlaceholders', () => {
  it('numbers placeholders in order', () => {
    expect(rewritePlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toEqual({
      text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
      placeholderCount: 3,
    });
  });

  it('leaves string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT 'a?''?', "b?""?", x -- c?\n FROM t /* d? /* nested? */ e? */ WHERE y = ?`;
    expect(rewritePlaceholders(sql)).toEqual({ text: sql.replace('y = ?', 'y = $1'), placeholderCount: 1 });
  });

  it('honours backslash escapes in E strings only', () => {
    expect(rewritePlaceholders(`SELECT E'\\'?', ?`).text).toBe(`SELECT E'\\'?', $1`);
    expect(rewritePlaceholders(`SELECT '\\', ?`).text).toBe(`SELECT '\\', $1`);
    expect(rewritePlaceholders(`SELECT name'?', ?`).text).toBe(`SELECT name'?', $1`);
  });

  it('skips dollar-quoted bodies but not positional-looking dollars', () => {
    expect(rewritePlaceholders('SELECT $tag$ ? $inner$ ? $tag$, $$?$$, ?').text).toBe(
      'SELECT $tag$ ? $inner$ ? $tag$, $$?$$, $1',
    );
  });

  it('refuses SQL whose quotes or comments never close', () => {
    expect(() => rewritePlaceholders(`SELECT 'open ?`)).toThrow(/unterminated/);
    expect(() => rewritePlaceholders('SELECT 1 /* open')).toThrow(/unterminated/);
  });
});
