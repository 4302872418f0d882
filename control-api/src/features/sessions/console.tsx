// ISP console pages about sessions (/isp/sessions): who is online now (with disconnect) and the
// session history — all through /api/v1/sessions (and /api/v1/nas for router names) in-process.
import type { NasOutput, SessionOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { type IspContext, ispPageKit, LOOKUP_LIMIT } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  callApiPage,
  can,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import { SessionHistoryPage, SessionsPage } from './views';

export function ispSessionRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);
  /** Router names by id for the session rows; none without the permission to read routers. */
  const routerNamesOf = async (context: IspContext) => {
    const devices = can(context, 'nas.read')
      ? (await api<Page<NasOutput>>(context, 'GET', `/api/v1/nas?limit=${LOOKUP_LIMIT}`)).items
      : [];
    return new Map(devices.map((nas) => [nas.id, nas.name]));
  };

  routes.get('/sessions', async (context) => {
    assertPermission(context, 'sessions.read');
    const query = pageQuery(context, []);
    const page = await callApiPage<SessionOutput>(context, fetchApp, '/api/v1/sessions', query);
    return renderHtml(
      context,
      <SessionsPage
        shell={shell(context)}
        sessions={page.items}
        nasNames={await routerNamesOf(context)}
        nextCursor={page.nextCursor}
        query={query}
        canDisconnect={can(context, 'sessions.disconnect')}
        isLive={query.cursor === undefined}
      />,
    );
  });

  routes.get('/sessions/history', async (context) => {
    assertPermission(context, 'sessions.read');
    const query = pageQuery(context, []);
    const [page, nasNames] = await Promise.all([
      callApiPage<SessionOutput>(context, fetchApp, '/api/v1/sessions/history', query),
      routerNamesOf(context),
    ]);
    return renderHtml(
      context,
      <SessionHistoryPage
        shell={shell(context)}
        sessions={page.items}
        nasNames={nasNames}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });

  routes.post('/sessions/:id/disconnect', (context) =>
    withFormErrors(context, '/isp/sessions', async () => {
      const result = await api<{ outcome: 'ack' | 'nak' | 'timeout' }>(
        context,
        'POST',
        `/api/v1/sessions/${encodeURIComponent(context.req.param('id'))}/disconnect`,
      );
      if (result.outcome === 'ack')
        return redirectWithFlash(context, '/isp/sessions', 'ok', 'Disconnected: the router confirmed.');
      const why = result.outcome === 'nak' ? 'the router refused (NAK)' : 'the router did not answer';
      return redirectWithFlash(context, '/isp/sessions', 'error', `Not disconnected: ${why}.`);
    }),
  );

  return routes;
}
