// Diagnostics pages: /isp/diagnostics (ISP console) and /tech/diagnostics (technician panel), both
// through GET /api/v1/diagnostics in-process, with a disconnect button per device online.
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  can,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { KiungaError } from '../../kernel/errors';
import type { Diagnosis } from './service';
import { DiagnosticsPage } from './views';

/** `<consolePath>/diagnostics` ('/isp' or '/tech'), in that console's shell; mount on the console's routes. */
export function diagnosticsPageRoutes(
  fetchApp: AppFetch,
  options: { consolePath: '/isp' | '/tech'; shell: (context: Context<AppEnv>) => ConsoleShell },
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const path = `${options.consolePath}/diagnostics`;

  routes.get('/diagnostics', async (context) => {
    assertPermission(context, 'sessions.read');
    const q = (pageQuery(context, ['q']).q ?? '').trim();
    const diagnosis = q === '' ? null : await diagnosisOf(context, fetchApp, q);
    return renderHtml(
      context,
      <DiagnosticsPage
        shell={options.shell(context)}
        path={path}
        q={q}
        diagnosis={diagnosis}
        canDisconnect={can(context, 'sessions.disconnect')}
      />,
    );
  });

  routes.post('/diagnostics/sessions/:id/disconnect', (context) => {
    const back = `${path}?q=${encodeURIComponent(context.req.query('q') ?? '')}`;
    return withFormErrors(context, back, async () => {
      const result = await callApi<{ outcome: 'ack' | 'nak' | 'timeout' }>(
        context,
        fetchApp,
        'POST',
        `/api/v1/sessions/${encodeURIComponent(context.req.param('id'))}/disconnect`,
      );
      if (result.outcome === 'ack')
        return redirectWithFlash(context, back, 'ok', 'Disconnected: the router confirmed.');
      const why = result.outcome === 'nak' ? 'the router refused (NAK)' : 'the router did not answer';
      return redirectWithFlash(context, back, 'error', `Not disconnected: ${why}.`);
    });
  });
  return routes;
}

/** The diagnosis, or null when nothing matches the search (the API's 404). */
async function diagnosisOf(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
  q: string,
): Promise<Diagnosis | null> {
  try {
    return await callApi<Diagnosis>(
      context,
      fetchApp,
      'GET',
      `/api/v1/diagnostics?q=${encodeURIComponent(q)}`,
    );
  } catch (error) {
    if (error instanceof KiungaError && error.code === 'not_found') return null;
    throw error;
  }
}
