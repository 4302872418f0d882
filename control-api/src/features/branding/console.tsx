// ISP console page about branding (/isp/branding): the name, colours and logo subscribers see —
// read and saved through /api/v1/branding in-process.
import type { Branding } from '@kiunga/schemas';
import { Hono } from 'hono';
import { ispPageKit } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { readTenantProfile } from './service';
import { BrandingPage } from './views';

export function ispBrandingRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  routes.get('/branding', async (context) => {
    assertPermission(context, 'branding.write');
    const branding = await api<Branding>(context, 'GET', '/api/v1/branding');
    const profile = await readTenantProfile(
      dependencies.databases.platform,
      context.get('principal').tenantId ?? '',
    );
    return renderHtml(
      context,
      <BrandingPage shell={shell(context)} branding={branding} ispName={profile.name} />,
    );
  });

  routes.post('/branding', (context) =>
    withFormErrors(context, '/isp/branding', async () => {
      const body = await context.req.parseBody();
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
      const file = body.logoFile;
      let logo: string | null | undefined;
      if (file instanceof File && file.size > 0) {
        const base64 = Buffer.from(await file.arrayBuffer()).toString('base64');
        logo = `data:${file.type};base64,${base64}`;
      } else if (text('logoUrl')) logo = text('logoUrl');
      else if (text('removeLogo') === 'true') logo = null;
      await api<Branding>(context, 'PATCH', '/api/v1/branding', {
        displayName: text('displayName') || null,
        primaryColor: text('primaryColor'),
        accentColor: text('accentColor'),
        ...(logo === undefined ? {} : { logo }),
      });
      return redirectWithFlash(context, '/isp/branding', 'ok', 'Branding saved.');
    }),
  );

  return routes;
}
