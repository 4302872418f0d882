// The SQL-in-handlers check: flags `.prepare(` and SQL literals in features' api.ts/console.tsx and in
// routes/, not in stores, comments or English; passes known files (`pnpm run check:architecture` runs it on
// the repository).
import { describe, expect, it } from 'vitest';
import { checkSqlInHandlers, findSqlInSource } from './sql-in-handlers';

const FIXTURE_ROOT = 'ops/checks/fixtures/sql';

describe('the SQL-in-handlers check', () => {
  it('fails handler files with SQL, naming each line, and leaves stores, comments and prose alone', () => {
    const report = checkSqlInHandlers(FIXTURE_ROOT, []);
    expect(
      report.offenders.map(
        ({ file, findings }) => `${file}: ${findings.map((finding) => finding.line).join(',')}`,
      ),
    ).toEqual([
      'control-api/src/features/gadgets/api.ts: 5,5,6,7',
      'control-api/src/features/widgets/console.tsx: 2',
      'control-api/src/routes/legacy.ts: 2',
    ]);
  });

  it('passes a known file and names a known file that no longer has SQL', () => {
    const report = checkSqlInHandlers(FIXTURE_ROOT, [
      'control-api/src/features/gadgets/api.ts',
      'control-api/src/features/widgets/console.tsx',
      'control-api/src/routes/legacy.ts',
      'control-api/src/routes/clean.ts',
    ]);
    expect(report.offenders).toEqual([]);
    expect(report.cleanKnownFiles).toEqual(['control-api/src/routes/clean.ts']);
  });

  it('reads SQL in each form a statement takes', () => {
    const kinds = (text: string) =>
      findSqlInSource('probe.ts', text).map((finding) => finding.what.slice(0, 9));
    expect(kinds('db.prepare(query)')).toEqual(['.prepare(']);
    expect(kinds("const q = 'INSERT OR IGNORE INTO t (a) VALUES (?)';")).toEqual(['SQL: INSE']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the probe is source text holding a template literal.
    expect(kinds('const q = `SELECT a\n  FROM ${table}`;')).toEqual(['SQL: SELE']);
    expect(kinds("const q = 'UPDATE t SET a = 1';")).toEqual(['SQL: UPDA']);
    expect(kinds("const words = 'select one from the list, update the name and set it';")).toEqual([]);
  });
});
