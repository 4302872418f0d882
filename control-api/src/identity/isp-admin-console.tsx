// ISP console administration pages: API keys (/isp/api-keys), the role editor (/isp/roles) and the
// signed-in account's own page (/isp/account) — all through the REST API in-process.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../console/isp-nav';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  formFields,
  formValues,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
} from '../console/support';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { ownAccountRoutes } from './account/console';
import { ApiKeysPage, type ApiKeyView } from './api-keys/views';
import { ispPermissions, type Permission } from './permissions';
import { rolePageRoutes } from './roles/console';

export function ispAdminRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);
  const grantableOf = (context: Context<AppEnv>) =>
    new Set(ispPermissions.filter((name) => context.get('principal').permissions.has(name as Permission)));

  const renderKeys = async (context: Context<AppEnv>, created: { name: string; key: string } | null) => {
    assertPermission(context, 'api_keys.manage');
    const draft = takeDraft(context);
    const query = pageQuery(context, []);
    const page = await callApiPage<ApiKeyView>(context, fetchApp, '/api/v1/api-keys', query);
    return renderHtml(
      context,
      <ApiKeysPage
        shell={shell(context)}
        keys={page.items}
        created={created}
        catalogue={ispPermissions}
        grantable={grantableOf(context)}
        draft={draft}
        nextCursor={page.nextCursor}
        query={query}
      />,
      created ? 201 : 200,
    );
  };

  routes.get('/api-keys', (context) => renderKeys(context, null));

  routes.post('/api-keys', (context) =>
    withFormErrors(
      context,
      '/isp/api-keys',
      async () => {
        const created = await callApi<ApiKeyView & { key: string }>(
          context,
          fetchApp,
          'POST',
          '/api/v1/api-keys',
          {
            name: (await formFields(context)).name?.trim() ?? '',
            permissions: await formValues(context, 'permissions'),
          },
        );
        return renderKeys(context, { name: created.name, key: created.key });
      },
      [403],
    ),
  );

  routes.post('/api-keys/:id/revoke', (context) =>
    withFormErrors(context, '/isp/api-keys', async () => {
      await callApi(
        context,
        fetchApp,
        'DELETE',
        `/api/v1/api-keys/${encodeURIComponent(context.req.param('id'))}`,
      );
      return redirectWithFlash(context, '/isp/api-keys', 'ok', 'API key revoked; it no longer works.');
    }),
  );

  routes.route(
    '/',
    rolePageRoutes(fetchApp, {
      basePath: '/isp/roles',
      apiPrefix: '/api/v1',
      catalogue: ispPermissions,
      managePermission: 'staff.manage',
      shell,
    }),
  );
  routes.route('/', ownAccountRoutes(dependencies, fetchApp, { basePath: '/isp/account', shell }));
  return routes;
}
