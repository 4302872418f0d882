// /api/v1/notifications: the ISP's outbox of messages to subscribers (reminders, suspension and
// reactivation notices) and what became of each: pending, sending, sent or failed with the reason.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { parseQuery } from '../../kernel/validation';
import { listNotifications, NOTIFICATION_STATUSES, notificationOutputSchema } from './outbox';

const listQuerySchema = pageQuerySchema.extend({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  subscriberId: z.string().max(64).optional(),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/notifications',
    summary: 'List messages to subscribers, newest first, with their SMS delivery state',
    tag: 'billing',
    permission: 'billing.read',
    query: listQuerySchema,
    response: z.object({ items: z.array(notificationOutputSchema), nextCursor: z.string().nullable() }),
  },
]);

export function notificationRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', requirePermission('billing.read'), async (context) => {
    const query = parseQuery(context, listQuerySchema);
    return context.json(await listNotifications(tenantDatabaseOf(context, dependencies), query));
  });
  return routes;
}
