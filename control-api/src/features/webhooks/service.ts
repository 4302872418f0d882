// An ISP's webhook endpoints (register with the SSRF check, edit, remove), the delivery log, a manual
// redelivery, and one attempt of one outbox delivery as both the job and a redelivery make it.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { checkWebhookUrl, type DestinationPolicy } from './core/destination';
import {
  createWebhookEvent,
  deliveryBody,
  newEndpointId,
  newWebhookSecret,
  type WebhookEventType,
} from './core/events';
import { decideAfterDeliveryAttempt } from './core/retry-schedule';
import { attemptResultOf, checkedAddresses, type DeliveryOutcome, deliverWebhook } from './delivery/deliver';
import {
  type AttemptLogRow,
  type DeliveryToSend,
  deleteEndpoint,
  type EndpointRow,
  findDelivery,
  findEndpoint,
  insertEndpoint,
  listAttempts,
  listEndpoints,
  listUnattemptedDeliveries,
  recordAttempt,
  updateEndpoint,
  type WaitingDeliveryRow,
} from './store';

export interface WebhookEndpointOutput {
  id: string;
  url: string;
  events: WebhookEventType[];
  isActive: boolean;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
}

export interface EndpointPatch {
  url?: string | undefined;
  events?: WebhookEventType[] | undefined;
  isActive?: boolean | undefined;
  description?: string | undefined;
}

/** What the delivery services need of the app's dependencies. */
export type WebhookDependencies = Pick<ApiDependencies, 'secretBox' | 'clock' | 'webhooksAllowPrivate'>;

/** KIUNGA_WEBHOOKS_ALLOW_PRIVATE=true (demo and tests): loopback, private addresses and plain http allowed. */
export function destinationPolicyOf(
  dependencies: Pick<ApiDependencies, 'webhooksAllowPrivate'>,
): DestinationPolicy {
  return { isPrivateAllowed: dependencies.webhooksAllowPrivate === true };
}

function toOutput(row: EndpointRow): WebhookEndpointOutput {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    isActive: row.isActive,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A URL an ISP gives Kiunga to call (a webhook, its GenieACS) as stored, or validation_failed saying why
 * it is refused: scheme, credentials, or an address the SSRF policy forbids (resolved now, to tell at once).
 */
export async function checkedOutboundUrl(
  url: string,
  policy: DestinationPolicy,
  what: string,
): Promise<string> {
  const check = checkWebhookUrl(url, policy);
  if (!check.isAllowed) throw new KiungaError('validation_failed', `${what} refused: ${check.reason}.`);
  if (check.address === null) {
    try {
      await checkedAddresses(check.hostname, policy);
    } catch (error) {
      throw new KiungaError('validation_failed', `${what} refused: ${(error as Error).message}.`);
    }
  }
  return check.url.toString();
}

async function endpointOrNotFound(database: SqlDatabase, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(database, id);
  if (!row) throw new KiungaError('not_found', 'No such webhook endpoint.');
  return row;
}

export async function createEndpoint(
  database: SqlDatabase,
  dependencies: WebhookDependencies,
  input: EndpointInput,
  audit: Auditor,
): Promise<{ id: string; secret: string }> {
  const url = await checkedOutboundUrl(input.url, destinationPolicyOf(dependencies), 'Webhook URL');
  const nowMs = dependencies.clock.now();
  const secret = newWebhookSecret();
  const id = newEndpointId();
  await insertEndpoint(database, {
    id,
    url,
    events: JSON.stringify(input.events),
    secretSealed: dependencies.secretBox.seal(secret),
    isActive: true,
    description: input.description ?? '',
    createdAt: nowMs,
    updatedAt: nowMs,
  });
  await audit({ action: 'webhook.create', target: id, detail: { url, events: input.events } });
  return { id, secret };
}

export async function listWebhookEndpoints(database: SqlDatabase): Promise<WebhookEndpointOutput[]> {
  return (await listEndpoints(database)).map(toOutput);
}

export async function getWebhookEndpoint(database: SqlDatabase, id: string): Promise<WebhookEndpointOutput> {
  return toOutput(await endpointOrNotFound(database, id));
}

export async function editEndpoint(
  database: SqlDatabase,
  dependencies: WebhookDependencies,
  id: string,
  patch: EndpointPatch,
  audit: Auditor,
): Promise<WebhookEndpointOutput> {
  const current = await endpointOrNotFound(database, id);
  const next: EndpointRow = {
    ...current,
    url:
      patch.url === undefined
        ? current.url
        : await checkedOutboundUrl(patch.url, destinationPolicyOf(dependencies), 'Webhook URL'),
    events: patch.events === undefined ? current.events : JSON.stringify(patch.events),
    isActive: patch.isActive ?? current.isActive,
    description: patch.description ?? current.description,
    updatedAt: dependencies.clock.now(),
  };
  await updateEndpoint(database, next);
  await audit({ action: 'webhook.update', target: id, detail: patch });
  return toOutput(next);
}

export async function removeEndpoint(
  database: SqlDatabase,
  id: string,
  audit: Auditor,
): Promise<WebhookEndpointOutput> {
  const current = await endpointOrNotFound(database, id);
  await deleteEndpoint(database, id);
  await audit({ action: 'webhook.delete', target: id, detail: { url: current.url } });
  return toOutput(current);
}

export interface DeliveryLog {
  waiting: WaitingDeliveryRow[];
  attempts: AttemptLogRow[];
}

/** Attempts shown in the log at once: a day of retries of many events, without paging. */
export const DELIVERY_LOG_ROWS_MAX = 100;

export async function deliveryLogOf(
  database: SqlDatabase,
  endpointId: string,
  limit: number,
): Promise<DeliveryLog> {
  await endpointOrNotFound(database, endpointId);
  return {
    waiting: await listUnattemptedDeliveries(database, endpointId, limit),
    attempts: await listAttempts(database, endpointId, limit),
  };
}

function attemptFields(outcome: DeliveryOutcome) {
  if (outcome.kind === 'refused') {
    return {
      outcome: 'refused' as const,
      statusCode: null,
      durationMs: null,
      error: outcome.reason,
      responseExcerpt: null,
    };
  }
  if (outcome.kind === 'delivered') {
    return {
      outcome: 'delivered' as const,
      statusCode: outcome.httpStatus,
      durationMs: outcome.durationMs,
      error: null,
      responseExcerpt: outcome.responseExcerpt,
    };
  }
  return {
    outcome: 'failed' as const,
    statusCode: outcome.httpStatus,
    durationMs: outcome.durationMs,
    error: outcome.error,
    responseExcerpt: outcome.responseExcerpt,
  };
}

/**
 * One attempt of a delivery: the stored event signed with the endpoint's secret, posted, and the attempt
 * logged. A scheduled attempt moves the delivery along the retry schedule; a manual one marks it delivered
 * when it succeeds and otherwise leaves the schedule as it was.
 */
export async function attemptDelivery(
  dependencies: WebhookDependencies,
  database: SqlDatabase,
  tenantId: string,
  delivery: DeliveryToSend,
  endpoint: EndpointRow,
  trigger: 'scheduled' | 'manual',
): Promise<AttemptLogRow['outcome']> {
  const event = createWebhookEvent({
    id: delivery.eventId,
    type: delivery.eventType as WebhookEventType,
    tenantId,
    createdAt: delivery.eventCreatedAt,
    data: JSON.parse(delivery.eventData),
  });
  const outcome = await deliverWebhook({
    url: endpoint.url,
    body: deliveryBody(event),
    secrets: dependencies.secretBox.open(endpoint.secretSealed),
    clock: dependencies.clock,
    policy: destinationPolicyOf(dependencies),
  });
  const attemptedAt = dependencies.clock.now();
  const attempt = delivery.attempts + 1;
  const fields = attemptFields(outcome);
  const decision =
    trigger === 'scheduled' || outcome.kind === 'delivered'
      ? decideAfterDeliveryAttempt(attemptResultOf(outcome), {
          attempts: attempt,
          firstAttemptAt: delivery.firstAttemptAt ?? attemptedAt,
          now: attemptedAt,
        })
      : null;
  await recordAttempt(
    database,
    { deliveryId: delivery.id, endpointId: endpoint.id, attempt, trigger, attemptedAt, ...fields },
    decision,
  );
  return fields.outcome;
}

/** POST /api/v1/webhooks/deliveries/<id>/redeliver: a new attempt now, same event id and body. */
export async function redeliver(
  dependencies: WebhookDependencies,
  database: SqlDatabase,
  tenantId: string,
  deliveryId: string,
  audit: Auditor,
): Promise<{ deliveryId: string; outcome: AttemptLogRow['outcome'] }> {
  const delivery = await findDelivery(database, deliveryId);
  if (!delivery) throw new KiungaError('not_found', 'No such webhook delivery.');
  const endpoint = await findEndpoint(database, delivery.endpointId);
  if (!endpoint) throw new KiungaError('not_found', 'The endpoint of this delivery was removed.');
  const outcome = await attemptDelivery(dependencies, database, tenantId, delivery, endpoint, 'manual');
  await audit({ action: 'webhook.redeliver', target: deliveryId, detail: { outcome } });
  return { deliveryId, outcome };
}
