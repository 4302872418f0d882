// Platform analytics as CSV (the months) and the MRR chart for the operator's console page.
import { formatKsh } from '@kiunga/schemas';
import type { ChartInput } from '../../reports/core/charts';
import { type CsvColumn, renderCsv } from '../../reports/core/csv';
import type { AnalyticsMonth, PlatformAnalytics } from './platform-analytics';

export function analyticsMonthsCsv(analytics: PlatformAnalytics): string {
  const columns: CsvColumn<AnalyticsMonth>[] = [
    { header: 'month', value: (month) => month.month },
    { header: 'mrrCents', value: (month) => month.mrrCents },
    { header: 'newIsps', value: (month) => month.newIsps },
    { header: 'churnedIsps', value: (month) => month.churnedIsps },
    { header: 'logoChurnRate', value: (month) => month.logoChurnRate },
    { header: 'revenueChurnRate', value: (month) => month.revenueChurnRate },
    { header: 'revenueCents', value: (month) => month.revenueCents },
  ];
  return renderCsv(columns, analytics.months);
}

export function mrrChart(analytics: PlatformAnalytics): ChartInput {
  return {
    kind: 'line',
    title: 'MRR and platform revenue per month',
    categories: analytics.months.map((month) => month.month),
    series: [
      { label: 'MRR', values: analytics.months.map((month) => month.mrrCents) },
      { label: 'Revenue received', values: analytics.months.map((month) => month.revenueCents) },
    ],
    formatValue: (value) => formatKsh(value),
  };
}
