// Nightly accounting sync (issue 14): for every ISP with a connected QuickBooks Online or Xero, one run
// of the ledger since the connection start (the sync log makes it create only what is new). A
// connection that needs reconnecting is left alone until the ISP connects again.
import { servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { runSync } from './service';
import { listConnections } from './store';

/** 02:15 Nairobi: after the day's payments, before the 03:00 billing run posts the next invoices. */
export const ACCOUNTING_SYNC_CRON = '15 2 * * *';

export interface AccountingSyncJobReport {
  runs: number;
  created: number;
  failed: number;
  /** Runs skipped because another run held the connection, or it needs reconnecting. */
  skipped: number;
}

export async function runAccountingSyncJob(dependencies: ApiDependencies): Promise<AccountingSyncJobReport> {
  const report: AccountingSyncJobReport = { runs: 0, created: 0, failed: 0, skipped: 0 };
  if (!dependencies.accounting) return report;
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    for (const connection of await listConnections(dependencies.databases.forTenant(tenantId))) {
      if (connection.status !== 'connected' || !dependencies.accounting[connection.vendor]) {
        report.skipped++;
        continue;
      }
      try {
        const outcome = await runSync(dependencies, tenantId, connection.vendor);
        if (outcome === null) {
          report.skipped++;
          continue;
        }
        report.runs++;
        report.created += outcome.created;
        report.failed += outcome.failed;
      } catch (error) {
        // One ISP's failing vendor never stops the others' syncs; the log and the console show it.
        dependencies.logger.warn(
          { err: error, tenantId, vendor: connection.vendor },
          'accounting sync run failed',
        );
        report.failed++;
      }
    }
  }
  return report;
}
