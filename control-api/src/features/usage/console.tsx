// Usage on console pages: the chart of a subscriber or voucher over the last 30 days (from
// GET /api/v1/usage in-process), and the voucher's page (/isp/vouchers/:id) that shows it.
import type { VoucherOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { DAY_MS } from '../../billing/core/calendar';
import { ispPageKit } from '../../console/isp-page';
import { type AppFetch, assertPermission, callApi, renderHtml, withQuery } from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { UsageSeries } from './core/index';
import { USAGE_CHART_DAYS, type UsageChartData, usageChartFrom } from './service';
import { VoucherUsagePage } from './views';

/** The last 30 days of a subject's usage as a chart, through the API as the signed-in visitor. */
export async function usageChartOf(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
  subject: { subscriberId: string } | { voucherId: string },
  nowMs: number,
): Promise<UsageChartData> {
  const series = await callApi<UsageSeries>(
    context,
    fetchApp,
    'GET',
    withQuery('/api/v1/usage', {
      ...subject,
      from: nowMs - USAGE_CHART_DAYS * DAY_MS,
      to: nowMs,
      granularity: 'day',
    }),
  );
  return usageChartFrom(series);
}

export function ispVoucherUsageRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);
  routes.get('/vouchers/:id{vch_[A-Za-z0-9_-]+}', async (context) => {
    assertPermission(context, 'vouchers.read');
    const voucherId = context.req.param('id');
    const voucher = await api<VoucherOutput>(
      context,
      'GET',
      `/api/v1/vouchers/${encodeURIComponent(voucherId)}`,
    );
    const chart = await usageChartOf(context, fetchApp, { voucherId }, dependencies.clock.now());
    return renderHtml(context, <VoucherUsagePage shell={shell(context)} voucher={voucher} chart={chart} />);
  });
  return routes;
}
