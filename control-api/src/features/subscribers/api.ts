// /api/v1/subscribers: PPPoE/static accounts — create, edit, change plan, suspend, reactivate, delete, search.
import {
  changePlanInputSchema,
  createSubscriberInputSchema,
  listSubscribersQuerySchema,
  pageResponseSchema,
  reactivateInputSchema,
  subscriberOutputSchema,
  updateSubscriberInputSchema,
} from '@kiunga/schemas';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody } from '../../kernel/validation';
import type { SessionEffects } from '../sessions/service';
import {
  createSubscriber,
  deleteSubscriber,
  getSubscriber,
  listSubscribers,
  moveSubscriberToPlan,
  reactivateSubscriber,
  suspendSubscriber,
  updateSubscriber,
} from './service';

const listQuerySchema = listSubscribersQuerySchema.extend(pageQuerySchema.shape);
const coaReportSchema = z.object({ sessions: z.number().int(), acknowledged: z.number().int() });
const createdOutputSchema = subscriberOutputSchema.extend({ password: z.string().optional() });
const disconnectedOutputSchema = subscriberOutputSchema.extend({ disconnected: coaReportSchema });

function sessionEffectsOf(dependencies: ApiDependencies, context: Context<AppEnv>): SessionEffects {
  return { aaa: dependencies.aaa, tenantId: tenantIdOf(context), audit: auditorOf(dependencies, context) };
}

const subscribers = routeGroup({ basePath: '/api/v1/subscribers', tag: 'subscribers' });

subscribers.declare({
  method: 'get',
  path: '/',
  summary: 'List and search subscribers (q matches username, account, name, phone)',
  permission: 'subscribers.read',
  feature: 'pppoe',
  query: listQuerySchema,
  response: pageResponseSchema(subscriberOutputSchema),
  handler: async ({ query: { limit, cursor, ...filter }, dependencies, respond }, context) =>
    respond(await listSubscribers(tenantDatabaseOf(context, dependencies), filter, { limit, cursor })),
});

subscribers.declare({
  method: 'post',
  path: '/',
  summary: 'Create a subscriber; a generated password is returned once',
  permission: 'subscribers.write',
  feature: 'pppoe',
  body: createSubscriberInputSchema,
  response: createdOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createSubscriber(
        tenantDatabaseOf(context, dependencies),
        dependencies.secretBox,
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

subscribers.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a subscriber',
  permission: 'subscribers.read',
  feature: 'pppoe',
  params: idParamsSchema,
  response: subscriberOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await getSubscriber(tenantDatabaseOf(context, dependencies), params.id)),
});

subscribers.declare({
  method: 'patch',
  path: '/:id',
  summary: 'Edit a subscriber',
  permission: 'subscribers.write',
  feature: 'pppoe',
  params: idParamsSchema,
  body: updateSubscriberInputSchema,
  response: subscriberOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await updateSubscriber(
        tenantDatabaseOf(context, dependencies),
        dependencies.secretBox,
        params.id,
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

subscribers.declare({
  method: 'delete',
  path: '/:id',
  summary: 'Disconnect and delete a subscriber',
  permission: 'subscribers.write',
  feature: 'pppoe',
  params: idParamsSchema,
  response: disconnectedOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await deleteSubscriber(
        tenantDatabaseOf(context, dependencies),
        params.id,
        sessionEffectsOf(dependencies, context),
      ),
    ),
});

subscribers.declare({
  method: 'post',
  path: '/:id/change-plan',
  summary: 'Move to another plan; live sessions get the new rate by CoA',
  permission: 'subscribers.write',
  feature: 'pppoe',
  params: idParamsSchema,
  body: changePlanInputSchema,
  response: subscriberOutputSchema.extend({ rateChange: coaReportSchema }),
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await moveSubscriberToPlan(
        tenantDatabaseOf(context, dependencies),
        params.id,
        body.planId,
        dependencies.clock.now(),
        sessionEffectsOf(dependencies, context),
      ),
    ),
});

subscribers.declare({
  method: 'post',
  path: '/:id/suspend',
  summary: 'Suspend and disconnect live sessions',
  permission: 'subscribers.write',
  feature: 'pppoe',
  params: idParamsSchema,
  response: disconnectedOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await suspendSubscriber(
        tenantDatabaseOf(context, dependencies),
        params.id,
        dependencies.clock.now(),
        sessionEffectsOf(dependencies, context),
      ),
    ),
});

// By hand: its body is optional (a bare POST reactivates with the stored expiry), and a declared body
// is required JSON (kernel/route.ts answers 415 without one).
registerApiOperations([
  {
    method: 'post',
    path: '/api/v1/subscribers/{id}/reactivate',
    summary: 'Reactivate (optionally with a new expiry)',
    tag: 'subscribers',
    permission: 'subscribers.write',
    feature: 'pppoe',
    body: reactivateInputSchema,
    response: subscriberOutputSchema,
  },
]);

export function subscriberRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = subscribers.mount(dependencies);
  routes.post(
    '/:id/reactivate',
    requirePermission('subscribers.write'),
    requireFeature(dependencies, 'pppoe'),
    async (context) => {
      const hasBody = (context.req.header('content-length') ?? '0') !== '0';
      const input = hasBody ? await parseJsonBody(context, reactivateInputSchema) : {};
      return context.json(
        await reactivateSubscriber(
          tenantDatabaseOf(context, dependencies),
          context.req.param('id'),
          dependencies.clock.now(),
          input,
          auditorOf(dependencies, context),
        ),
      );
    },
  );
  return routes;
}
