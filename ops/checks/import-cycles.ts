// Architecture check: no import cycles (type-only imports count) in the packages' sources, found with
// dependency-cruiser. There is no allow-list: every cycle fails; break it by moving the shared piece down.
import { cruise, type IViolation } from 'dependency-cruiser';
import extractTypeScriptConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** What `pnpm run check` cruises (and whatever these import inside the repository, such as ops/sim). */
export const CHECKED_SOURCE_ROOTS = ['control-api/src', 'aaa-server/src', 'schemas/src', 'ops/src'];

/** A cycle written from its smallest module, so the same cycle found from any of its edges reads alike. */
export function canonicalCycle(modules: readonly string[]): string {
  const ring = modules[0] === modules[modules.length - 1] ? modules.slice(0, -1) : [...modules];
  const start = ring.indexOf([...ring].sort()[0] ?? '');
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0]].join(' -> ');
}

function cycleOf(violation: IViolation): string {
  const path = (violation.cycle ?? []).map((step) => step.name);
  return canonicalCycle([violation.from, ...path]);
}

/** Every distinct import cycle among the modules reachable from `roots` (paths relative to the cwd). */
export async function findImportCycles(
  roots: readonly string[],
  tsConfigPath = 'tsconfig.json',
): Promise<string[]> {
  const result = await cruise(
    [...roots],
    {
      tsPreCompilationDeps: true,
      exclude: { path: ['node_modules', '\\.test\\.tsx?$'] },
      doNotFollow: { path: ['node_modules'] },
      ruleSet: { forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }] },
      validate: true,
    },
    { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
    { tsConfig: extractTypeScriptConfig(tsConfigPath) },
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text, not a result');
  const cycles = result.output.summary.violations
    .filter((violation) => violation.rule.name === 'no-circular')
    .map(cycleOf);
  return [...new Set(cycles)].sort();
}

/** What the check says about each cycle found: any one fails `pnpm run check:architecture`. */
export function importCycleProblems(found: readonly string[]): string[] {
  return found.map(
    (cycle) => `import cycle (move what both modules share into a module below them): ${cycle}`,
  );
}
