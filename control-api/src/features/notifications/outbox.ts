// The notifications outbox of one tenant: listing for the ISP, and the SMS rows' claim for the sender job
// through the outboxes' shared claim → settle steps (kernel/outbox-claims.ts): a row is claimed ('pending' →
// 'sending') by one conditional UPDATE before it is sent, so two runs or two nodes never send it twice.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { equals, whereAll } from '../../kernel/listing';
import { claimOutboxRow, dueOutboxIds, type OutboxTable } from '../../kernel/outbox-claims';
import { decodeTimeCursor, type Page, pageOf, timeCursorKey } from '../../kernel/pagination';

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

/** The SMS rows of the tenant's outbox, for the shared claim → settle steps (kernel/outbox-claims.ts). */
export const SMS_OUTBOX: OutboxTable = {
  table: 'notifications',
  leaseColumn: 'claimed_until',
  dueCondition: "channel = 'sms'",
};

/** Pending SMS due now, oldest first. */
export function dueNotificationIds(database: SqlDatabase, nowMs: number, limit: number): Promise<number[]> {
  return dueOutboxIds<number>(database, SMS_OUTBOX, nowMs, limit);
}

export interface ClaimedNotification {
  id: number;
  recipient: string | null;
  body: string;
  /** Including this one. */
  attempts: number;
}

/** Takes the row for this sender if it is still pending and due; null when someone else has it. */
export function claimNotification(
  database: SqlDatabase,
  id: number,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimedNotification | null> {
  return claimOutboxRow<ClaimedNotification>(database, SMS_OUTBOX, id, {
    nowMs,
    leaseMs,
    returning: 'id, recipient, body, attempts',
  });
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
