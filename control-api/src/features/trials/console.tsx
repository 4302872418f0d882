// ISP console page /isp/trials: what happens when a PPPoE trial ends (GET/PUT /api/v1/settings/trials).
// Subscribers are put on trial through POST /api/v1/subscribers/<id>/trial.
import { type Context, Hono } from 'hono';
import { CsrfField } from '../../console/components';
import { ISP_NAV } from '../../console/isp-nav';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  can,
  formFields,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { TrialSettings } from './store';

const PAGE_PATH = '/isp/trials';

export function ispTrialRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/trials', async (context) => {
    const settings = await callApi<TrialSettings>(context, fetchApp, 'GET', '/api/v1/settings/trials');
    return renderHtml(
      context,
      <TrialPage shell={shell(context)} settings={settings} canWrite={can(context, 'settings.write')} />,
    );
  });

  routes.post('/trials', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      await callApi(context, fetchApp, 'PUT', '/api/v1/settings/trials', { endAction: fields.endAction });
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Trial settings saved.');
    }),
  );
  return routes;
}

function TrialPage(props: { shell: ConsoleShell; settings: TrialSettings; canWrite: boolean }) {
  return (
    <Layout title="PPPoE trials" shell={props.shell}>
      <h1>PPPoE trials</h1>
      <section class="card" id="trial-settings">
        <p>A subscriber put on trial gets no invoice until the trial ends. Then:</p>
        <form method="post" action={PAGE_PATH}>
          <CsrfField token={props.shell.csrfToken} />
          <fieldset disabled={!props.canWrite}>
            <label>
              <input
                type="radio"
                name="endAction"
                value="bill"
                checked={props.settings.endAction === 'bill'}
              />{' '}
              Bill from the trial's end (the first bill covers the rest of that cycle)
            </label>
            <label>
              <input
                type="radio"
                name="endAction"
                value="expire"
                checked={props.settings.endAction === 'expire'}
              />{' '}
              End the service at the trial's end
            </label>
            <button type="submit">Save</button>
          </fieldset>
        </form>
      </section>
    </Layout>
  );
}
