// /api/v1/notifications: the ISP's outbox of messages to subscribers (reminders, suspension and
// reactivation notices) and what became of each: pending, sending, sent or failed with the reason.
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { listNotifications, NOTIFICATION_STATUSES, notificationOutputSchema } from './outbox';

const listQuerySchema = pageQuerySchema.extend({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  subscriberId: z.string().max(64).optional(),
});

const notifications = routeGroup({ basePath: '/api/v1/notifications', tag: 'billing' });

notifications.declare({
  method: 'get',
  path: '/',
  summary: 'List messages to subscribers, newest first, with their SMS delivery state',
  permission: 'billing.read',
  query: listQuerySchema,
  response: z.object({ items: z.array(notificationOutputSchema), nextCursor: z.string().nullable() }),
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await listNotifications(tenantDatabaseOf(context, dependencies), query)),
});

export const notificationRoutes = (dependencies: ApiDependencies) => notifications.mount(dependencies);
