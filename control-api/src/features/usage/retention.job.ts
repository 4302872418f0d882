// Daily retention (issue 12): raw accounting_log rows older than the ISP's setting (default 90 days)
// once metered, meter states of sessions silent for a week, and Access-Request decisions older than
// 30 days. Rollups are kept.
import { type SqlDatabase, servedTenantIds } from '@kiunga/schemas';
import { DAY_MS } from '../../billing/core/calendar';
import type { ApiDependencies } from '../../kernel/dependencies';
import { deleteDecisionsBefore } from '../diagnostics/store';
import { SESSION_STATE_RETENTION_MS } from './core/index';
import { readUsageSettings } from './settings';
import { deleteMeteredAccountingBefore, deleteMeterStatesBefore, readMeterCursor } from './store';

/** 03:40 Nairobi, away from the billing run and the nightly backup. */
export const USAGE_RETENTION_CRON = '40 3 * * *';
/** How long Access-Request decisions are kept (issue 12: 30 days). */
export const DECISION_RETENTION_MS = 30 * DAY_MS;
/** Accounting rows deleted per statement: keeps one delete short while the AAA server writes. */
export const ACCOUNTING_DELETE_BATCH_MAX = 10_000;

export interface RetentionResult {
  accountingRows: number;
  meterStates: number;
  decisions: number;
}

export async function applyUsageRetention(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock'>,
): Promise<RetentionResult> {
  const total: RetentionResult = { accountingRows: 0, meterStates: 0, decisions: 0 };
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const result = await applyTenantRetention(
      dependencies.databases.forTenant(tenantId),
      dependencies.clock.now(),
    );
    total.accountingRows += result.accountingRows;
    total.meterStates += result.meterStates;
    total.decisions += result.decisions;
  }
  return total;
}

export async function applyTenantRetention(database: SqlDatabase, nowMs: number): Promise<RetentionResult> {
  const { accountingRetentionDays } = await readUsageSettings(database);
  const meteredUpToId = await readMeterCursor(database);
  const beforeMs = nowMs - accountingRetentionDays * DAY_MS;
  let accountingRows = 0;
  for (;;) {
    const deleted = await deleteMeteredAccountingBefore(
      database,
      beforeMs,
      meteredUpToId,
      ACCOUNTING_DELETE_BATCH_MAX,
    );
    accountingRows += deleted;
    if (deleted < ACCOUNTING_DELETE_BATCH_MAX) break;
  }
  return {
    accountingRows,
    meterStates: await deleteMeterStatesBefore(database, nowMs - SESSION_STATE_RETENTION_MS),
    decisions: await deleteDecisionsBefore(database, nowMs - DECISION_RETENTION_MS),
  };
}
