// The SQL of an ISP's webhook endpoints, the delivery outbox (claiming due rows, storing outcomes) and
// the delivery log (one row per attempt).
import type { SqlDatabase } from '@kiunga/schemas';
import type { DeliveryDecision } from './core/retry-schedule';

export interface EndpointRow {
  id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  secretSealed: string;
  isActive: boolean;
  description: string;
  createdAt: number;
  updatedAt: number;
}

const ENDPOINT_COLUMNS = `id, url, events, secret_sealed AS "secretSealed", is_active AS "isActive", description,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** is_active comes back as 0/1 (an integer column on both databases). */
function toEndpointRow(row: Omit<EndpointRow, 'isActive'> & { isActive: unknown }): EndpointRow {
  return { ...row, isActive: row.isActive === 1 || row.isActive === true };
}

export async function insertEndpoint(database: SqlDatabase, row: EndpointRow): Promise<void> {
  await database.run(
    `INSERT INTO webhook_endpoints (id, url, events, secret_sealed, is_active, description, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.id,
      row.url,
      row.events,
      row.secretSealed,
      row.isActive ? 1 : 0,
      row.description,
      row.createdAt,
      row.updatedAt,
    ],
  );
}

export async function updateEndpoint(database: SqlDatabase, row: EndpointRow): Promise<void> {
  await database.run(
    `UPDATE webhook_endpoints SET url = ?, events = ?, is_active = ?, description = ?, updated_at = ? WHERE id = ?`,
    [row.url, row.events, row.isActive ? 1 : 0, row.description, row.updatedAt, row.id],
  );
}

export async function findEndpoint(database: SqlDatabase, id: string): Promise<EndpointRow | undefined> {
  const row = await database.get<EndpointRow & { isActive: unknown }>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?`,
    [id],
  );
  return row ? toEndpointRow(row) : undefined;
}

export async function listEndpoints(database: SqlDatabase): Promise<EndpointRow[]> {
  const rows = await database.all<EndpointRow & { isActive: unknown }>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`,
  );
  return rows.map(toEndpointRow);
}

/** The endpoint goes, and with it its pending deliveries (nothing is sent to a removed endpoint). */
export async function deleteEndpoint(database: SqlDatabase, id: string): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.run(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint removed', claimed_until = NULL
        WHERE endpoint_id = ? AND status = 'pending'`,
      [id],
    );
    await transaction.run('DELETE FROM webhook_endpoints WHERE id = ?', [id]);
  });
}

export async function dueDeliveryIds(database: SqlDatabase, nowMs: number, limit: number): Promise<string[]> {
  return database.column<string>(
    `SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
      ORDER BY next_attempt_at, id LIMIT ?`,
    [nowMs, nowMs, limit],
  );
}

/** Takes a due delivery for one attempt (atomic: another run or node that got there first wins). */
export async function claimDelivery(
  database: SqlDatabase,
  id: string,
  nowMs: number,
  leaseMs: number,
): Promise<boolean> {
  const result = await database.run(
    `UPDATE webhook_deliveries SET claimed_until = ?
      WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`,
    [nowMs + leaseMs, id, nowMs],
  );
  return result.changes === 1;
}

export interface DeliveryToSend {
  id: string;
  endpointId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  firstAttemptAt: number | null;
  eventId: string;
  eventType: string;
  eventCreatedAt: number;
  eventData: string;
}

export async function findDelivery(database: SqlDatabase, id: string): Promise<DeliveryToSend | undefined> {
  return database.get<DeliveryToSend>(
    `SELECT d.id, d.endpoint_id AS "endpointId", d.status, d.attempts, d.first_attempt_at AS "firstAttemptAt",
            e.id AS "eventId", e.type AS "eventType", e.created_at AS "eventCreatedAt", e.data AS "eventData"
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
      WHERE d.id = ?`,
    [id],
  );
}

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  attempt: number;
  trigger: 'scheduled' | 'manual';
  attemptedAt: number;
  outcome: 'delivered' | 'failed' | 'refused';
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

/**
 * Stores one attempt and what follows from it, in one transaction: the log row, and the delivery's
 * new state (`decision` null for a manual redelivery that failed: the schedule carries on as it was).
 */
export async function recordAttempt(
  database: SqlDatabase,
  attempt: AttemptRecord,
  decision: DeliveryDecision | null,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.run(
      `INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt, trigger, attempted_at, outcome, status_code,
                                     duration_ms, error, response_excerpt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        attempt.deliveryId,
        attempt.endpointId,
        attempt.attempt,
        attempt.trigger,
        attempt.attemptedAt,
        attempt.outcome,
        attempt.statusCode,
        attempt.durationMs,
        attempt.error,
        attempt.responseExcerpt,
      ],
    );
    const common = [attempt.attempt, attempt.attemptedAt, attempt.statusCode];
    if (decision === null) {
      await transaction.run(
        `UPDATE webhook_deliveries SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
                last_status_code = ?, last_error = ? WHERE id = ?`,
        [...common, attempt.error, attempt.deliveryId],
      );
    } else if (decision.status === 'delivered') {
      await transaction.run(
        `UPDATE webhook_deliveries SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
                last_status_code = ?, status = 'delivered', delivered_at = ?, last_error = NULL, claimed_until = NULL
          WHERE id = ?`,
        [...common, decision.deliveredAt, attempt.deliveryId],
      );
    } else {
      await transaction.run(
        `UPDATE webhook_deliveries SET attempts = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
                last_status_code = ?, status = ?, last_error = ?, next_attempt_at = ?, claimed_until = NULL
          WHERE id = ?`,
        [
          ...common,
          decision.status,
          decision.lastError,
          decision.status === 'pending' ? decision.nextAttemptAt : attempt.attemptedAt,
          attempt.deliveryId,
        ],
      );
    }
  });
}

/** A delivery that cannot be attempted (its endpoint is gone or switched off) fails without a request. */
export async function failDelivery(database: SqlDatabase, id: string, reason: string): Promise<void> {
  await database.run(
    `UPDATE webhook_deliveries SET status = 'failed', last_error = ?, claimed_until = NULL WHERE id = ?`,
    [reason, id],
  );
}

/** One row of the delivery log: the attempt, its event, and where its delivery stands now. */
export interface AttemptLogRow extends Omit<AttemptRecord, 'endpointId'> {
  id: number;
  eventId: string;
  eventType: string;
  deliveryStatus: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: number | null;
}

/** The delivery log of one endpoint, newest attempt first; deliveries not tried yet come first. */
export async function listAttempts(
  database: SqlDatabase,
  endpointId: string,
  limit: number,
): Promise<AttemptLogRow[]> {
  return database.all<AttemptLogRow>(
    `SELECT a.id, a.delivery_id AS "deliveryId", e.id AS "eventId", e.type AS "eventType", a.attempt,
            a.trigger, a.attempted_at AS "attemptedAt", a.outcome, a.status_code AS "statusCode",
            a.duration_ms AS "durationMs", a.error, a.response_excerpt AS "responseExcerpt",
            d.status AS "deliveryStatus",
            CASE WHEN d.status = 'pending' THEN d.next_attempt_at ELSE NULL END AS "nextAttemptAt"
       FROM webhook_attempts a
       JOIN webhook_deliveries d ON d.id = a.delivery_id
       JOIN webhook_events e ON e.id = d.event_id
      WHERE a.endpoint_id = ?
      ORDER BY a.id DESC LIMIT ?`,
    [endpointId, limit],
  );
}

export interface WaitingDeliveryRow {
  deliveryId: string;
  eventId: string;
  eventType: string;
  nextAttemptAt: number;
}

/** Deliveries of an endpoint with no attempt yet (queued behind the job's next run). */
export async function listUnattemptedDeliveries(
  database: SqlDatabase,
  endpointId: string,
  limit: number,
): Promise<WaitingDeliveryRow[]> {
  return database.all<WaitingDeliveryRow>(
    `SELECT d.id AS "deliveryId", e.id AS "eventId", e.type AS "eventType", d.next_attempt_at AS "nextAttemptAt"
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
      WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.attempts = 0
      ORDER BY d.created_at DESC, d.id LIMIT ?`,
    [endpointId, limit],
  );
}

/**
 * Finished deliveries created before `beforeMs` go, with their attempts, and events no delivery needs
 * any more; a pending one stays (the retry window is 24 hours, far shorter than any retention).
 */
export async function deleteFinishedBefore(database: SqlDatabase, beforeMs: number): Promise<number> {
  return database.transaction(async (transaction) => {
    const finished = `SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?`;
    await transaction.run(`DELETE FROM webhook_attempts WHERE delivery_id IN (${finished})`, [beforeMs]);
    const deleted = await transaction.run(
      `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?`,
      [beforeMs],
    );
    await transaction.run(
      `DELETE FROM webhook_events WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`,
      [beforeMs],
    );
    return deleted.changes;
  });
}
