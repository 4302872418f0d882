// ISP console Messages page (/isp/messages): the SMS outbox and the SMS gateway settings, through the API.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  can,
  formFields,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { NotificationOutput } from './outbox';
import type { SmsSettingsView } from './sms-settings';
import { MessagesPage } from './views';

export function ispMessagesRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/messages', async (context) => {
    assertPermission(context, 'billing.read');
    const query = pageQuery(context, ['status']);
    const [page, smsSettings] = await Promise.all([
      callApiPage<NotificationOutput>(context, fetchApp, '/api/v1/notifications', query),
      callApi<SmsSettingsView>(context, fetchApp, 'GET', '/api/v1/settings/sms'),
    ]);
    return renderHtml(
      context,
      <MessagesPage
        shell={shell(context)}
        messages={page.items}
        nextCursor={page.nextCursor}
        query={query}
        smsSettings={smsSettings}
        canWriteSettings={can(context, 'settings.write')}
      />,
    );
  });

  routes.post('/messages/sms-settings', (context) =>
    withFormErrors(context, '/isp/messages', async () => {
      const fields = await formFields(context);
      await callApi<SmsSettingsView>(context, fetchApp, 'PUT', '/api/v1/settings/sms', {
        username: fields.username?.trim() ?? '',
        // Named so the form-error draft never keeps it (console-support keeps no *secret* fields).
        apiKey: optionalText(fields, 'secretApiKey'),
        senderId: optionalText(fields, 'senderId') ?? null,
        enabled: fields.enabled === 'true',
      });
      return redirectWithFlash(context, '/isp/messages', 'ok', 'SMS settings saved.');
    }),
  );
  return routes;
}
