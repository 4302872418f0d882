// Integration tables of one ISP's shard (issue 14): the ISP's webhook endpoints and the webhook outbox
// (events written in the transaction of the change they report, one delivery per subscribed endpoint,
// and every attempt for the delivery log).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** An ISP's receiver: where events go and which; the signing secret is sealed with the master key. */
export const webhookEndpoints = sqliteTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** JSON array of the subscribed event types. */
  events: text('events').notNull(),
  secretSealed: text('secret_sealed').notNull(),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  description: text('description').notNull().default(''),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One event as it happened; the delivery body is `{id, type, createdAt, tenantId, data}` of this row. */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    createdAt: integer('created_at').notNull(),
    /** JSON of the event's data, checked against the catalogue when written. */
    data: text('data').notNull(),
  },
  (table) => [index('webhook_events_created').on(table.createdAt)],
);

/** One event to one endpoint: pending until delivered, or failed when the retry schedule gives up. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    /** pending | delivered | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    firstAttemptAt: integer('first_attempt_at'),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
    /** A sender's claim: until then no other run or node takes the row. */
    claimedUntil: integer('claimed_until'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('webhook_deliveries_due').on(table.status, table.nextAttemptAt),
    index('webhook_deliveries_endpoint').on(table.endpointId, table.createdAt),
  ],
);

/** The delivery log: every attempt with what the receiver answered. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    /** 1 for the first attempt; a manual redelivery counts on. */
    attempt: integer('attempt').notNull(),
    /** scheduled | manual */
    trigger: text('trigger').notNull(),
    attemptedAt: integer('attempted_at').notNull(),
    /** delivered | failed | refused */
    outcome: text('outcome').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    responseExcerpt: text('response_excerpt'),
  },
  (table) => [
    index('webhook_attempts_endpoint').on(table.endpointId, table.attemptedAt),
    index('webhook_attempts_delivery').on(table.deliveryId),
  ],
);
