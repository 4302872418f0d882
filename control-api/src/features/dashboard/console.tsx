// ISP console home page (/isp): exact counts of what the ISP runs (each a link to its page), today's
// sales and the latest live sessions, each shown only with the permission (and tier feature) to read it.
import { formatKsh, type SessionOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { ispPageKit } from '../../console/isp-page';
import { type AppFetch, can, renderHtml } from '../../console/support';
import type { Permission } from '../../identity/permissions';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { type Feature, tenantFeatures } from '../../kernel/middleware/require-feature';
import type { Page } from '../../kernel/pagination';
import { tenantIdOf } from '../../kernel/tenant-access';
import { raisedAlertsOf } from '../monitoring/store';
import { localDayIndexOf, localDayStartMs } from '../reports/core/local-days';
import { salesReport } from '../reports/service';
import { allLiveSessions } from '../sessions/service';
import { gettingStartedSteps } from '../signup/core';
import {
  countActiveSubscribers,
  countNas,
  countPlans,
  countSubscribers,
  countUnusedVouchers,
  countVouchers,
} from './counts';
import { type DashboardFigure, DashboardPage } from './views';

/** Live sessions listed on the dashboard; the rest are one tap away. */
const DASHBOARD_SESSIONS = 5;

interface FigureSource {
  label: string;
  href: string;
  permission: Permission;
  feature?: Feature;
  value: () => Promise<string>;
}

export function ispDashboardRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  routes.get('/', async (context) => {
    const tenantId = tenantIdOf(context);
    const tenant = dependencies.databases.forTenant(tenantId);
    const nowMs = dependencies.clock.now();
    const hasFeature = await tenantFeatures(dependencies.databases.platform, tenantId);
    const sources: FigureSource[] = [
      {
        label: 'Online now',
        href: '/isp/sessions',
        permission: 'sessions.read',
        value: async () => String((await allLiveSessions(dependencies.aaa, tenantId)).length),
      },
      {
        label: 'Sales today',
        href: '/isp/reports',
        permission: 'reports.read',
        value: async () => {
          const range = { fromMs: localDayStartMs(localDayIndexOf(nowMs)), toMs: nowMs + 1 };
          return formatKsh((await salesReport(dependencies, tenantId, range)).totals.amountCents);
        },
      },
      {
        label: 'Active subscribers',
        href: '/isp/subscribers?status=active',
        permission: 'subscribers.read',
        feature: 'pppoe',
        value: async () => String(await countActiveSubscribers(tenant)),
      },
      {
        label: 'Unused vouchers',
        href: '/isp/vouchers?status=unused',
        permission: 'vouchers.read',
        feature: 'hotspot',
        value: async () => String(await countUnusedVouchers(tenant)),
      },
      {
        label: 'Plans',
        href: '/isp/plans',
        permission: 'plans.read',
        value: async () => String(await countPlans(tenant)),
      },
      {
        label: 'Routers',
        href: '/isp/nas',
        permission: 'nas.read',
        value: async () => String(await countNas(dependencies.databases.platform, tenantId)),
      },
    ];
    const figures: DashboardFigure[] = [];
    for (const source of sources) {
      if (!can(context, source.permission)) continue;
      if (source.feature && !hasFeature(source.feature)) continue;
      figures.push({ label: source.label, href: source.href, value: await source.value() });
    }
    const sessions = can(context, 'sessions.read')
      ? (await api<Page<SessionOutput>>(context, 'GET', `/api/v1/sessions?limit=${DASHBOARD_SESSIONS}`)).items
      : null;
    const quietRouters = can(context, 'nas.read')
      ? await raisedAlertsOf(dependencies.databases.platform, tenantId)
      : [];
    // Issue 15: a new ISP's first steps, until each is done.
    const checklist = gettingStartedSteps({
      routers: await countNas(dependencies.databases.platform, tenantId),
      plans: await countPlans(tenant),
      vouchers: hasFeature('hotspot') ? await countVouchers(tenant) : 0,
      subscribers: hasFeature('pppoe') ? await countSubscribers(tenant) : 0,
      hasHotspot: hasFeature('hotspot'),
      hasPppoe: hasFeature('pppoe'),
    });
    return renderHtml(
      context,
      <DashboardPage
        shell={shell(context)}
        checklist={checklist}
        figures={figures}
        sessions={sessions}
        quietRouters={quietRouters}
      />,
    );
  });

  return routes;
}
