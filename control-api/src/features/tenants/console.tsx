// Platform console pages (/platform): ISPs and their lifecycle, ISP billing, sub-admins, audit log — through
// the API in-process.
import { type Context, Hono } from 'hono';
import type { ConsoleShell, NavItem } from '../../console/layout';
import { PLATFORM_PRIMARY_COLOR, themeCss } from '../../console/styles';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  can,
  consoleAccess,
  consoleErrorHandler,
  formFields,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  takeFlash,
  withFormErrors,
} from '../../console/support';
import { ownAccountRoutes } from '../../identity/account/console';
import { type Permission, platformPermissions } from '../../identity/permissions';
import { rolePageRoutes } from '../../identity/roles/console';
import { subAdminPageRoutes } from '../../identity/users/console';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { platformBillingPageRoutes } from '../../platform-billing/console';
import { platformAnalyticsPageRoutes } from '../analytics/console';
import { auditPageRoutes } from '../audit/console';
import { platformLivePageRoutes } from '../monitoring/platform-live-console';
import { platformSupportPageRoutes } from '../support/platform-console';
import { TenantDetailPage, type TenantSummary, TenantsPage } from './views';

const PLATFORM_NAV: Array<NavItem & { permission?: Permission }> = [
  { href: '/platform', label: 'ISPs', permission: 'tenants.read' },
  { href: '/platform/billing', label: 'Billing', permission: 'platform_billing.manage' },
  { href: '/platform/analytics', label: 'Analytics', permission: 'platform_analytics.read' },
  { href: '/platform/live', label: 'Live', permission: 'tenants.read' },
  { href: '/platform/support', label: 'Support', permission: 'platform_support.manage' },
  { href: '/platform/admins', label: 'Sub-admins', permission: 'platform_users.manage' },
  { href: '/platform/roles', label: 'Roles', permission: 'platform_users.manage' },
  { href: '/platform/audit', label: 'Audit', permission: 'platform_audit.read' },
  { href: '/platform/account', label: 'My account' },
];

const LIFECYCLE_MESSAGES: Record<string, string> = {
  suspend: 'suspended',
  reactivate: 'reactivated',
  archive: 'archived',
};

/** The create-ISP form into the API's input; empty optional fields are left out. */
function tenantInputOf(fields: Record<string, string>) {
  const ownerPassword = optionalText(fields, 'ownerPassword');
  const ownerDisplayName = optionalText(fields, 'ownerDisplayName');
  const featureChoice = optionalText(fields, 'featureChoice');
  const contactPhone = optionalText(fields, 'contactPhone');
  return {
    name: fields.name?.trim() ?? '',
    slug: fields.slug?.trim() ?? '',
    tier: fields.tier ?? '',
    ...(featureChoice ? { featureChoice } : {}),
    startTrial: fields.startTrial === 'true',
    ...(contactPhone ? { contactPhone } : {}),
    owner: {
      email: fields.ownerEmail?.trim() ?? '',
      ...(ownerPassword ? { password: ownerPassword } : {}),
      ...(ownerDisplayName ? { displayName: ownerDisplayName } : {}),
    },
  };
}

function platformShell(context: Context<AppEnv>): ConsoleShell {
  const principal = context.get('principal');
  return {
    brandName: 'Kiunga platform',
    logo: null,
    themeCss: themeCss({ primaryColor: PLATFORM_PRIMARY_COLOR, accentColor: '#f59e0b' }),
    nav: PLATFORM_NAV.filter((item) => !item.permission || principal.permissions.has(item.permission)),
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

  const renderTenants = async (
    context: Context<AppEnv>,
    created: { tenant: TenantSummary; ownerTemporaryPassword: string | null } | null,
  ) => {
    assertPermission(context, 'tenants.read');
    const query = pageQuery(context, ['status']);
    const page = await callApiPage<TenantSummary>(context, fetchApp, '/api/v1/platform/tenants', query);
    return renderHtml(
      context,
      <TenantsPage
        shell={platformShell(context)}
        tenants={page.items}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'tenants.write')}
        draft={takeDraft(context)}
        created={created}
      />,
      created ? 201 : 200,
    );
  };

  routes.get('/', (context) => {
    if (!can(context, 'tenants.read')) {
      const first = PLATFORM_NAV.find(
        (item) => item.href !== '/platform' && (!item.permission || can(context, item.permission)),
      );
      if (first) return context.redirect(first.href, 303);
    }
    return renderTenants(context, null);
  });

  routes.post('/tenants', (context) =>
    withFormErrors(
      context,
      '/platform',
      async () => {
        const created = await callApi<TenantSummary & { ownerTemporaryPassword?: string }>(
          context,
          fetchApp,
          'POST',
          '/api/v1/platform/tenants',
          tenantInputOf(await formFields(context)),
        );
        const { ownerTemporaryPassword, ...tenant } = created;
        return renderTenants(context, { tenant, ownerTemporaryPassword: ownerTemporaryPassword ?? null });
      },
      [403],
    ),
  );

  routes.post('/tenants/:id/owner/reset-password', (context) => {
    const path = `/platform/tenants/${encodeURIComponent(context.req.param('id'))}`;
    return withFormErrors(context, path, async () => {
      const reset = await callApi<{ temporaryPassword?: string }>(
        context,
        fetchApp,
        'POST',
        `/api/v1${path}/owner/reset-password`,
        {},
      );
      const tenant = await callApi<TenantSummary>(context, fetchApp, 'GET', `/api/v1${path}`);
      return renderHtml(
        context,
        <TenantDetailPage
          shell={platformShell(context)}
          tenant={tenant}
          canWrite={can(context, 'tenants.write')}
          ownerReset={reset.temporaryPassword ?? null}
        />,
      );
    });
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

  routes.route('/', subAdminPageRoutes(fetchApp, platformShell));
  routes.route(
    '/',
    auditPageRoutes(fetchApp, {
      path: '/platform/audit',
      apiPrefix: '/api/v1/platform',
      permission: 'platform_audit.read',
      accountsPermission: 'platform_users.manage',
      shell: platformShell,
    }),
  );
  routes.route(
    '/',
    rolePageRoutes(fetchApp, {
      basePath: '/platform/roles',
      apiPrefix: '/api/v1/platform',
      catalogue: platformPermissions,
      managePermission: 'platform_users.manage',
      shell: platformShell,
    }),
  );
  routes.route('/', platformBillingPageRoutes(fetchApp, platformShell));
  routes.route('/', platformAnalyticsPageRoutes(fetchApp, platformShell));
  routes.route('/', platformLivePageRoutes(fetchApp, platformShell));
  routes.route('/', platformSupportPageRoutes(fetchApp, platformShell));
  routes.route(
    '/',
    ownAccountRoutes(dependencies, fetchApp, { basePath: '/platform/account', shell: platformShell }),
  );
  routes.all('*', (context) => context.redirect('/platform', 303));
  return routes;
}
