// Architecture check: no import cycles (type-only imports count) in the packages' sources, found with
// dependency-cruiser; the cycles that exist today are listed below and fail nothing, any other does.
import { cruise, type IViolation } from 'dependency-cruiser';
import extractTypeScriptConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** What `pnpm run check` cruises (and whatever these import inside the repository, such as ops/sim). */
export const CHECKED_SOURCE_ROOTS = ['control-api/src', 'aaa-server/src', 'schemas/src', 'ops/src'];

/**
 * Known cycles to remove in the reshape (issue 10), each as "a -> b -> a" starting from its smallest
 * module name. Remove a line when its cycle is gone; never add one: break the new cycle instead.
 */
export const KNOWN_CYCLES: readonly string[] = [
  // kernel/metrics.ts takes the ControlApiOptions type from app.ts, which mounts it.
  'control-api/src/app.ts -> control-api/src/kernel/metrics.ts -> control-api/src/app.ts',
  // payment-sections.tsx takes the PortalPlan type from page.tsx, which renders the sections.
  'control-api/src/portal/page.tsx -> control-api/src/portal/payment-sections.tsx -> control-api/src/portal/page.tsx',
  // c2b.ts and stk.ts take the simulator's context types from daraja-simulator.ts, which calls them.
  'ops/sim/daraja/c2b.ts -> ops/sim/daraja/daraja-simulator.ts -> ops/sim/daraja/c2b.ts',
  'ops/sim/daraja/daraja-simulator.ts -> ops/sim/daraja/stk.ts -> ops/sim/daraja/daraja-simulator.ts',
];

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

export interface CycleReport {
  /** Cycles not in the known list: each fails the check. */
  newCycles: string[];
  /** Known cycles no longer found: their lines should go. */
  goneCycles: string[];
}

export function compareCycles(found: readonly string[], known: readonly string[]): CycleReport {
  return {
    newCycles: found.filter((cycle) => !known.includes(cycle)),
    goneCycles: known.filter((cycle) => !found.includes(cycle)),
  };
}
