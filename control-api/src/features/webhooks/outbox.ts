// The webhook outbox's write side: a change calls recordWebhookEvent inside its own transaction, so an
// event exists exactly when the change committed; one delivery row per active endpoint subscribed to it.
import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '@kiunga/schemas';
import { newEventId, type WebhookEventData, type WebhookEventType, webhookEventSchemas } from './core/events';

/** Delivery ids are `whd_…` with 96 random bits, like the core's event and endpoint ids. */
const DELIVERY_ID_PREFIX = 'whd_';
const DELIVERY_ID_RANDOM_BYTES = 12;

export function newDeliveryId(): string {
  return `${DELIVERY_ID_PREFIX}${randomBytes(DELIVERY_ID_RANDOM_BYTES).toString('base64url')}`;
}

/**
 * Writes one event and its deliveries (due now) with `database`, which must be the transaction of the
 * change the event reports. Nothing is written when no endpoint listens: an ISP without webhooks keeps
 * no outbox. Returns the event id, or null when nobody listens.
 */
export async function recordWebhookEvent<T extends WebhookEventType>(
  database: SqlDatabase,
  type: T,
  /** The data, or how to read it (only when someone listens: a lookup costs nothing otherwise). */
  data: WebhookEventData<T> | (() => Promise<WebhookEventData<T>>),
  nowMs: number,
): Promise<string | null> {
  const endpoints = await database.all<{ id: string; events: string }>(
    'SELECT id, events FROM webhook_endpoints WHERE is_active = 1',
  );
  const listening = endpoints.filter((endpoint) => (JSON.parse(endpoint.events) as string[]).includes(type));
  if (listening.length === 0) return null;
  const eventId = newEventId();
  const eventData = typeof data === 'function' ? await data() : data;
  await database.run('INSERT INTO webhook_events (id, type, created_at, data) VALUES (?, ?, ?, ?)', [
    eventId,
    type,
    nowMs,
    JSON.stringify(webhookEventSchemas[type].parse(eventData)),
  ]);
  for (const endpoint of listening) {
    await database.run(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
      [newDeliveryId(), endpoint.id, eventId, nowMs, nowMs],
    );
  }
  return eventId;
}
