// /api/v1/webhooks: an ISP's own receivers of Kiunga events — register (secret shown once), list, edit,
// remove, the delivery log and a manual redelivery.
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { WEBHOOK_URL_CHARS_MAX } from './core/destination';
import { subscribedEventsSchema, WEBHOOK_EVENT_TYPES } from './core/events';
import {
  createEndpoint,
  DELIVERY_LOG_ROWS_MAX,
  deliveryLogOf,
  editEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  redeliver,
  removeEndpoint,
} from './service';

/** A note for the ISP's staff ("accounting system"); the console shows it in the list. */
const DESCRIPTION_CHARS_MAX = 200;

const urlSchema = z.string().trim().min(1).max(WEBHOOK_URL_CHARS_MAX);
const descriptionSchema = z.string().trim().max(DESCRIPTION_CHARS_MAX);

export const createWebhookInputSchema = z.object({
  url: urlSchema,
  events: subscribedEventsSchema,
  description: descriptionSchema.optional(),
});

export const patchWebhookInputSchema = z.object({
  url: urlSchema.optional(),
  events: subscribedEventsSchema.optional(),
  isActive: z.boolean().optional(),
  description: descriptionSchema.optional(),
});

const eventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]);

export const webhookEndpointOutputSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(eventTypeSchema),
  isActive: z.boolean(),
  description: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

const deliveryLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(DELIVERY_LOG_ROWS_MAX).default(DELIVERY_LOG_ROWS_MAX),
});

export const deliveryLogOutputSchema = z.object({
  /** Deliveries queued and not tried yet. */
  waiting: z.array(
    z.object({
      deliveryId: z.string(),
      eventId: z.string(),
      eventType: z.string(),
      nextAttemptAt: z.number().int(),
    }),
  ),
  /** Every attempt, newest first. */
  attempts: z.array(
    z.object({
      id: z.number().int(),
      deliveryId: z.string(),
      eventId: z.string(),
      eventType: z.string(),
      attempt: z.number().int(),
      trigger: z.enum(['scheduled', 'manual']),
      attemptedAt: z.number().int(),
      outcome: z.enum(['delivered', 'failed', 'refused']),
      statusCode: z.number().int().nullable(),
      durationMs: z.number().int().nullable(),
      error: z.string().nullable(),
      responseExcerpt: z.string().nullable(),
      deliveryStatus: z.enum(['pending', 'delivered', 'failed']),
      nextAttemptAt: z.number().int().nullable(),
    }),
  ),
});

const webhooks = routeGroup({ basePath: '/api/v1/webhooks', tag: 'webhooks' });

webhooks.declare({
  method: 'post',
  path: '/',
  summary:
    'Register a webhook endpoint (https; loopback or private addresses only with KIUNGA_WEBHOOKS_ALLOW_PRIVATE); the signing secret is returned only here',
  permission: 'webhooks.manage',
  body: createWebhookInputSchema,
  response: z.object({ id: z.string(), secret: z.string() }),
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createEndpoint(
        tenantDatabaseOf(context, dependencies),
        dependencies,
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

webhooks.declare({
  method: 'get',
  path: '/',
  summary: 'List webhook endpoints',
  permission: 'webhooks.manage',
  response: z.object({ items: z.array(webhookEndpointOutputSchema) }),
  handler: async ({ dependencies, respond }, context) =>
    respond({ items: await listWebhookEndpoints(tenantDatabaseOf(context, dependencies)) }),
});

webhooks.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a webhook endpoint',
  permission: 'webhooks.manage',
  params: idParamsSchema,
  response: webhookEndpointOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await getWebhookEndpoint(tenantDatabaseOf(context, dependencies), params.id)),
});

webhooks.declare({
  method: 'patch',
  path: '/:id',
  summary: 'Edit a webhook endpoint (URL, events, on/off)',
  permission: 'webhooks.manage',
  params: idParamsSchema,
  body: patchWebhookInputSchema,
  response: webhookEndpointOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await editEndpoint(
        tenantDatabaseOf(context, dependencies),
        dependencies,
        params.id,
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

webhooks.declare({
  method: 'delete',
  path: '/:id',
  summary: 'Remove a webhook endpoint; its pending deliveries are dropped',
  permission: 'webhooks.manage',
  params: idParamsSchema,
  response: webhookEndpointOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await removeEndpoint(
        tenantDatabaseOf(context, dependencies),
        params.id,
        auditorOf(dependencies, context),
      ),
    ),
});

webhooks.declare({
  method: 'get',
  path: '/:id/deliveries',
  summary: 'Delivery log of an endpoint: queued deliveries and every attempt with its status code',
  permission: 'webhooks.manage',
  params: idParamsSchema,
  query: deliveryLogQuerySchema,
  response: deliveryLogOutputSchema,
  handler: async ({ params, query, dependencies, respond }, context) =>
    respond(await deliveryLogOf(tenantDatabaseOf(context, dependencies), params.id, query.limit)),
});

webhooks.declare({
  method: 'post',
  path: '/deliveries/:id/redeliver',
  summary: 'Send a delivery again now (same event id and body)',
  permission: 'webhooks.manage',
  params: idParamsSchema,
  response: z.object({ deliveryId: z.string(), outcome: z.enum(['delivered', 'failed', 'refused']) }),
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await redeliver(
        dependencies,
        tenantDatabaseOf(context, dependencies),
        tenantIdOf(context),
        params.id,
        auditorOf(dependencies, context),
      ),
    ),
});

export const webhookRoutes = (dependencies: ApiDependencies) => webhooks.mount(dependencies);
