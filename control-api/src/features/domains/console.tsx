// ISP console page /isp/domain: the ISP's own domain for its portals, the two DNS records to add at its
// DNS provider (docs/custom-domains.md), Verify and Remove — all through /api/v1/settings/domain in-process.
import { type Context, Hono } from 'hono';
import { CsrfField } from '../../console/components';
import { ISP_NAV } from '../../console/isp-nav';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  formFields,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { DomainView } from './service';

const PAGE_PATH = '/isp/domain';
const API_PATH = '/api/v1/settings/domain';

const REASON_TEXT: Readonly<Record<string, string>> = {
  record_found: 'Verified: your portal is served at your domain.',
  record_missing: 'Not verified yet: the TXT record was not found. DNS changes can take a while to show.',
  record_mismatch: 'Not verified: a TXT record is there but does not hold the value below.',
  lookup_failed: 'DNS did not answer: try again in a minute.',
};

export function ispDomainRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);
  const kiungaHost = new URL(dependencies.publicUrl).hostname;

  routes.get('/domain', async (context) => {
    const view = await callApi<DomainView>(context, fetchApp, 'GET', API_PATH);
    return renderHtml(context, <DomainPage shell={shell(context)} view={view} kiungaHost={kiungaHost} />);
  });

  routes.post('/domain', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      await callApi(context, fetchApp, 'PUT', API_PATH, { domain: fields.domain ?? '' });
      return redirectWithFlash(
        context,
        PAGE_PATH,
        'ok',
        'Domain saved: add the two records below, then Verify.',
      );
    }),
  );

  routes.post('/domain/verify', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const result = await callApi<DomainView & { reason: string }>(
        context,
        fetchApp,
        'POST',
        `${API_PATH}/verify`,
      );
      const text = REASON_TEXT[result.reason] ?? result.reason;
      return redirectWithFlash(context, PAGE_PATH, result.verified ? 'ok' : 'error', text);
    }),
  );

  routes.post('/domain/remove', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      await callApi(context, fetchApp, 'DELETE', API_PATH);
      return redirectWithFlash(
        context,
        PAGE_PATH,
        'ok',
        "Domain removed: your portal is at Kiunga's address.",
      );
    }),
  );
  return routes;
}

function DomainPage(props: { shell: ConsoleShell; view: DomainView; kiungaHost: string }) {
  const { view, shell } = props;
  return (
    <Layout title="Domain" shell={shell}>
      <h1>Your own domain</h1>
      <section class="card" id="domain-form">
        <p>
          Serve your captive portal, customer account pages and sign-in page at your own address, such as{' '}
          <code>wifi.example.co.ke</code>.
        </p>
        <form method="post" action={PAGE_PATH}>
          <CsrfField token={shell.csrfToken} />
          <label for="domain">Domain</label>
          <input
            id="domain"
            name="domain"
            required
            value={view.domain ?? ''}
            placeholder="wifi.example.co.ke"
          />
          <button type="submit">Save</button>
        </form>
      </section>
      {view.domain && view.txtRecord ? (
        <section class="card" id="domain-records">
          <h2>
            {view.domain}: {view.verified ? 'verified' : 'not verified yet'}
          </h2>
          <p>At your DNS provider, add these two records:</p>
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <code>{view.domain}</code>
                </td>
                <td>CNAME</td>
                <td>
                  <code>{props.kiungaHost}</code>
                </td>
              </tr>
              <tr>
                <td>
                  <code>{view.txtRecord.name}</code>
                </td>
                <td>TXT</td>
                <td>
                  <code>{view.txtRecord.value}</code>
                </td>
              </tr>
            </tbody>
          </table>
          <form method="post" action={`${PAGE_PATH}/verify`}>
            <CsrfField token={shell.csrfToken} />
            <button type="submit">Verify</button>
          </form>
          <form method="post" action={`${PAGE_PATH}/remove`}>
            <CsrfField token={shell.csrfToken} />
            <button type="submit" class="secondary">
              Remove domain
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
