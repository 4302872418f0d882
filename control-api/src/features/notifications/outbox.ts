// The notifications outbox of one tenant: listing for the ISP, and the claim → send → mark steps of the
// sender job. A row is claimed ('pending' → 'sending') by one conditional UPDATE before it is sent, so
// two runs or two nodes never send the same message.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { equals, whereAll } from '../../kernel/listing';
import { decodeTimeCursor, type Page, pageOf, timeCursorKey } from '../../kernel/pagination';
import type { SendDecision } from './send-policy';

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const notificationOutputSchema = z.object({
  id: z.number().int(),
  channel: z.string(),
  kind: z.string(),
  subscriberId: z.string(),
  recipient: z.string().nullable(),
  body: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
});
export type NotificationOutput = z.infer<typeof notificationOutputSchema>;

const outputColumns = `id, channel, kind, subscriber_id AS "subscriberId", recipient, body, status, attempts,
  last_error AS "lastError", provider_message_id AS "providerMessageId", next_attempt_at AS "nextAttemptAt",
  created_at AS "createdAt", sent_at AS "sentAt"`;

export interface NotificationListFilter {
  limit: number;
  cursor?: string | undefined;
  status?: NotificationStatus | undefined;
  subscriberId?: string | undefined;
}

/** The outbox's cursor: `<created_at>|<row id>`, the row id an integer. */
function parseCursor(cursor: string | undefined): { createdAt: number; id: number } | null {
  const after = decodeTimeCursor(cursor);
  if (after === null) return null;
  const id = Number(after.id);
  if (!Number.isSafeInteger(id))
    throw new KiungaError('validation_failed', 'The cursor is not valid; start again without it.');
  return { createdAt: after.atMs, id };
}

/** Newest first. */
export async function listNotifications(
  database: SqlDatabase,
  filter: NotificationListFilter,
): Promise<Page<NotificationOutput>> {
  const after = parseCursor(filter.cursor);
  const where = whereAll([
    equals('status', filter.status),
    equals('subscriber_id', filter.subscriberId),
    after === null
      ? undefined
      : {
          sql: '(created_at < ? OR (created_at = ? AND id < ?))',
          params: [after.createdAt, after.createdAt, after.id],
        },
  ]);
  const rows = await database.all<NotificationOutput>(
    `SELECT ${outputColumns} FROM notifications${where.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  return pageOf(rows, filter.limit, (row) => timeCursorKey(row.createdAt, row.id));
}

/** Pending SMS due now, oldest first. */
export function dueNotificationIds(database: SqlDatabase, nowMs: number, limit: number): Promise<number[]> {
  return database.column<number>(
    `SELECT id FROM notifications
      WHERE status = 'pending' AND channel = 'sms' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      ORDER BY created_at, id LIMIT ?`,
    [nowMs, limit],
  );
}

export interface ClaimedNotification {
  id: number;
  recipient: string | null;
  body: string;
  /** Including this one. */
  attempts: number;
}

/** Takes the row for this sender if it is still pending and due; null when someone else has it. */
export async function claimNotification(
  database: SqlDatabase,
  id: number,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimedNotification | null> {
  const claimed = await database.get<ClaimedNotification>(
    `UPDATE notifications SET status = 'sending', attempts = attempts + 1, claimed_until = ?
      WHERE id = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      RETURNING id, recipient, body, attempts`,
    [nowMs + leaseMs, id, nowMs],
  );
  return claimed ?? null;
}

/** Records the decision for a row this sender claimed; a row no longer 'sending' is left alone. */
export async function recordSendDecision(
  database: SqlDatabase,
  id: number,
  decision: SendDecision,
): Promise<void> {
  if (decision.status === 'sent') {
    await database.run(
      `UPDATE notifications SET status = 'sent', sent_at = ?, provider_message_id = ?, last_error = NULL,
         claimed_until = NULL, next_attempt_at = NULL WHERE id = ? AND status = 'sending'`,
      [decision.sentAt, decision.providerMessageId, id],
    );
    return;
  }
  await database.run(
    `UPDATE notifications SET status = ?, last_error = ?, next_attempt_at = ?, claimed_until = NULL
      WHERE id = ? AND status = 'sending'`,
    [decision.status, decision.lastError, decision.status === 'pending' ? decision.nextAttemptAt : null, id],
  );
}

/** Claims whose lease ran out (the sender died mid-send), with their attempt counts. */
export function expiredClaims(
  database: SqlDatabase,
  nowMs: number,
  limit: number,
): Promise<ClaimedNotification[]> {
  return database.all<ClaimedNotification>(
    `SELECT id, recipient, body, attempts FROM notifications
      WHERE status = 'sending' AND claimed_until < ? ORDER BY claimed_until, id LIMIT ?`,
    [nowMs, limit],
  );
}

/** Pending and failed counts, for the console's summary. */
export async function notificationCounts(database: SqlDatabase): Promise<Record<NotificationStatus, number>> {
  const rows = await database.all<{ status: string; count: number }>(
    'SELECT status, COUNT(*) AS count FROM notifications GROUP BY status',
  );
  const counts: Record<NotificationStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) {
    if ((NOTIFICATION_STATUSES as readonly string[]).includes(row.status))
      counts[row.status as NotificationStatus] = row.count;
  }
  return counts;
}
