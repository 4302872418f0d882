// A subscriber's or voucher's usage series (GET /api/v1/usage) and the chart of it the console and
// self-service pages show.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
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
