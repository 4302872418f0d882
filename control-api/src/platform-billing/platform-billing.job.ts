// The platform billing job: monthly charges, tier re-evaluation and account states for every ISP.
// Each run is idempotent and catches up after downtime (see platform-billing/run.ts).
import type { ApiDependencies } from '../kernel/dependencies';
import { type PlatformBillingRunResult, runPlatformBilling } from './run';

export async function runPlatformBillingJob(
  dependencies: ApiDependencies,
): Promise<PlatformBillingRunResult> {
  return runPlatformBilling(dependencies);
}
