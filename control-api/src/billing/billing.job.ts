// The daily billing job over every ISP: invoices owed now (catching up missed cycles), reminders,
// suspensions and reactivations. Idempotent: a second run, or a run on a second node, finds the
// invoices and dunning keys already there and changes nothing more.

import { servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../kernel/dependencies';
import { runTenantBilling, type TenantBillingReport } from './automation';

/** 00:05 in Nairobi, after the cycle boundary at local midnight. */
export const BILLING_CRON = '5 0 * * *';
export const BILLING_TIME_ZONE = 'Africa/Nairobi';

export interface BillingJobReport {
  tenants: number;
  invoices: number;
  reminders: number;
  suspensions: number;
  reactivations: number;
  failedTenants: string[];
}

type JobDependencies = Pick<ApiDependencies, 'databases' | 'aaa' | 'clock' | 'logger'>;

export async function runBillingJobs(dependencies: JobDependencies): Promise<BillingJobReport> {
  const tenantIds = await servedTenantIds(dependencies.databases.platform);
  const report: BillingJobReport = {
    tenants: 0,
    invoices: 0,
    reminders: 0,
    suspensions: 0,
    reactivations: 0,
    failedTenants: [],
  };
  for (const tenantId of tenantIds) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    let tenantReport: TenantBillingReport;
    try {
      tenantReport = await runTenantBilling(dependencies, tenantId);
    } catch (error) {
      // One ISP's broken data must not stop everyone else's billing.
      dependencies.logger.error({ err: error, tenantId }, 'billing run failed for tenant');
      report.failedTenants.push(tenantId);
      continue;
    }
    report.tenants++;
    report.invoices += tenantReport.invoiceRun.invoices;
    report.reminders += tenantReport.reminders;
    report.suspensions += tenantReport.suspensions;
    report.reactivations += tenantReport.reactivations;
  }
  return report;
}
