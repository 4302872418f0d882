// The import-cycle check: finds a cycle (through a type-only import too) once, whichever module it is
// reached from, passes a known one and fails a new one (`pnpm run check:architecture` runs it on the packages).
import { describe, expect, it } from 'vitest';
import { canonicalCycle, compareCycles, findImportCycles, KNOWN_CYCLES } from './import-cycles';

const FIXTURE = 'ops/checks/fixtures/cycles';
const FIXTURE_CYCLE = `${FIXTURE}/first.ts -> ${FIXTURE}/second.ts -> ${FIXTURE}/third.ts -> ${FIXTURE}/first.ts`;

describe('the import-cycle check', () => {
  it('finds the fixture cycle once, closed by a type-only import, and not the module that only imports it', async () => {
    expect(await findImportCycles([FIXTURE])).toEqual([FIXTURE_CYCLE]);
  });

  it('fails a cycle that is not on the known list, and passes one that is', async () => {
    const found = await findImportCycles([FIXTURE]);
    expect(compareCycles(found, KNOWN_CYCLES).newCycles).toEqual([FIXTURE_CYCLE]);
    expect(compareCycles(found, [...KNOWN_CYCLES, FIXTURE_CYCLE]).newCycles).toEqual([]);
  });

  it('names a known cycle that is gone, so its line is removed', () => {
    expect(compareCycles([], ['a.ts -> b.ts -> a.ts'])).toEqual({
      newCycles: [],
      goneCycles: ['a.ts -> b.ts -> a.ts'],
    });
  });

  it('writes a cycle alike from whichever module it was found', () => {
    expect(canonicalCycle(['c.ts', 'a.ts', 'b.ts', 'c.ts'])).toBe('a.ts -> b.ts -> c.ts -> a.ts');
    expect(canonicalCycle(['b.ts', 'c.ts', 'a.ts'])).toBe('a.ts -> b.ts -> c.ts -> a.ts');
  });
});
