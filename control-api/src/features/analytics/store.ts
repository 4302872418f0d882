// The platform's account history for analytics: one row per change of an ISP's phase or tier
// (tenant_phase_changes), written when the current state differs from the last row, and the
// platform payments received.
import { newId, type SqlDatabase } from '@kiunga/schemas';
import type { IspAnalyticsFacts, PlatformAccountPhase, PlatformPaymentFact } from './core';

/** An ISP's phase now: the operator's suspend/archive first, then the platform account's state. */
const CURRENT_PHASE_SQL = `CASE WHEN tenants.status IN ('suspended', 'archived') THEN tenants.status
       WHEN platform_accounts.state IS NOT NULL THEN platform_accounts.state
       WHEN tenants.status = 'trial' THEN 'trial' ELSE 'active' END`;

/**
 * Adds a phase change for every ISP (or the one given) whose phase or tier now differs from its last
 * recorded one; idempotent, so it is called after anything that may change them (the platform
 * billing run, the operator's lifecycle actions, a new ISP). Returns how many changes were recorded.
 */
export async function recordPhaseChanges(
  platform: SqlDatabase,
  nowMs: number,
  tenantId?: string,
): Promise<number> {
  const rows = await platform.all<{ tenantId: string; phase: string; tier: string }>(
    `SELECT tenants.id AS "tenantId", ${CURRENT_PHASE_SQL} AS phase, tenants.tier AS tier
       FROM tenants LEFT JOIN platform_accounts ON platform_accounts.tenant_id = tenants.id
      WHERE (CAST(? AS TEXT) IS NULL OR tenants.id = ?)
        AND NOT EXISTS (
          SELECT 1 FROM tenant_phase_changes AS last
           WHERE last.tenant_id = tenants.id AND last.phase = ${CURRENT_PHASE_SQL} AND last.tier = tenants.tier
             AND last.at = (SELECT MAX(latest.at) FROM tenant_phase_changes AS latest WHERE latest.tenant_id = tenants.id))`,
    [tenantId ?? null, tenantId ?? null],
  );
  for (const row of rows) {
    await platform.run(
      'INSERT INTO tenant_phase_changes (id, tenant_id, at, phase, tier) VALUES (?, ?, ?, ?, ?)',
      [newId('phaseChange'), row.tenantId, nowMs, row.phase, row.tier],
    );
  }
  return rows.length;
}

/** Every ISP with its spans, oldest first (a span lasts until the next). */
export async function ispAnalyticsFacts(platform: SqlDatabase): Promise<IspAnalyticsFacts[]> {
  const tenants = await platform.all<{ tenantId: string; createdAt: number; trialEndsAt: number | null }>(
    'SELECT id AS "tenantId", created_at AS "createdAt", trial_ends_at AS "trialEndsAt" FROM tenants ORDER BY id',
  );
  const changes = await platform.all<{
    tenantId: string;
    at: number;
    phase: PlatformAccountPhase;
    tier: string;
  }>('SELECT tenant_id AS "tenantId", at, phase, tier FROM tenant_phase_changes ORDER BY tenant_id, at, id');
  const spansOf = new Map<string, IspAnalyticsFacts['spans'][number][]>();
  for (const change of changes) {
    const spans = spansOf.get(change.tenantId) ?? [];
    spans.push({ fromMs: change.at, phase: change.phase, tier: change.tier as 'trial' | 'tier1' | 'tier2' });
    spansOf.set(change.tenantId, spans);
  }
  return tenants.map((tenant) => ({
    tenantId: tenant.tenantId,
    signedUpAtMs: tenant.createdAt,
    // An ISP created without a trial never had one to convert from: 0 keeps it out of every window.
    trialEndsAtMs: tenant.trialEndsAt ?? 0,
    spans: spansOf.get(tenant.tenantId) ?? [],
  }));
}

/** Matched platform payments received from `fromMs` on. */
export function platformPaymentFacts(platform: SqlDatabase, fromMs: number): Promise<PlatformPaymentFact[]> {
  return platform.all<PlatformPaymentFact>(
    `SELECT tenant_id AS "tenantId", received_at AS "receivedAtMs", amount_cents AS "amountCents"
       FROM platform_payments WHERE status = 'matched' AND tenant_id IS NOT NULL AND received_at >= ?`,
    [fromMs],
  );
}
