// ISP console M-Pesa page (/isp/mpesa): the ISP's Daraja settings and C2B registration, through the API.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../console/isp-nav';
import {
  type AppFetch,
  callApi,
  can,
  formFields,
  optionalText,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../console/support';
import type { MpesaSettingsView } from '../features/settings/api';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { MpesaPage } from './views';

const PAGE_PATH = '/isp/mpesa';

/** The flash after saving: registered, still retrying, or Daraja's refusal and what to do about it. */
function savedMessage(settings: MpesaSettingsView): { kind: 'ok' | 'error'; text: string } {
  const registration = settings.c2bRegistration;
  if (registration?.status === 'failed') {
    return { kind: 'error', text: `Saved, but ${registration.lastError ?? 'Daraja refused the C2B URLs.'}` };
  }
  if (registration?.status === 'pending') {
    return { kind: 'ok', text: 'M-Pesa settings saved. Daraja could not be reached yet: retrying.' };
  }
  return { kind: 'ok', text: 'M-Pesa settings saved and C2B URLs registered with Daraja.' };
}

export function ispMpesaRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/mpesa', async (context) => {
    const settings = await callApi<MpesaSettingsView>(context, fetchApp, 'GET', '/api/v1/settings/mpesa');
    return renderHtml(
      context,
      <MpesaPage shell={shell(context)} settings={settings} canWrite={can(context, 'settings.write')} />,
    );
  });

  routes.post('/mpesa', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      const saved = await callApi<MpesaSettingsView>(context, fetchApp, 'PUT', '/api/v1/settings/mpesa', {
        shortcode: fields.shortcode?.trim() ?? '',
        transactionType: fields.transactionType,
        partyB: optionalText(fields, 'partyB'),
        c2bApiVersion: fields.c2bApiVersion,
        // Named secret* so a form-error draft never keeps them (console-support).
        consumerKey: optionalText(fields, 'secretConsumerKey'),
        consumerSecret: optionalText(fields, 'secretConsumerSecret'),
        passkey: optionalText(fields, 'secretPasskey'),
      });
      const message = savedMessage(saved);
      return redirectWithFlash(context, PAGE_PATH, message.kind, message.text);
    }),
  );
  return routes;
}
