// The platform billing run: for every ISP, catch up its monthly charges (tier re-evaluated each month
// from its revenue through Kiunga), then its account state. Idempotent: charge ids are fixed per
// (tenant, period, kind), and a second run on the same clock writes nothing new.

import { cents } from '@kiunga/schemas';
import { type Cycle, cycleContaining, nextCycle, previousCycle } from '../billing/core/cycles';
import {
  addNotice,
  auditSystem,
  billableTenants,
  billingStartMs,
  ensureAccount,
  type PlatformBillingDependencies,
  type TenantBillingRow,
} from './accounts';
import {
  evaluateTier,
  type PaidTier,
  type PlatformTier,
  platformCharges,
  platformCycleAnchor,
} from './core/index';
import { hasRegistrationCharge, recordCharge } from './ledger';
import { refreshAccount } from './state';

/** A run catches up at most this many months per ISP (three years of downtime); the next run does the rest. */
export const PERIODS_PER_RUN_MAX = 36;

export interface PlatformBillingRunResult {
  tenants: number;
  chargesCreated: number;
  tierChanges: number;
  stateChanges: number;
}

export async function runPlatformBilling(
  dependencies: PlatformBillingDependencies,
): Promise<PlatformBillingRunResult> {
  const nowMs = dependencies.clock.now();
  const result: PlatformBillingRunResult = { tenants: 0, chargesCreated: 0, tierChanges: 0, stateChanges: 0 };
  for (const tenant of await billableTenants(dependencies.databases.platform)) {
    result.tenants += 1;
    const billed = await billTenant(dependencies, tenant, nowMs);
    result.chargesCreated += billed.chargesCreated;
    result.tierChanges += billed.tierChanges;
    const refreshed = await refreshAccount(dependencies, tenant.id, nowMs);
    if (refreshed && refreshed.previous !== refreshed.status.state) result.stateChanges += 1;
  }
  return result;
}

/** One ISP's charges up to `nowMs`, as the run makes them (the run then refreshes its state). */
export async function billTenant(
  dependencies: PlatformBillingDependencies,
  tenant: TenantBillingRow,
  nowMs: number,
): Promise<{ chargesCreated: number; tierChanges: number }> {
  const platform = dependencies.databases.platform;
  const account = await ensureAccount(platform, tenant, nowMs);
  const startMs = billingStartMs(tenant);
  if (nowMs < startMs) return { chargesCreated: 0, tierChanges: 0 };
  const anchor = platformCycleAnchor(startMs);
  const firstPeriod = cycleContaining(anchor, startMs);
  let tier = tenant.tier as PlatformTier;
  let evaluatedKey = account.tierEvaluatedPeriod;
  let chargesCreated = 0;
  let tierChanges = 0;
  let period: Cycle = firstPeriod;
  for (let index = 0; index < PERIODS_PER_RUN_MAX && period.startMs <= nowMs; index += 1) {
    const isFirst = period.key === firstPeriod.key;
    if (!isFirst && (evaluatedKey === null || evaluatedKey < period.key)) {
      const changed = await reevaluateTier(
        dependencies,
        tenant,
        account.optedTier2 === 1,
        tier,
        period,
        nowMs,
      );
      if (changed !== tier) tierChanges += 1;
      tier = changed;
      evaluatedKey = period.key;
    }
    const paidTier: PaidTier = tier === 'trial' ? 'tier1' : tier;
    const charges = platformCharges(
      {
        id: tenant.id,
        trialEndsAtMs: startMs,
        tier: paidTier,
        isRegistrationFeeCharged: await hasRegistrationCharge(platform, tenant.id),
      },
      period,
    );
    for (const charge of charges) {
      if (await recordCharge(platform, tenant.id, charge, { periodKey: period.key, tier: paidTier }, nowMs))
        chargesCreated += 1;
    }
    period = nextCycle(anchor, period);
  }
  return { chargesCreated, tierChanges };
}

/** Last month's revenue decides this month's tier; the change is stored with a notice and an audit entry. */
async function reevaluateTier(
  dependencies: PlatformBillingDependencies,
  tenant: TenantBillingRow,
  isOptedTier2: boolean,
  currentTier: PlatformTier,
  period: Cycle,
  nowMs: number,
): Promise<PlatformTier> {
  const anchor = platformCycleAnchor(billingStartMs(tenant));
  const previous = previousCycle(anchor, period);
  const revenue = await monthRevenueCents(dependencies, tenant.id, previous);
  const { tier, notice } = evaluateTier(cents(revenue), currentTier, isOptedTier2);
  await dependencies.databases.platform.transaction(async (transaction) => {
    await transaction.run(
      'UPDATE platform_accounts SET tier_evaluated_period = ?, updated_at = ? WHERE tenant_id = ?',
      [period.key, nowMs, tenant.id],
    );
    if (!notice) return;
    // A Tier 1 ISP keeps one feature set; one that never chose (it was on Tier 2) starts with Hotspot.
    const choice = tier === 'tier1' ? (tenant.featureChoice ?? 'hotspot') : tenant.featureChoice;
    await transaction.run('UPDATE tenants SET tier = ?, feature_choice = ?, updated_at = ? WHERE id = ?', [
      tier,
      choice,
      nowMs,
      tenant.id,
    ]);
    await addNotice(
      transaction,
      tenant.id,
      { kind: `tier_${notice.reason}`, message: notice.message },
      nowMs,
    );
    await auditSystem(transaction, dependencies.clock.now(), {
      tenantId: tenant.id,
      action: 'platform_billing.tier_change',
      target: tenant.id,
      detail: {
        from: notice.from,
        to: notice.to,
        reason: notice.reason,
        revenueCents: revenue,
        period: previous.key,
      },
    });
  });
  return tier;
}

/** The ISP's takings through Kiunga in a period: every payment its shard recorded then. */
export async function monthRevenueCents(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  period: Cycle,
): Promise<number> {
  if (!(await dependencies.databases.hasTenant(tenantId))) return 0;
  const row = await dependencies.databases
    .forTenant(tenantId)
    .get<{ total: number }>(
      'SELECT COALESCE(SUM(amount_cents), 0) AS total FROM payments WHERE received_at >= ? AND received_at < ?',
      [period.startMs, period.endMs],
    );
  return row?.total ?? 0;
}
