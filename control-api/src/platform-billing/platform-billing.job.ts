// The platform billing job: monthly charges, tier re-evaluation and account states for every ISP.
// Each run is idempotent and catches up after downtime (see platform-billing/run.ts).
import { recordPhaseChanges } from '../features/analytics/store';
import type { ApiDependencies } from '../kernel/dependencies';
import { type PlatformBillingRunResult, runPlatformBilling } from './run';

export async function runPlatformBillingJob(
  dependencies: ApiDependencies,
): Promise<PlatformBillingRunResult> {
  const result = await runPlatformBilling(dependencies);
  // States and tiers the run changed become spans of the ISPs' history (platform analytics).
  await recordPhaseChanges(dependencies.databases.platform, dependencies.clock.now());
  return result;
}
