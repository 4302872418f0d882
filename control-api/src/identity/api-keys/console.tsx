// The ISP console's API keys page (/isp/api-keys): list, create (the key shown once) and revoke,
// through /api/v1/api-keys in-process as the signed-in user.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
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
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { grantablePermissions, ispPermissions } from '../permissions';
import { ApiKeysPage, type ApiKeyView } from './views';

const PAGE_PATH = '/isp/api-keys';

/** Routes relative to /isp (mount with `routes.route('/', …)`). */
export function ispApiKeyRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const renderKeys = async (context: Context<AppEnv>, created: { name: string; key: string } | null) => {
    assertPermission(context, 'api_keys.manage');
    const draft = takeDraft(context);
    const query = pageQuery(context, []);
    const page = await callApiPage<ApiKeyView>(context, fetchApp, '/api/v1/api-keys', query);
    return renderHtml(
      context,
      <ApiKeysPage
        shell={tenantShell(context, dependencies, ISP_NAV)}
        keys={page.items}
        created={created}
        catalogue={ispPermissions}
        grantable={grantablePermissions(ispPermissions, context.get('principal').permissions)}
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
      PAGE_PATH,
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
    withFormErrors(context, PAGE_PATH, async () => {
      await callApi(
        context,
        fetchApp,
        'DELETE',
        `/api/v1/api-keys/${encodeURIComponent(context.req.param('id'))}`,
      );
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'API key revoked; it no longer works.');
    }),
  );

  return routes;
}
