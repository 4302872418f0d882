// ISP console pages about routers (/isp/nas): list, add (secret shown once), edit, rotate the secret
// (shown once), delete, and the RouterOS script — all through /api/v1/nas in-process.
import { KiungaError, type NasOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { type IspContext, ispPageKit } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  callApiPage,
  can,
  formFields,
  optionalNumber,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  withFormErrors,
  withQuery,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { NasCreatedPage, NasEditPage, NasPage, NasScriptPage } from './views';

type NasWithSecret = NasOutput & { secret: string; routerosScript: string };

/** NAS form fields into the API's input; an empty address or identifier clears it. */
function nasInputOf(fields: Record<string, string>) {
  return {
    name: fields.name?.trim() ?? '',
    ipAddress: optionalText(fields, 'ipAddress') ?? null,
    identifier: optionalText(fields, 'identifier') ?? null,
    coaPort: optionalNumber(fields, 'coaPort') ?? 3799,
    requireMessageAuthenticator: fields.requireMessageAuthenticator === 'true',
    hotspotDnsName: optionalText(fields, 'hotspotDnsName') ?? null,
    isHotspotHttps: fields.isHotspotHttps === 'true',
  };
}

export function ispNasRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);
  const apiPathOf = (context: IspContext) =>
    `/api/v1/nas/${encodeURIComponent(context.req.param('id') ?? '')}`;
  const showSecret = (context: IspContext, created: NasWithSecret, isRotated: boolean) => {
    const { secret, routerosScript, ...nas } = created;
    return renderHtml(
      context,
      <NasCreatedPage
        shell={shell(context)}
        nas={nas}
        secret={secret}
        script={routerosScript}
        isRotated={isRotated}
      />,
      isRotated ? 200 : 201,
    );
  };

  routes.get('/nas', async (context) => {
    assertPermission(context, 'nas.read');
    const draft = takeDraft(context);
    const query = pageQuery(context, []);
    const page = await callApiPage<NasOutput>(context, fetchApp, '/api/v1/nas', query);
    return renderHtml(
      context,
      <NasPage
        shell={shell(context)}
        devices={page.items}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'nas.write')}
        hasScript
        draft={draft}
      />,
    );
  });

  routes.post('/nas', (context) =>
    withFormErrors(context, '/isp/nas', async () => {
      const input = nasInputOf(await formFields(context));
      return showSecret(context, await api<NasWithSecret>(context, 'POST', '/api/v1/nas', input), false);
    }),
  );

  routes.get('/nas/:id', async (context) => {
    assertPermission(context, 'nas.write');
    const nas = await api<NasOutput>(context, 'GET', apiPathOf(context));
    return renderHtml(context, <NasEditPage shell={shell(context)} nas={nas} />);
  });

  routes.post('/nas/:id', (context) =>
    withFormErrors(context, `/isp/nas/${encodeURIComponent(context.req.param('id'))}`, async () => {
      const input = nasInputOf(await formFields(context));
      const nas = await api<NasOutput>(context, 'PATCH', apiPathOf(context), input);
      return redirectWithFlash(context, '/isp/nas', 'ok', `Router “${nas.name}” saved.`);
    }),
  );

  routes.post('/nas/:id/rotate-secret', (context) =>
    withFormErrors(context, '/isp/nas', async () =>
      showSecret(
        context,
        await api<NasWithSecret>(context, 'POST', `${apiPathOf(context)}/rotate-secret`),
        true,
      ),
    ),
  );

  routes.post('/nas/:id/delete', (context) =>
    withFormErrors(context, '/isp/nas', async () => {
      const nas = await api<NasOutput>(context, 'DELETE', apiPathOf(context));
      return redirectWithFlash(context, '/isp/nas', 'ok', `Router “${nas.name}” deleted.`);
    }),
  );

  // The ISP may say which IP address(es) its routers reach Kiunga's RADIUS at; the API refuses a host
  // name, and the form then says why next to the script with the default address.
  routes.get('/nas/:id/script', async (context) => {
    const path = apiPathOf(context);
    const radiusAddress = context.req.query('radiusAddress')?.trim() ?? '';
    const nas = await api<NasOutput>(context, 'GET', path);
    const scriptPath = `${path}/routeros-script`;
    let addressError: string | null = null;
    let script: string;
    try {
      script = await api<string>(context, 'GET', withQuery(scriptPath, { radiusAddress }));
    } catch (error) {
      if (!(error instanceof KiungaError) || error.code !== 'validation_failed') throw error;
      addressError = error.message;
      script = await api<string>(context, 'GET', scriptPath);
    }
    return renderHtml(
      context,
      <NasScriptPage
        shell={shell(context)}
        nas={nas}
        script={script}
        radiusAddress={radiusAddress}
        addressError={addressError}
      />,
      addressError ? 400 : 200,
    );
  });

  return routes;
}
