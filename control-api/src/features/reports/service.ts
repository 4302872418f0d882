// The ISP reports: each built by the reports core from what the store reads, and rendered as JSON,
// CSV or a printable PDF.

import type { ApiDependencies } from '../../kernel/dependencies';
import type { TimeRange } from '../../kernel/time-range';
import {
  type ActivityReport,
  activityReportCsv,
  activityReportPdf,
  buildActivityReport,
  buildNetworkReport,
  buildSalesReport,
  type NetworkReport,
  networkReportCsv,
  networkReportPdf,
  type ReportNames,
  type SalesReport,
  salesReportCsv,
  salesReportPdf,
} from './core';
import {
  accessDecisionsOf,
  nasQuietPeriodsOf,
  nasTrafficOf,
  planNamesOf,
  salesRecordsOf,
  sessionIntervalsOf,
} from './store';

export const REPORT_KINDS = ['sales', 'activity', 'network'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

type ReportOf<Kind extends ReportKind> = Kind extends 'sales'
  ? SalesReport
  : Kind extends 'activity'
    ? ActivityReport
    : NetworkReport;

export async function salesReport(dependencies: ApiDependencies, tenantId: string, range: TimeRange) {
  return buildSalesReport(await salesRecordsOf(dependencies.databases.forTenant(tenantId), range), range);
}

export async function activityReport(dependencies: ApiDependencies, tenantId: string, range: TimeRange) {
  const database = dependencies.databases.forTenant(tenantId);
  const [decisions, sessions] = await Promise.all([
    accessDecisionsOf(database, range),
    sessionIntervalsOf(database, range),
  ]);
  return buildActivityReport(decisions, sessions, range);
}

export async function networkReport(dependencies: ApiDependencies, tenantId: string, range: TimeRange) {
  const [nasList, traffic] = await Promise.all([
    nasQuietPeriodsOf(dependencies.databases.platform, tenantId, range),
    nasTrafficOf(dependencies.databases.forTenant(tenantId), range),
  ]);
  return buildNetworkReport(
    nasList.map((nas) => ({
      inputOctets: 0,
      outputOctets: 0,
      sessionSeconds: 0,
      sessionsStarted: 0,
      ...traffic.get(nas.nasId),
      ...nas,
    })),
    range,
  );
}

const BUILDERS: { [Kind in ReportKind]: typeof salesReport | typeof activityReport | typeof networkReport } =
  {
    sales: salesReport,
    activity: activityReport,
    network: networkReport,
  };

export async function buildReport<Kind extends ReportKind>(
  dependencies: ApiDependencies,
  tenantId: string,
  kind: Kind,
  range: TimeRange,
): Promise<ReportOf<Kind>> {
  return (await BUILDERS[kind](dependencies, tenantId, range)) as ReportOf<Kind>;
}

/** The ISP's name and its plans' names, for the documents a person reads. */
export async function reportNamesOf(dependencies: ApiDependencies, tenantId: string): Promise<ReportNames> {
  const tenant = await dependencies.databases.platform.get<{ name: string }>(
    'SELECT name FROM tenants WHERE id = ?',
    [tenantId],
  );
  return {
    ispName: tenant?.name ?? '',
    planNames: await planNamesOf(dependencies.databases.forTenant(tenantId)),
  };
}

export function reportCsv(kind: ReportKind, report: ReportOf<ReportKind>, names: ReportNames): string {
  if (kind === 'sales') return salesReportCsv(report as SalesReport, names);
  if (kind === 'activity') return activityReportCsv(report as ActivityReport);
  return networkReportCsv(report as NetworkReport);
}

export function reportPdf(
  kind: ReportKind,
  report: ReportOf<ReportKind>,
  names: ReportNames,
  range: TimeRange,
): Promise<Buffer> {
  if (kind === 'sales') return salesReportPdf(report as SalesReport, names, range);
  if (kind === 'activity') return activityReportPdf(report as ActivityReport, names, range);
  return networkReportPdf(report as NetworkReport, names, range);
}
