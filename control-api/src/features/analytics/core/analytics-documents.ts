// Platform analytics as CSV (the months) and the MRR chart for the operator's console page.
import { formatKsh } from '@kiunga/schemas';
import type { ChartInput } from '../../reports/core/charts';
import { fieldColumns, renderCsv } from '../../reports/core/csv';
import type { AnalyticsMonth, PlatformAnalytics } from './platform-analytics';

export function analyticsMonthsCsv(analytics: PlatformAnalytics): string {
  const columns = fieldColumns<AnalyticsMonth, keyof AnalyticsMonth>([
    'month',
    'mrrCents',
    'newIsps',
    'churnedIsps',
    'logoChurnRate',
    'revenueChurnRate',
    'revenueCents',
  ]);
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
