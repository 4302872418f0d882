// ISP console page /isp/guest-passes: the "try free" offer on the captive portal, through
// GET/PUT /api/v1/settings/guest-passes.
import { type Context, Hono } from 'hono';
import { CsrfField } from '../../console/components';
import { ISP_NAV } from '../../console/isp-nav';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  can,
  formFields,
  optionalNumber,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { SmsSettingsView } from '../notifications/sms-settings';
import type { GuestPassSettings } from './core/index';

const PAGE_PATH = '/isp/guest-passes';
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3_600;

export function ispGuestPassRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/guest-passes', async (context) => {
    const [settings, sms] = await Promise.all([
      callApi<GuestPassSettings>(context, fetchApp, 'GET', '/api/v1/settings/guest-passes'),
      callApi<SmsSettingsView>(context, fetchApp, 'GET', '/api/v1/settings/sms'),
    ]);
    return renderHtml(
      context,
      <GuestPassPage
        shell={shell(context)}
        settings={settings}
        hasSmsAccount={sms.isConfigured}
        canWrite={can(context, 'settings.write')}
      />,
    );
  });

  routes.post('/guest-passes', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      const minutes = optionalNumber(fields, 'durationMinutes');
      const periodHours = optionalNumber(fields, 'perDevicePeriodHours');
      const phoneHours = optionalNumber(fields, 'perPhonePeriodHours');
      await callApi(context, fetchApp, 'PUT', '/api/v1/settings/guest-passes', {
        enabled: fields.enabled === 'on',
        durationSeconds: minutes === undefined ? undefined : Math.round(minutes * SECONDS_PER_MINUTE),
        rateUpKbps: optionalNumber(fields, 'rateUpKbps'),
        rateDownKbps: optionalNumber(fields, 'rateDownKbps'),
        perDevicePeriodSeconds:
          periodHours === undefined ? undefined : Math.round(periodHours * SECONDS_PER_HOUR),
        perPhonePeriodSeconds: phoneHours === undefined ? null : Math.round(phoneHours * SECONDS_PER_HOUR),
        dailyCap: optionalNumber(fields, 'dailyCap'),
        requirePhone: fields.requirePhone === 'on',
      });
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Guest-pass settings saved.');
    }),
  );
  return routes;
}

function NumberField(props: { id: string; label: string; value: number | null; min: number; step?: string }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type="number"
        min={props.min}
        step={props.step ?? '1'}
        value={props.value === null ? '' : String(props.value)}
      />
    </div>
  );
}

function GuestPassPage(props: {
  shell: ConsoleShell;
  settings: GuestPassSettings;
  hasSmsAccount: boolean;
  canWrite: boolean;
}) {
  const { settings } = props;
  return (
    <Layout title="Guest passes" shell={props.shell}>
      <h1>Guest passes</h1>
      <section class="card" id="guest-pass-settings">
        <p>
          {settings.enabled
            ? `The captive portal offers "Try free for ${Math.round(settings.durationSeconds / SECONDS_PER_MINUTE)} minutes".`
            : 'Guest passes are off: the captive portal offers no free try.'}
        </p>
        {settings.enabled && settings.requirePhone && !props.hasSmsAccount ? (
          <p class="flash error" role="alert" id="guest-pass-sms-warning">
            Phone codes are required but no SMS account is set up: clients asking for a code are told the
            network cannot send SMS codes, so nobody gets a free pass. Set up SMS under{' '}
            <a href="/isp/messages">Messages</a> or turn the phone check off.
          </p>
        ) : null}
        <form method="post" action={PAGE_PATH}>
          <CsrfField token={props.shell.csrfToken} />
          <fieldset disabled={!props.canWrite}>
            <label>
              <input type="checkbox" name="enabled" checked={settings.enabled} /> Offer guest passes
            </label>
            <label>
              <input type="checkbox" name="requirePhone" checked={settings.requirePhone} /> Ask for a phone
              number and check it with a one-time SMS code (Tier 2)
            </label>
            <div class="row">
              <NumberField
                id="durationMinutes"
                label="Minutes per pass"
                value={settings.durationSeconds / SECONDS_PER_MINUTE}
                min={1}
              />
              <NumberField
                id="rateDownKbps"
                label="Download (kbit/s)"
                value={settings.rateDownKbps}
                min={64}
              />
              <NumberField id="rateUpKbps" label="Upload (kbit/s)" value={settings.rateUpKbps} min={64} />
            </div>
            <div class="row">
              <NumberField
                id="perDevicePeriodHours"
                label="One pass per device every (hours)"
                value={settings.perDevicePeriodSeconds / SECONDS_PER_HOUR}
                min={0}
                step="any"
              />
              <NumberField
                id="perPhonePeriodHours"
                label="One pass per phone every (hours, empty: no phone limit)"
                value={
                  settings.perPhonePeriodSeconds === null
                    ? null
                    : settings.perPhonePeriodSeconds / SECONDS_PER_HOUR
                }
                min={0}
                step="any"
              />
              <NumberField
                id="dailyCap"
                label="Passes per day for the network"
                value={settings.dailyCap}
                min={1}
              />
            </div>
            <button type="submit">Save</button>
          </fieldset>
        </form>
      </section>
    </Layout>
  );
}
