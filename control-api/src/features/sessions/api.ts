// /api/v1/sessions: live sessions (from the AAA server), closed history (from the shard), disconnect.
import {
  disconnectOutputSchema,
  liveSessionOutputSchema,
  pageResponseSchema,
  sessionFilterQuerySchema,
} from '@kiunga/schemas';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { disconnectSession, getSession, listLiveSessions, listSessionHistory } from './service';

const listQuerySchema = sessionFilterQuerySchema.extend(pageQuerySchema.shape);

const sessions = routeGroup({ basePath: '/api/v1/sessions', tag: 'sessions' });

sessions.declare({
  method: 'get',
  path: '/',
  summary:
    'Live sessions with bytes and uptime (filter by nasId, subscriberId, voucherId); pushed as they change over the WebSocket /api/v1/sessions/live',
  permission: 'sessions.read',
  query: listQuerySchema,
  response: pageResponseSchema(liveSessionOutputSchema),
  handler: async ({ query: { limit, cursor, ...filter }, dependencies, respond }, context) =>
    respond(
      await listLiveSessions(
        dependencies.aaa,
        tenantIdOf(context),
        filter,
        { limit, cursor },
        dependencies.clock.now(),
      ),
    ),
});

sessions.declare({
  method: 'get',
  path: '/history',
  summary: 'Closed sessions, newest first',
  permission: 'sessions.read',
  query: listQuerySchema,
  response: pageResponseSchema(liveSessionOutputSchema),
  handler: async ({ query: { limit, cursor, ...filter }, dependencies, respond }, context) =>
    respond(await listSessionHistory(tenantDatabaseOf(context, dependencies), filter, { limit, cursor })),
});

sessions.declare({
  method: 'get',
  path: '/:id',
  summary: 'A live or closed session',
  permission: 'sessions.read',
  params: idParamsSchema,
  response: liveSessionOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await getSession(
        dependencies.aaa,
        tenantIdOf(context),
        tenantDatabaseOf(context, dependencies),
        params.id,
        dependencies.clock.now(),
      ),
    ),
});

sessions.declare({
  method: 'post',
  path: '/:id/disconnect',
  summary: 'Send Disconnect-Request to the NAS of a live session',
  permission: 'sessions.disconnect',
  params: idParamsSchema,
  response: disconnectOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await disconnectSession(
        dependencies.aaa,
        tenantIdOf(context),
        params.id,
        auditorOf(dependencies, context),
      ),
    ),
});

export const sessionRoutes = (dependencies: ApiDependencies) => sessions.mount(dependencies);
