// A subscriber's or voucher's usage series (GET /api/v1/usage) and the chart of it the console and
// self-service pages show.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { DAY_MS } from '../../billing/core/calendar';
import { formatBytes } from '../../console/components';
import { renderChartSvg } from '../reports/core/charts';
import { buildUsageSeries, type UsageQuery, type UsageSeries } from './core/index';
import { readUsageRows } from './store';

export async function usageSeriesOf(database: SqlDatabase, query: UsageQuery): Promise<UsageSeries> {
  const { subject, range, granularity } = query;
  const table = subject.kind === 'voucher' ? 'vouchers' : 'subscribers';
  const exists = await database.get(`SELECT id FROM ${table} WHERE id = ?`, [subject.id]);
  if (!exists) throw new KiungaError('not_found', `No such ${subject.kind}.`);
  const rows = await readUsageRows(database, subject.kind, subject.id, granularity, range.fromMs, range.toMs);
  return buildUsageSeries(rows, range, granularity);
}

const dayLabelFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  day: 'numeric',
  month: 'short',
});

/** Daily download and upload as bars (server-rendered SVG: no script, the page's CSP unchanged). */
export function renderUsageChartSvg(series: UsageSeries, title: string): string {
  return renderChartSvg({
    kind: 'bar',
    title,
    categories: series.items.map((item) => dayLabelFormat.format(new Date(item.start))),
    series: [
      { label: 'Download', values: series.items.map((item) => item.outputOctets) },
      { label: 'Upload', values: series.items.map((item) => item.inputOctets) },
    ],
    formatValue: formatBytes,
  });
}

/** Days a usage chart covers: a month, one bar per day, readable on a phone. */
export const USAGE_CHART_DAYS = 30;

export interface UsageChartData {
  svg: string;
  series: UsageSeries;
  days: number;
}

/** A series drawn as the usage chart pages show. */
export function usageChartFrom(series: UsageSeries): UsageChartData {
  return { svg: renderUsageChartSvg(series, 'Daily usage'), series, days: USAGE_CHART_DAYS };
}

/** The chart's range: the last 30 days up to now, by day. */
export function usageChartQuery(subject: UsageQuery['subject'], nowMs: number): UsageQuery {
  return { subject, range: { fromMs: nowMs - USAGE_CHART_DAYS * DAY_MS, toMs: nowMs }, granularity: 'day' };
}

/** The customer's own chart (self-service: the signed-in subscriber only, read directly). */
export async function ownUsageChart(database: SqlDatabase, subscriberId: string, nowMs: number) {
  return usageChartFrom(
    await usageSeriesOf(database, usageChartQuery({ kind: 'subscriber', id: subscriberId }, nowMs)),
  );
}
