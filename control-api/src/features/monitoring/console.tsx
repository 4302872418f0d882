// ISP console router health (/isp/nas/:id/health) through GET /api/v1/nas/<id>/health in-process, and
// the form that sets a router's SNMP (PATCH /api/v1/nas/<id> with `snmp`) from its empty state.
import type { NasOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { ispPageKit } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  can,
  formFields,
  optionalNumber,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { NasHealthOutput } from './service';
import { NasHealthPage } from './views';

export function ispNasHealthRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);
  const nasPathOf = (id: string) => `/api/v1/nas/${encodeURIComponent(id)}`;

  routes.get('/nas/:id/health', async (context) => {
    assertPermission(context, 'nas.read');
    const path = nasPathOf(context.req.param('id'));
    const nas = await api<NasOutput>(context, 'GET', path);
    const health = await api<NasHealthOutput>(context, 'GET', `${path}/health`);
    return renderHtml(
      context,
      <NasHealthPage shell={shell(context)} nas={nas} health={health} canWrite={can(context, 'nas.write')} />,
    );
  });

  routes.post('/nas/:id/snmp', (context) => {
    const id = context.req.param('id');
    const back = `/isp/nas/${encodeURIComponent(id)}/health`;
    // The field's name says "secret" so that a refused form keeps no draft of the community.
    return withFormErrors(context, back, async () => {
      const fields = await formFields(context);
      const snmp = {
        community: fields.communitySecret ?? '',
        port: optionalNumber(fields, 'port'),
        version: '2c',
      };
      await api<NasOutput>(context, 'PATCH', nasPathOf(id), { snmp });
      return redirectWithFlash(context, back, 'ok', 'SNMP set: the first poll comes within a minute.');
    });
  });
  return routes;
}
