// Each report as CSV (the same rows as JSON), as a printable PDF, and its chart for the console page.
import { formatKsh } from '@kiunga/schemas';
import type { TimeRange } from '../../../kernel/time-range';
import { formatGigabytes } from '../../usage/core/usage-rating';
import type { ActivityReport } from './activity-report';
import type { ChartInput } from './charts';
import { type CsvColumn, fieldColumns, renderCsv } from './csv';
import { localDayIndexOf, localDaysOf, localDayText } from './local-days';
import type { NetworkReport, NetworkRow } from './network-report';
import { type PdfTableColumn, renderReportPdf } from './report-pdf';
import type { SalesReport, SalesRow } from './sales-report';

/** Names a person reads in place of ids. */
export interface ReportNames {
  readonly ispName: string;
  readonly planNames: ReadonlyMap<string, string>;
}

const CHANNEL_NAMES: Record<SalesRow['channel'], string> = {
  portal_stk: 'Portal (M-Pesa STK)',
  c2b_paybill: 'Paybill / till (C2B)',
  voucher_sheet: 'Voucher sheets',
  manual: 'Recorded by hand',
  reseller: 'Resellers',
};

function planName(names: ReportNames, planId: string | null): string {
  if (planId === null) return 'No plan (account payments)';
  return names.planNames.get(planId) ?? planId;
}

export function rangeText(range: TimeRange): string {
  return `${localDayText(localDayIndexOf(range.fromMs))} to ${localDayText(localDayIndexOf(range.toMs - 1))}`;
}

const ksh = (value: number) => formatKsh(value);

export function salesReportCsv(report: SalesReport, names: ReportNames): string {
  const columns: CsvColumn<SalesRow>[] = [
    ...fieldColumns<SalesRow, 'day' | 'planId'>(['day', 'planId']),
    { header: 'plan', value: (row) => planName(names, row.planId) },
    ...fieldColumns<SalesRow, 'channel' | 'count' | 'amountCents'>(['channel', 'count', 'amountCents']),
  ];
  return renderCsv(columns, report.rows);
}

/** Amount per day for every day of the range, days without sales at zero. */
export function salesChart(report: SalesReport, range: TimeRange): ChartInput {
  const amounts = new Map(report.byDay.map((day) => [day.day, day.amountCents]));
  const days = localDaysOf(range).map(localDayText);
  return {
    kind: 'bar',
    title: 'Sales per day',
    categories: days.map((day) => day.slice(5)),
    series: [{ label: 'Amount', values: days.map((day) => amounts.get(day) ?? 0) }],
    formatValue: ksh,
  };
}

export function salesReportPdf(report: SalesReport, names: ReportNames, range: TimeRange): Promise<Buffer> {
  const columns: PdfTableColumn[] = [
    { header: 'Day', widthShare: 0.16 },
    { header: 'Plan', widthShare: 0.34 },
    { header: 'Channel', widthShare: 0.24 },
    { header: 'Sales', widthShare: 0.1, align: 'right' },
    { header: 'Amount', widthShare: 0.16, align: 'right' },
  ];
  return renderReportPdf({
    title: 'Sales',
    subtitle: `${names.ispName} · ${rangeText(range)}`,
    chart: salesChart(report, range),
    columns,
    rows: report.rows.map((row) => [
      row.day,
      planName(names, row.planId),
      CHANNEL_NAMES[row.channel],
      String(row.count),
      ksh(row.amountCents),
    ]),
    totals: ['Total', '', '', String(report.totals.count), ksh(report.totals.amountCents)],
  });
}

type ActivityRow = ActivityReport['rows'][number];

export function activityReportCsv(report: ActivityReport): string {
  const columns = fieldColumns<ActivityRow, keyof ActivityRow>([
    'day',
    'logins',
    'uniqueDevices',
    'peakConcurrentSessions',
    'rejects',
  ]);
  return renderCsv(columns, report.rows);
}

export function activityChart(report: ActivityReport): ChartInput {
  return {
    kind: 'line',
    title: 'Logins and peak sessions per day',
    categories: report.rows.map((row) => row.day.slice(5)),
    series: [
      { label: 'Logins', values: report.rows.map((row) => row.logins) },
      { label: 'Peak sessions', values: report.rows.map((row) => row.peakConcurrentSessions) },
      { label: 'Rejects', values: report.rows.map((row) => row.rejects) },
    ],
  };
}

export function activityReportPdf(
  report: ActivityReport,
  names: ReportNames,
  range: TimeRange,
): Promise<Buffer> {
  const reasons = Object.entries(report.totals.rejectsByReason)
    .sort((left, right) => right[1] - left[1])
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return renderReportPdf({
    title: 'Activity',
    subtitle: `${names.ispName} · ${rangeText(range)}${reasons === '' ? '' : ` · rejects: ${reasons}`}`,
    chart: report.rows.length === 0 ? null : activityChart(report),
    columns: [
      { header: 'Day', widthShare: 0.2 },
      { header: 'Logins', widthShare: 0.2, align: 'right' },
      { header: 'Devices', widthShare: 0.2, align: 'right' },
      { header: 'Peak sessions', widthShare: 0.2, align: 'right' },
      { header: 'Rejects', widthShare: 0.2, align: 'right' },
    ],
    rows: report.rows.map((row) => [
      row.day,
      ...[row.logins, row.uniqueDevices, row.peakConcurrentSessions, row.rejects].map(String),
    ]),
    totals: [
      'Range',
      ...[
        report.totals.logins,
        report.totals.uniqueDevices,
        report.totals.peakConcurrentSessions,
        report.totals.rejects,
      ].map(String),
    ],
  });
}

export function networkReportCsv(report: NetworkReport): string {
  const columns = fieldColumns<NetworkRow, keyof NetworkRow>([
    'nasId',
    'name',
    'inputOctets',
    'outputOctets',
    'sessionSeconds',
    'sessionsStarted',
    'downMinutes',
    'uptimePercent',
  ]);
  return renderCsv(columns, report.rows);
}

export function networkChart(report: NetworkReport): ChartInput {
  return {
    kind: 'bar',
    title: 'Traffic per router',
    categories: report.rows.map((row) => row.name),
    series: [
      { label: 'Download', values: report.rows.map((row) => row.outputOctets) },
      { label: 'Upload', values: report.rows.map((row) => row.inputOctets) },
    ],
    formatValue: formatGigabytes,
  };
}

export function networkReportPdf(
  report: NetworkReport,
  names: ReportNames,
  range: TimeRange,
): Promise<Buffer> {
  const row = (name: string, item: Omit<NetworkRow, 'nasId' | 'name'>) => [
    name,
    formatGigabytes(item.outputOctets),
    formatGigabytes(item.inputOctets),
    String(item.sessionsStarted),
    `${item.uptimePercent.toFixed(2)} %`,
  ];
  return renderReportPdf({
    title: 'Network',
    subtitle: `${names.ispName} · ${rangeText(range)}`,
    chart: report.rows.length === 0 ? null : networkChart(report),
    columns: [
      { header: 'Router', widthShare: 0.32 },
      { header: 'Download', widthShare: 0.17, align: 'right' },
      { header: 'Upload', widthShare: 0.17, align: 'right' },
      { header: 'Sessions', widthShare: 0.14, align: 'right' },
      { header: 'Uptime', widthShare: 0.2, align: 'right' },
    ],
    rows: report.rows.map((item) => row(item.name, item)),
    totals: row('All routers', report.totals),
  });
}
