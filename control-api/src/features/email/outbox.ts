// The platform's mail outbox: requests queue a message here (sealed: a reset link is a password for half
// an hour) and return at once; the email job claims each row with one conditional UPDATE, so two runs
// or two nodes never send the same mail, then marks it sent, failed or pending again with backoff (the
// outboxes' shared claim → settle steps, kernel/outbox-claims.ts).
import { newId, type SecretBox, type SqlDatabase } from '@kiunga/schemas';
import type { EmailMessage } from '../../integrations/email/sender';
import { claimOutboxRow, dueOutboxIds, type OutboxTable } from '../../kernel/outbox-claims';

export type MailKind =
  | 'password_reset'
  | 'signup_email'
  | 'payment_receipt'
  | 'domain_unverified'
  | 'invoice'
  | 'owner_alert';

interface SealedAttachment {
  filename: string;
  contentType: string;
  /** The bytes in base64: an invoice PDF is a few kilobytes (the sender caps attachments at 5 MB). */
  contentBase64: string;
}

interface SealedBody {
  text: string;
  html?: string;
  attachments?: SealedAttachment[];
}

/** Queues one message, its attachments sealed with the body (an invoice PDF names a person and money). */
export async function queueEmail(
  database: SqlDatabase,
  secretBox: SecretBox,
  kind: MailKind,
  message: EmailMessage,
  nowMs: number,
): Promise<string> {
  const id = newId('mail');
  const body: SealedBody = {
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    ...(message.attachments === undefined || message.attachments.length === 0
      ? {}
      : {
          attachments: message.attachments.map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.contentType,
            contentBase64: attachment.content.toString('base64'),
          })),
        }),
  };
  await database.run(
    `INSERT INTO mail_outbox (id, kind, recipient, subject, body_sealed, status, attempts, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)`,
    [id, kind, message.to, message.subject, secretBox.seal(JSON.stringify(body)), nowMs],
  );
  return id;
}

/** The platform's mail outbox, for the shared claim → settle steps (kernel/outbox-claims.ts). */
export const MAIL_OUTBOX: OutboxTable = { table: 'mail_outbox', leaseColumn: 'claim_expires_at' };

/** Pending mail due now, oldest first. */
export function dueEmailIds(database: SqlDatabase, nowMs: number, limit: number): Promise<string[]> {
  return dueOutboxIds<string>(database, MAIL_OUTBOX, nowMs, limit);
}

export interface ClaimedEmail {
  id: string;
  message: EmailMessage;
  /** Including this one. */
  attempts: number;
}

/** Takes the row for this sender if it is still pending and due; null when another run has it. */
export async function claimEmail(
  database: SqlDatabase,
  secretBox: SecretBox,
  id: string,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimedEmail | null> {
  const row = await claimOutboxRow<{
    id: string;
    recipient: string;
    subject: string;
    bodySealed: string;
    attempts: number;
  }>(database, MAIL_OUTBOX, id, {
    nowMs,
    leaseMs,
    returning: 'id, recipient, subject, body_sealed AS "bodySealed", attempts',
  });
  if (!row) return null;
  const body = JSON.parse(secretBox.open(row.bodySealed)) as SealedBody;
  return {
    id: row.id,
    attempts: row.attempts,
    message: {
      to: row.recipient,
      subject: row.subject,
      text: body.text,
      ...(body.html === undefined ? {} : { html: body.html }),
      ...(body.attachments === undefined
        ? {}
        : {
            attachments: body.attachments.map((attachment) => ({
              filename: attachment.filename,
              contentType: attachment.contentType,
              content: Buffer.from(attachment.contentBase64, 'base64'),
            })),
          }),
    },
  };
}
