// The webhook event catalogue (what an ISP's own systems can subscribe to), the zod schema of each
// event's `data`, and the delivery body `{id, type, createdAt, tenantId, data}` exactly as it is signed.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Event ids are `evt_…`, endpoint ids `whk_…`, secrets `whsec_…` (Stripe's shape: the prefix says what it is). */
export const EVENT_ID_PREFIX = 'evt_';
export const ENDPOINT_ID_PREFIX = 'whk_';
export const SECRET_PREFIX = 'whsec_';
/** 96 random bits for ids (as schemas/src/ids.ts); 256 for a signing secret (HMAC-SHA256's own key size). */
const ID_RANDOM_BYTES = 12;
const SECRET_RANDOM_BYTES = 32;
/** A delivery body is a small JSON document; a larger one is a bug in the caller, not an event. */
export const DELIVERY_BODY_BYTES_MAX = 64 * 1024;

const id = z.string().min(1).max(64);
const cents = z.number().int().safe();
const epochMs = z.number().int().nonnegative();
/** Kiunga's money is Kenyan shillings (in cents); the code travels so receivers never assume. */
const currency = z.literal('KES');

export const webhookEventSchemas = {
  'payment.received': z.object({
    paymentId: id,
    subscriberId: id.nullable(),
    amountCents: cents.positive(),
    currency,
    method: z.enum(['mpesa', 'bank_transfer', 'paypal', 'cash', 'other']),
    /** The provider's transaction id (M-Pesa receipt), when there is one. */
    providerReference: z.string().max(128).nullable(),
    receivedAt: epochMs,
  }),
  'invoice.created': z.object({
    invoiceId: id,
    subscriberId: id,
    amountCents: cents.nonnegative(),
    currency,
    periodStart: epochMs,
    periodEnd: epochMs,
    dueAt: epochMs,
  }),
  'invoice.voided': z.object({
    invoiceId: id,
    subscriberId: id,
    amountCents: cents.nonnegative(),
    currency,
    reason: z.string().max(500).nullable(),
    voidedAt: epochMs,
  }),
  'subscriber.suspended': z.object({
    subscriberId: id,
    username: z.string().max(128),
    reason: z.enum(['unpaid', 'manual']),
    suspendedAt: epochMs,
  }),
  'subscriber.reactivated': z.object({
    subscriberId: id,
    username: z.string().max(128),
    reactivatedAt: epochMs,
  }),
  'voucher.sold': z.object({
    voucherId: id,
    planId: id,
    code: z.string().max(64),
    priceCents: cents.nonnegative(),
    currency,
    channel: z.enum(['portal', 'reseller', 'console']),
    phone: z.string().max(32).nullable(),
    soldAt: epochMs,
  }),
  'nas.down': z.object({
    nasId: id,
    name: z.string().max(128),
    ipAddress: z.string().max(64),
    since: epochMs,
  }),
  'nas.up': z.object({ nasId: id, name: z.string().max(128), ipAddress: z.string().max(64), since: epochMs }),
} as const;

export type WebhookEventType = keyof typeof webhookEventSchemas;
export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof webhookEventSchemas)[T]>;

export const WEBHOOK_EVENT_TYPES = Object.keys(webhookEventSchemas) as WebhookEventType[];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(webhookEventSchemas, value);
}

/** The `events` of `POST /api/v1/webhooks`: known types, each once. */
export const subscribedEventsSchema = z
  .array(z.string().refine(isWebhookEventType, { message: `one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, { message: 'each event once' })
  .transform((events) => events as WebhookEventType[]);

export interface WebhookEvent<T extends WebhookEventType = WebhookEventType> {
  readonly id: string;
  readonly type: T;
  /** Milliseconds since the epoch, as every `createdAt` of Kiunga's API. */
  readonly createdAt: number;
  readonly tenantId: string;
  readonly data: WebhookEventData<T>;
}

export function newEventId(): string {
  return `${EVENT_ID_PREFIX}${randomBytes(ID_RANDOM_BYTES).toString('base64url')}`;
}

export function newEndpointId(): string {
  return `${ENDPOINT_ID_PREFIX}${randomBytes(ID_RANDOM_BYTES).toString('base64url')}`;
}

/** The signing secret shown once at creation (`201 {id, secret}`), then kept sealed. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_RANDOM_BYTES).toString('base64url')}`;
}

/** An event with its data checked against the catalogue; the id is chosen here unless given (outbox retries). */
export function createWebhookEvent<T extends WebhookEventType>(input: {
  readonly type: T;
  readonly tenantId: string;
  readonly data: WebhookEventData<T>;
  readonly createdAt: number;
  readonly id?: string;
}): WebhookEvent<T> {
  const data = webhookEventSchemas[input.type].parse(input.data) as WebhookEventData<T>;
  return {
    id: input.id ?? newEventId(),
    type: input.type,
    createdAt: input.createdAt,
    tenantId: input.tenantId,
    data,
  };
}

/** The exact bytes sent and signed: keys in the documented order. */
export function deliveryBody(event: WebhookEvent): string {
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    tenantId: event.tenantId,
    data: event.data,
  });
  if (Buffer.byteLength(body, 'utf8') > DELIVERY_BODY_BYTES_MAX) {
    throw new RangeError(`a webhook body is at most ${DELIVERY_BODY_BYTES_MAX} bytes`);
  }
  return body;
}
