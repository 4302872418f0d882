// Platform analytics for the operator: the account history and platform payments through the core.
import type { ApiDependencies } from '../../kernel/dependencies';
import { computePlatformAnalytics, type PlatformAnalytics } from './core';
import { ispAnalyticsFacts, platformPaymentFacts } from './store';

/** Payments are read from this far back: the longest window (36 months) plus a month's slack. */
const PAYMENTS_LOOKBACK_MS = 37 * 31 * 24 * 60 * 60 * 1000;

export async function platformAnalytics(
  dependencies: ApiDependencies,
  months: number,
): Promise<PlatformAnalytics> {
  const platform = dependencies.databases.platform;
  const nowMs = dependencies.clock.now();
  const [isps, payments] = await Promise.all([
    ispAnalyticsFacts(platform),
    platformPaymentFacts(platform, nowMs - PAYMENTS_LOOKBACK_MS),
  ]);
  return computePlatformAnalytics({ isps, payments, months, nowMs });
}
