// The ISP console's webhooks pages (/isp/webhooks, /isp/webhooks/<id>): through /api/v1/webhooks
// in-process as the signed-in user.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import {
  type AppFetch,
  assertPermission,
  callApi,
  formFields,
  formValues,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { DeliveryLog, WebhookEndpointOutput } from './service';
import { DeliveryLogPage, WEBHOOKS_PAGE_PATH, WebhooksPage } from './views';

/** Routes relative to /isp (mount with `routes.route('/', …)`). */
export function ispWebhookRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const idOf = (context: Context<AppEnv>) => encodeURIComponent(context.req.param('id') ?? '');

  const renderList = async (context: Context<AppEnv>, created: { id: string; secret: string } | null) => {
    assertPermission(context, 'webhooks.manage');
    const list = await callApi<{ items: WebhookEndpointOutput[] }>(
      context,
      fetchApp,
      'GET',
      '/api/v1/webhooks',
    );
    return renderHtml(
      context,
      <WebhooksPage
        shell={tenantShell(context, dependencies, ISP_NAV)}
        endpoints={list.items}
        created={created}
      />,
      created ? 201 : 200,
    );
  };

  routes.get('/webhooks', (context) => renderList(context, null));

  routes.post('/webhooks', (context) =>
    withFormErrors(context, WEBHOOKS_PAGE_PATH, async () => {
      const fields = await formFields(context);
      const created = await callApi<{ id: string; secret: string }>(
        context,
        fetchApp,
        'POST',
        '/api/v1/webhooks',
        {
          url: fields.url?.trim() ?? '',
          events: await formValues(context, 'events'),
          ...(fields.description ? { description: fields.description } : {}),
        },
      );
      return renderList(context, created);
    }),
  );

  for (const [action, isActive] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    routes.post(`/webhooks/:id/${action}`, (context) =>
      withFormErrors(context, WEBHOOKS_PAGE_PATH, async () => {
        await callApi(context, fetchApp, 'PATCH', `/api/v1/webhooks/${idOf(context)}`, { isActive });
        return redirectWithFlash(
          context,
          WEBHOOKS_PAGE_PATH,
          'ok',
          isActive ? 'Webhook on.' : 'Webhook off.',
        );
      }),
    );
  }

  routes.post('/webhooks/:id/delete', (context) =>
    withFormErrors(context, WEBHOOKS_PAGE_PATH, async () => {
      await callApi(context, fetchApp, 'DELETE', `/api/v1/webhooks/${idOf(context)}`);
      return redirectWithFlash(context, WEBHOOKS_PAGE_PATH, 'ok', 'Webhook removed.');
    }),
  );

  routes.get('/webhooks/:id', async (context) => {
    assertPermission(context, 'webhooks.manage');
    const id = idOf(context);
    const endpoint = await callApi<WebhookEndpointOutput>(context, fetchApp, 'GET', `/api/v1/webhooks/${id}`);
    const log = await callApi<DeliveryLog>(context, fetchApp, 'GET', `/api/v1/webhooks/${id}/deliveries`);
    return renderHtml(
      context,
      <DeliveryLogPage shell={tenantShell(context, dependencies, ISP_NAV)} endpoint={endpoint} log={log} />,
    );
  });

  routes.post('/webhooks/:id/deliveries/:deliveryId/redeliver', (context) => {
    const back = `${WEBHOOKS_PAGE_PATH}/${idOf(context)}`;
    return withFormErrors(context, back, async () => {
      const result = await callApi<{ outcome: string }>(
        context,
        fetchApp,
        'POST',
        `/api/v1/webhooks/deliveries/${encodeURIComponent(context.req.param('deliveryId') ?? '')}/redeliver`,
      );
      return result.outcome === 'delivered'
        ? redirectWithFlash(context, back, 'ok', 'Delivered: your server answered 2xx.')
        : redirectWithFlash(context, back, 'error', `Not delivered (${result.outcome}); see the log.`);
    });
  });

  return routes;
}
