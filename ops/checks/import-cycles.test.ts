// The import-cycle check: finds a cycle (through a type-only import too) once, whichever module it is
// reached from, and fails on any cycle at all (no allow-list; `pnpm run check:architecture` runs it).
import { describe, expect, it } from 'vitest';
import { canonicalCycle, findImportCycles, importCycleProblems } from './import-cycles';

const FIXTURE = 'ops/checks/fixtures/cycles';
const FIXTURE_CYCLE = `${FIXTURE}/first.ts -> ${FIXTURE}/second.ts -> ${FIXTURE}/third.ts -> ${FIXTURE}/first.ts`;

describe('the import-cycle check', () => {
  it('finds the fixture cycle once, closed by a type-only import, and not the module that only imports it', async () => {
    expect(await findImportCycles([FIXTURE])).toEqual([FIXTURE_CYCLE]);
  });

  it('fails on a new cycle: every cycle found is a problem, none is allowed', async () => {
    const problems = importCycleProblems(await findImportCycles([FIXTURE]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(FIXTURE_CYCLE);
  });

  it('passes when no cycle is found', () => {
    expect(importCycleProblems([])).toEqual([]);
  });

  it('writes a cycle alike from whichever module it was found', () => {
    expect(canonicalCycle(['c.ts', 'a.ts', 'b.ts', 'c.ts'])).toBe('a.ts -> b.ts -> c.ts -> a.ts');
    expect(canonicalCycle(['b.ts', 'c.ts', 'a.ts'])).toBe('a.ts -> b.ts -> c.ts -> a.ts');
  });
});
