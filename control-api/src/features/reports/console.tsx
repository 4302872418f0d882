// ISP console Reports page (/isp/reports): sales, activity or network over a date range, through the API.
import { formatKsh } from '@kiunga/schemas';
import { Hono } from 'hono';
import { formatBytes } from '../../console/components';
import { ispPageKit } from '../../console/isp-page';
import { type AppFetch, assertPermission, renderHtml } from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import {
  type ActivityReport,
  activityChart,
  localDayIndexOf,
  localDayText,
  type NetworkReport,
  networkChart,
  renderChartSvg,
  reportQuerySchema,
  type SalesReport,
  salesChart,
} from './core';
import { REPORT_KINDS, type ReportKind } from './service';
import { ReportsPage, type ReportTable } from './views';

/** The page opens on the last seven local days, today included. */
const DEFAULT_RANGE_DAYS = 7;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const CHANNEL_LABELS: Record<string, string> = {
  portal_stk: 'Portal (STK)',
  c2b_paybill: 'Paybill / till',
  voucher_sheet: 'Voucher sheets',
  manual: 'By hand',
  reseller: 'Resellers',
};

function salesTable(report: SalesReport, planNames: Map<string, string>): ReportTable {
  return {
    headers: ['Day', 'Plan', 'Channel', 'Sales', 'Amount'],
    rows: report.rows.map((row) => [
      row.day,
      row.planId === null ? 'Account payments' : (planNames.get(row.planId) ?? row.planId),
      CHANNEL_LABELS[row.channel] ?? row.channel,
      String(row.count),
      formatKsh(row.amountCents),
    ]),
    totals: ['Total', '', '', String(report.totals.count), formatKsh(report.totals.amountCents)],
  };
}

function activityTable(report: ActivityReport): ReportTable {
  const { totals } = report;
  return {
    headers: ['Day', 'Logins', 'Unique devices', 'Peak sessions', 'Rejects'],
    rows: report.rows.map((row) =>
      [row.day, row.logins, row.uniqueDevices, row.peakConcurrentSessions, row.rejects].map(String),
    ),
    totals: ['Total', totals.logins, totals.uniqueDevices, totals.peakConcurrentSessions, totals.rejects].map(
      String,
    ),
  };
}

function networkTable(report: NetworkReport): ReportTable {
  const { totals } = report;
  return {
    headers: ['Router', 'From clients', 'To clients', 'Sessions', 'Down (min)', 'Uptime'],
    rows: report.rows.map((row) => [
      row.name,
      formatBytes(row.inputOctets),
      formatBytes(row.outputOctets),
      String(row.sessionsStarted),
      String(row.downMinutes),
      `${row.uptimePercent} %`,
    ]),
    totals: [
      'All routers',
      formatBytes(totals.inputOctets),
      formatBytes(totals.outputOctets),
      String(totals.sessionsStarted),
      String(totals.downMinutes),
      `${totals.uptimePercent} %`,
    ],
  };
}

export function ispReportRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  routes.get('/reports', async (context) => {
    assertPermission(context, 'reports.read');
    const requested = context.req.query('kind');
    const kind: ReportKind = REPORT_KINDS.find((name) => name === requested) ?? 'sales';
    const today = localDayIndexOf(dependencies.clock.now());
    const fromText = context.req.query('from') ?? '';
    const toText = context.req.query('to') ?? '';
    const from = DATE_PATTERN.test(fromText) ? fromText : localDayText(today - DEFAULT_RANGE_DAYS + 1);
    const to = DATE_PATTERN.test(toText) ? toText : localDayText(today + 1);
    const path = `/api/v1/reports/${kind}?from=${from}&to=${to}`;
    let chartSvg: string;
    let table: ReportTable;
    let note: string | null = null;
    if (kind === 'sales') {
      const [report, plans] = await Promise.all([
        api<SalesReport>(context, 'GET', path),
        api<{ items: Array<{ id: string; name: string }> }>(context, 'GET', '/api/v1/plans?limit=200').catch(
          () => ({ items: [] }),
        ),
      ]);
      // The API accepted these dates, so they parse here the same way.
      chartSvg = renderChartSvg(salesChart(report, reportQuerySchema.parse({ from, to }).range));
      table = salesTable(report, new Map(plans.items.map((plan) => [plan.id, plan.name])));
    } else if (kind === 'activity') {
      const report = await api<ActivityReport>(context, 'GET', path);
      chartSvg = renderChartSvg(activityChart(report));
      table = activityTable(report);
      note = 'Logins, devices and rejects come from the Access-Request log once it is recorded.';
    } else {
      const report = await api<NetworkReport>(context, 'GET', path);
      chartSvg = renderChartSvg(networkChart(report));
      table = networkTable(report);
    }
    return renderHtml(
      context,
      <ReportsPage
        shell={shell(context)}
        kind={kind}
        from={from}
        to={to}
        chartSvg={chartSvg}
        table={table}
        note={note}
      />,
    );
  });
  return routes;
}
