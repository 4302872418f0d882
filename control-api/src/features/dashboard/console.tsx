// ISP console home page (/isp): counts of what the ISP runs (each a link to its page) and the
// latest live sessions, each shown only with the permission to read it.
import type { SessionOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { type IspContext, ispPageKit, LOOKUP_LIMIT } from '../../console/isp-page';
import { type AppFetch, can, renderHtml } from '../../console/support';
import type { Permission } from '../../identity/permissions';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import { type DashboardFigure, DashboardPage } from './views';

/** Live sessions listed on the dashboard; the rest are one tap away. */
const DASHBOARD_SESSIONS = 5;

export function ispDashboardRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  /** "12" or "200+" from one API page, or null when the feature or permission is missing. */
  const countOf = async (context: IspContext, permission: Permission, path: string) => {
    if (!can(context, permission)) return null;
    try {
      const page = await api<Page<unknown>>(context, 'GET', path);
      return page.nextCursor ? `${page.items.length}+` : String(page.items.length);
    } catch {
      return null;
    }
  };

  routes.get('/', async (context) => {
    const figures: Array<Omit<DashboardFigure, 'value'> & { value: string | null }> = [
      {
        label: 'Online now',
        href: '/isp/sessions',
        value: await countOf(context, 'sessions.read', `/api/v1/sessions?limit=${LOOKUP_LIMIT}`),
      },
      {
        label: 'Active subscribers',
        href: '/isp/subscribers?status=active',
        value: await countOf(
          context,
          'subscribers.read',
          `/api/v1/subscribers?status=active&limit=${LOOKUP_LIMIT}`,
        ),
      },
      {
        label: 'Unused vouchers',
        href: '/isp/vouchers?status=unused',
        value: await countOf(
          context,
          'vouchers.read',
          `/api/v1/vouchers?status=unused&limit=${LOOKUP_LIMIT}`,
        ),
      },
      {
        label: 'Plans',
        href: '/isp/plans',
        value: await countOf(context, 'plans.read', `/api/v1/plans?limit=${LOOKUP_LIMIT}`),
      },
      {
        label: 'Routers',
        href: '/isp/nas',
        value: await countOf(context, 'nas.read', `/api/v1/nas?limit=${LOOKUP_LIMIT}`),
      },
    ];
    const shown = figures.filter((figure): figure is DashboardFigure => figure.value !== null);
    const sessions = can(context, 'sessions.read')
      ? (await api<Page<SessionOutput>>(context, 'GET', `/api/v1/sessions?limit=${DASHBOARD_SESSIONS}`)).items
      : null;
    return renderHtml(context, <DashboardPage shell={shell(context)} figures={shown} sessions={sessions} />);
  });

  return routes;
}
