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
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { planRateLimit } from '../plans/service';
import { changeSubjectRate, disconnectSubjectSessions } from '../sessions/service';
import {
  changeSubscriberPlan,
  createSubscriber,
  deleteSubscriber,
  getSubscriber,
  listSubscribers,
  reactivateSubscriber,
  setSubscriberStatus,
  updateSubscriber,
} from './service';

const listQuerySchema = listSubscribersQuerySchema.extend(pageQuerySchema.shape);
const coaReportSchema = z.object({ sessions: z.number().int(), acknowledged: z.number().int() });
const createdOutputSchema = subscriberOutputSchema.extend({ password: z.string().optional() });

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/subscribers',
    summary: 'List and search subscribers (q matches username, account, name, phone)',
    tag: 'subscribers',
    permission: 'subscribers.read',
    query: listQuerySchema,
    response: pageResponseSchema(subscriberOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/subscribers',
    summary: 'Create a subscriber; a generated password is returned once',
    tag: 'subscribers',
    permission: 'subscribers.write',
    body: createSubscriberInputSchema,
    response: createdOutputSchema,
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/subscribers/{id}',
    summary: 'Get a subscriber',
    tag: 'subscribers',
    permission: 'subscribers.read',
    response: subscriberOutputSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/subscribers/{id}',
    summary: 'Edit a subscriber',
    tag: 'subscribers',
    permission: 'subscribers.write',
    body: updateSubscriberInputSchema,
    response: subscriberOutputSchema,
  },
  {
    method: 'delete',
    path: '/api/v1/subscribers/{id}',
    summary: 'Disconnect and delete a subscriber',
    tag: 'subscribers',
    permission: 'subscribers.write',
    response: subscriberOutputSchema.extend({ disconnected: coaReportSchema }),
  },
  {
    method: 'post',
    path: '/api/v1/subscribers/{id}/change-plan',
    summary: 'Move to another plan; live sessions get the new rate by CoA',
    tag: 'subscribers',
    permission: 'subscribers.write',
    body: changePlanInputSchema,
    response: subscriberOutputSchema.extend({ rateChange: coaReportSchema }),
  },
  {
    method: 'post',
    path: '/api/v1/subscribers/{id}/suspend',
    summary: 'Suspend and disconnect live sessions',
    tag: 'subscribers',
    permission: 'subscribers.write',
    response: subscriberOutputSchema.extend({ disconnected: coaReportSchema }),
  },
  {
    method: 'post',
    path: '/api/v1/subscribers/{id}/reactivate',
    summary: 'Reactivate (optionally with a new expiry)',
    tag: 'subscribers',
    permission: 'subscribers.write',
    body: reactivateInputSchema,
    response: subscriberOutputSchema,
  },
]);

export function subscriberRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { clock, secretBox, aaa } = dependencies;
  routes.use('*', requireFeature(dependencies, 'pppoe'));

  routes.get('/', requirePermission('subscribers.read'), async (context) => {
    const { limit, cursor, ...filter } = parseQuery(context, listQuerySchema);
    return context.json(
      await listSubscribers(tenantDatabaseOf(context, dependencies), filter, { limit, cursor }),
    );
  });

  routes.post('/', requirePermission('subscribers.write'), async (context) => {
    const input = await parseJsonBody(context, createSubscriberInputSchema);
    const database = tenantDatabaseOf(context, dependencies);
    const { subscriber, generatedPassword } = await createSubscriber(database, secretBox, input, clock.now());
    const { password: _password, ...auditable } = input;
    await recordAudit(dependencies, context, {
      action: 'subscriber.create',
      target: subscriber.id,
      detail: auditable,
    });
    return context.json(
      { ...subscriber, ...(generatedPassword ? { password: generatedPassword } : {}) },
      201,
    );
  });

  routes.get('/:id', requirePermission('subscribers.read'), async (context) =>
    context.json(await getSubscriber(tenantDatabaseOf(context, dependencies), context.req.param('id'))),
  );

  routes.patch('/:id', requirePermission('subscribers.write'), async (context) => {
    const input = await parseJsonBody(context, updateSubscriberInputSchema);
    const database = tenantDatabaseOf(context, dependencies);
    const subscriber = await updateSubscriber(
      database,
      secretBox,
      context.req.param('id'),
      input,
      clock.now(),
    );
    const { password, ...auditable } = input;
    await recordAudit(dependencies, context, {
      action: 'subscriber.update',
      target: subscriber.id,
      detail: { ...auditable, ...(password === undefined ? {} : { passwordChanged: true }) },
    });
    return context.json(subscriber);
  });

  routes.delete('/:id', requirePermission('subscribers.write'), async (context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const existing = await getSubscriber(database, context.req.param('id'));
    const disconnected = await disconnectSubjectSessions(
      aaa,
      tenantIdOf(context),
      'subscriber',
      new Set([existing.id]),
    );
    const subscriber = await deleteSubscriber(database, existing.id);
    await recordAudit(dependencies, context, {
      action: 'subscriber.delete',
      target: subscriber.id,
      detail: { username: subscriber.username, disconnected },
    });
    return context.json({ ...subscriber, disconnected });
  });

  routes.post('/:id/change-plan', requirePermission('subscribers.write'), async (context) => {
    const { planId } = await parseJsonBody(context, changePlanInputSchema);
    const database = tenantDatabaseOf(context, dependencies);
    const before = await getSubscriber(database, context.req.param('id'));
    const { subscriber, plan } = await changeSubscriberPlan(database, before.id, planId, clock.now());
    const rateChange = await changeSubjectRate(
      aaa,
      tenantIdOf(context),
      new Set([subscriber.id]),
      planRateLimit(plan),
    );
    await recordAudit(dependencies, context, {
      action: 'subscriber.change_plan',
      target: subscriber.id,
      detail: { from: before.planId, to: plan.id, rateChange },
    });
    return context.json({ ...subscriber, rateChange });
  });

  routes.post('/:id/suspend', requirePermission('subscribers.write'), async (context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const subscriber = await setSubscriberStatus(database, context.req.param('id'), 'suspended', clock.now());
    const disconnected = await disconnectSubjectSessions(
      aaa,
      tenantIdOf(context),
      'subscriber',
      new Set([subscriber.id]),
    );
    await recordAudit(dependencies, context, {
      action: 'subscriber.suspend',
      target: subscriber.id,
      detail: { disconnected },
    });
    return context.json({ ...subscriber, disconnected });
  });

  routes.post('/:id/reactivate', requirePermission('subscribers.write'), async (context) => {
    const hasBody = (context.req.header('content-length') ?? '0') !== '0';
    const input = hasBody ? await parseJsonBody(context, reactivateInputSchema) : {};
    const database = tenantDatabaseOf(context, dependencies);
    const subscriber = await reactivateSubscriber(
      database,
      context.req.param('id'),
      clock.now(),
      input.expiresAt,
    );
    await recordAudit(dependencies, context, {
      action: 'subscriber.reactivate',
      target: subscriber.id,
      detail: input,
    });
    return context.json(subscriber);
  });

  return routes;
}
