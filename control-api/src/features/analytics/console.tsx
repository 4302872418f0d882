// Platform console Analytics page (/platform/analytics), through the API.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import { type AppFetch, assertPermission, callApi, renderHtml } from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { renderChartSvg } from '../reports/core';
import { analyticsQuerySchema, mrrChart, type PlatformAnalytics } from './core';
import { AnalyticsPage } from './views';

export function platformAnalyticsPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/analytics', async (context) => {
    assertPermission(context, 'platform_analytics.read');
    const parsed = analyticsQuerySchema.safeParse({ months: context.req.query('months') });
    const months = parsed.success ? parsed.data.months : 12;
    const analytics = await callApi<PlatformAnalytics>(
      context,
      fetchApp,
      'GET',
      `/api/v1/platform/analytics?months=${months}`,
    );
    return renderHtml(
      context,
      <AnalyticsPage
        shell={shell(context)}
        analytics={analytics}
        months={months}
        chartSvg={renderChartSvg(mrrChart(analytics))}
      />,
    );
  });
  return routes;
}
