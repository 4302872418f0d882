// Platform console pages (/platform): ISPs and their lifecycle, sub-admins, audit log — through the API in-process.
import { type Context, Hono } from 'hono';
import type { ApiDependencies, AppEnv } from '../dependencies';
import type { Page } from '../pagination';
import type { Permission } from '../permissions';
import type { ConsoleShell, NavItem } from '../views/layout';
import { TenantDetailPage, type TenantSummary, TenantsPage } from '../views/platform/tenants';
import { PLATFORM_PRIMARY_COLOR, themeCss } from '../views/styles';
import { accountPageRoutes } from './console-accounts';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  can,
  consoleAccess,
  consoleErrorHandler,
  redirectWithFlash,
  renderHtml,
  takeFlash,
  withFormErrors,
  withQuery,
} from './console-support';

const PLATFORM_NAV: Array<NavItem & { permission: Permission }> = [
  { href: '/platform', label: 'ISPs', permission: 'tenants.read' },
  { href: '/platform/admins', label: 'Sub-admins', permission: 'platform_users.manage' },
  { href: '/platform/audit', label: 'Audit', permission: 'platform_audit.read' },
];

const LIFECYCLE_MESSAGES: Record<string, string> = {
  suspend: 'suspended',
  reactivate: 'reactivated',
  archive: 'archived',
};

function platformShell(context: Context<AppEnv>): ConsoleShell {
  const principal = context.get('principal');
  return {
    brandName: 'Kiunga platform',
    logo: null,
    themeCss: themeCss({ primaryColor: PLATFORM_PRIMARY_COLOR, accentColor: '#f59e0b' }),
    nav: PLATFORM_NAV.filter((item) => principal.permissions.has(item.permission)),
    currentPath: context.req.path,
    csrfToken: context.get('csrfToken') ?? '',
    flash: takeFlash(context),
    accountEmail: principal.email,
  };
}

export function platformConsoleRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(consoleErrorHandler(dependencies));
  routes.use('*', ...consoleAccess(dependencies, (principal) => principal.tenantId === null));

  routes.get('/', async (context) => {
    if (!can(context, 'tenants.read')) {
      const first = PLATFORM_NAV.find((item) => can(context, item.permission));
      if (first && first.href !== '/platform') return context.redirect(first.href, 303);
    }
    assertPermission(context, 'tenants.read');
    const query = { cursor: context.req.query('cursor'), status: context.req.query('status') || undefined };
    const page = await callApi<Page<TenantSummary>>(
      context,
      fetchApp,
      'GET',
      withQuery('/api/v1/platform/tenants', { ...query, limit: CONSOLE_PAGE_SIZE }),
    );
    return renderHtml(
      context,
      <TenantsPage
        shell={platformShell(context)}
        tenants={page.items}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });

  routes.get('/tenants/:id', async (context) => {
    const tenant = await callApi<TenantSummary>(
      context,
      fetchApp,
      'GET',
      `/api/v1/platform/tenants/${encodeURIComponent(context.req.param('id'))}`,
    );
    return renderHtml(
      context,
      <TenantDetailPage
        shell={platformShell(context)}
        tenant={tenant}
        canWrite={can(context, 'tenants.write')}
      />,
    );
  });

  routes.post('/tenants/:id/:action{suspend|reactivate|archive}', (context) => {
    const path = `/platform/tenants/${encodeURIComponent(context.req.param('id'))}`;
    const action = context.req.param('action');
    return withFormErrors(context, path, async () => {
      const tenant = await callApi<TenantSummary>(context, fetchApp, 'POST', `/api/v1${path}/${action}`);
      return redirectWithFlash(
        context,
        path,
        'ok',
        `${tenant.name} ${LIFECYCLE_MESSAGES[action] ?? action}.`,
      );
    });
  });

  routes.route(
    '/',
    accountPageRoutes(fetchApp, {
      title: 'Sub-admins',
      basePath: '/platform/admins',
      apiPrefix: '/api/v1/platform',
      kinds: ['platform_staff'],
      managePermission: 'platform_users.manage',
      auditPath: '/platform/audit',
      auditPermission: 'platform_audit.read',
      shell: platformShell,
    }),
  );
  routes.all('*', (context) => context.redirect('/platform', 303));
  return routes;
}
