// CPE pages: /isp/cpes and /tech/cpes (list with a reboot button per router, one router's page with
// reboot and Wi-Fi change), and /isp/cpes/settings (the ISP's GenieACS), all through /api/v1 in-process.
import type { SubscriberOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  can,
  formFields,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { KiungaError } from '../../kernel/errors';
import type { CpeListItem } from './core/binding';
import type { CpeDetail, CpeTaskResult } from './service';
import type { GenieAcsSettingsView } from './settings';
import { CpeDetailPage, CpeListPage, cpeHref } from './views';

/** Subscribers read to name the bound routers: one API page (the API's own maximum). */
const SUBSCRIBER_NAMES_PAGE = 200;

function taskFlash(result: CpeTaskResult, what: string): { kind: 'ok' | 'error'; text: string } {
  if (result.status === 'done') return { kind: 'ok', text: `${what}: done by the router.` };
  if (result.status === 'pending')
    return { kind: 'ok', text: `${what}: pending — the router is offline; it happens at its next contact.` };
  return { kind: 'error', text: `${what}: the router refused (${result.fault?.message ?? 'fault'}).` };
}

async function subscriberNamesOf(context: Context<AppEnv>, fetchApp: AppFetch): Promise<Map<string, string>> {
  if (!can(context, 'subscribers.read')) return new Map();
  const page = await callApiPage<SubscriberOutput>(context, fetchApp, '/api/v1/subscribers', {
    limit: String(SUBSCRIBER_NAMES_PAGE),
  });
  return new Map(page.items.map((subscriber) => [subscriber.id, subscriber.username]));
}

/** `<consolePath>/cpes…` in that console's shell; mount on the console's routes. */
export function cpePageRoutes(
  fetchApp: AppFetch,
  options: { consolePath: '/isp' | '/tech'; shell: (context: Context<AppEnv>) => ConsoleShell },
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { consolePath } = options;
  const idOf = (context: Context<AppEnv>) => context.req.param('id') ?? '';

  routes.get('/cpes', async (context) => {
    assertPermission(context, 'cpes.read');
    const q = pageQuery(context, ['q']).q ?? '';
    let cpes: CpeListItem[] | null = null;
    try {
      cpes = (await callApi<{ items: CpeListItem[] }>(context, fetchApp, 'GET', '/api/v1/cpes')).items;
    } catch (error) {
      if (!(error instanceof KiungaError && error.code === 'genieacs_not_configured')) throw error;
    }
    const settings =
      consolePath === '/isp' && can(context, 'settings.write')
        ? await callApi<GenieAcsSettingsView>(context, fetchApp, 'GET', '/api/v1/settings/genieacs')
        : null;
    return renderHtml(
      context,
      <CpeListPage
        shell={options.shell(context)}
        consolePath={consolePath}
        cpes={cpes}
        subscriberNames={await subscriberNamesOf(context, fetchApp)}
        q={q}
        canReboot={can(context, 'cpes.manage')}
        settings={settings}
      />,
    );
  });

  if (consolePath === '/isp') {
    routes.post('/cpes/settings', (context) =>
      withFormErrors(context, `${consolePath}/cpes`, async () => {
        const fields = await formFields(context);
        await callApi(context, fetchApp, 'PUT', '/api/v1/settings/genieacs', {
          url: fields.url?.trim() ?? '',
          ...(fields.username ? { username: fields.username } : {}),
          ...(fields.password ? { password: fields.password } : {}),
        });
        return redirectWithFlash(context, `${consolePath}/cpes`, 'ok', 'TR-069 server saved.');
      }),
    );
  }

  routes.get('/cpes/:id', async (context) => {
    assertPermission(context, 'cpes.read');
    const cpe = await callApi<CpeDetail>(
      context,
      fetchApp,
      'GET',
      `/api/v1/cpes/${encodeURIComponent(idOf(context))}`,
    );
    const names = await subscriberNamesOf(context, fetchApp);
    return renderHtml(
      context,
      <CpeDetailPage
        shell={options.shell(context)}
        consolePath={consolePath}
        cpe={cpe}
        subscriberName={cpe.subscriberId === null ? null : (names.get(cpe.subscriberId) ?? cpe.subscriberId)}
        canManage={can(context, 'cpes.manage')}
      />,
    );
  });

  routes.post('/cpes/:id/reboot', (context) => {
    const back = cpeHref(consolePath, idOf(context));
    return withFormErrors(context, back, async () => {
      const result = await callApi<CpeTaskResult>(
        context,
        fetchApp,
        'POST',
        `/api/v1/cpes/${encodeURIComponent(idOf(context))}/reboot`,
      );
      const flash = taskFlash(result, 'Reboot');
      return redirectWithFlash(context, back, flash.kind, flash.text);
    });
  });

  routes.post('/cpes/:id/wifi', (context) => {
    const back = cpeHref(consolePath, idOf(context));
    return withFormErrors(context, back, async () => {
      const fields = await formFields(context);
      const result = await callApi<CpeTaskResult>(
        context,
        fetchApp,
        'POST',
        `/api/v1/cpes/${encodeURIComponent(idOf(context))}/wifi`,
        { ssid: fields.ssid ?? '', password: fields.password ?? '' },
      );
      const flash = taskFlash(result, 'Wi-Fi change');
      return redirectWithFlash(context, back, flash.kind, flash.text);
    });
  });

  return routes;
}
