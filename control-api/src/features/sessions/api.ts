// /api/v1/sessions: live sessions (from the AAA server), closed history (from the shard), disconnect.
import {
  disconnectOutputSchema,
  liveSessionOutputSchema,
  pageResponseSchema,
  sessionFilterQuerySchema,
} from '@kiunga/schemas';
import { Hono } from 'hono';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseQuery } from '../../kernel/validation';
import { disconnectSession, getSession, listLiveSessions, listSessionHistory } from './service';

const listQuerySchema = sessionFilterQuerySchema.extend(pageQuerySchema.shape);

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/sessions',
    summary:
      'Live sessions with bytes and uptime (filter by nasId, subscriberId, voucherId); pushed as they change over the WebSocket /api/v1/sessions/live',
    tag: 'sessions',
    permission: 'sessions.read',
    query: listQuerySchema,
    response: pageResponseSchema(liveSessionOutputSchema),
  },
  {
    method: 'get',
    path: '/api/v1/sessions/history',
    summary: 'Closed sessions, newest first',
    tag: 'sessions',
    permission: 'sessions.read',
    query: listQuerySchema,
    response: pageResponseSchema(liveSessionOutputSchema),
  },
  {
    method: 'get',
    path: '/api/v1/sessions/{id}',
    summary: 'A live or closed session',
    tag: 'sessions',
    permission: 'sessions.read',
    response: liveSessionOutputSchema,
  },
  {
    method: 'post',
    path: '/api/v1/sessions/{id}/disconnect',
    summary: 'Send Disconnect-Request to the NAS of a live session',
    tag: 'sessions',
    permission: 'sessions.disconnect',
    response: disconnectOutputSchema,
  },
]);

export function sessionRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { aaa, clock } = dependencies;

  routes.get('/', requirePermission('sessions.read'), async (context) => {
    const { limit, cursor, ...filter } = parseQuery(context, listQuerySchema);
    return context.json(
      await listLiveSessions(aaa, tenantIdOf(context), filter, { limit, cursor }, clock.now()),
    );
  });

  routes.get('/history', requirePermission('sessions.read'), async (context) => {
    const { limit, cursor, ...filter } = parseQuery(context, listQuerySchema);
    return context.json(
      await listSessionHistory(tenantDatabaseOf(context, dependencies), filter, { limit, cursor }),
    );
  });

  routes.get('/:id', requirePermission('sessions.read'), async (context) =>
    context.json(
      await getSession(
        aaa,
        tenantIdOf(context),
        tenantDatabaseOf(context, dependencies),
        context.req.param('id'),
        clock.now(),
      ),
    ),
  );

  routes.post('/:id/disconnect', requirePermission('sessions.disconnect'), async (context) => {
    const sessionId = context.req.param('id');
    const outcome = await disconnectSession(aaa, tenantIdOf(context), sessionId);
    await recordAudit(dependencies, context, {
      action: 'session.disconnect',
      target: sessionId,
      detail: outcome,
    });
    return context.json(outcome);
  });

  return routes;
}
