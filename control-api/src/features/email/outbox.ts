// The platform's mail outbox: requests queue a message here (sealed: a reset link is a password for half
// an hour) and return at once; the email job claims each row with one conditional UPDATE, so two runs
// or two nodes never send the same mail, then marks it sent, failed or pending again with backoff.
import { newId, type SecretBox, type SqlDatabase } from '@kiunga/schemas';
import type { EmailMessage } from '../../integrations/email/sender';
import type { SendDecision } from '../notifications/send-policy';

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

/** Pending mail due now, oldest first. */
export function dueEmailIds(database: SqlDatabase, nowMs: number, limit: number): Promise<string[]> {
  return database.column<string>(
    `SELECT id FROM mail_outbox
      WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      ORDER BY created_at, id LIMIT ?`,
    [nowMs, limit],
  );
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
  const row = await database.get<{
    id: string;
    recipient: string;
    subject: string;
    bodySealed: string;
    attempts: number;
  }>(
    `UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, claim_expires_at = ?
      WHERE id = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      RETURNING id, recipient, subject, body_sealed AS "bodySealed", attempts`,
    [nowMs + leaseMs, id, nowMs],
  );
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

/** Records the decision for a row this sender claimed; a row no longer 'sending' is left alone. */
export async function recordEmailDecision(
  database: SqlDatabase,
  id: string,
  decision: SendDecision,
): Promise<void> {
  if (decision.status === 'sent') {
    await database.run(
      `UPDATE mail_outbox SET status = 'sent', sent_at = ?, provider_message_id = ?, last_error = NULL,
         claim_expires_at = NULL, next_attempt_at = NULL WHERE id = ? AND status = 'sending'`,
      [decision.sentAt, decision.providerMessageId, id],
    );
    return;
  }
  await database.run(
    `UPDATE mail_outbox SET status = ?, last_error = ?, next_attempt_at = ?, claim_expires_at = NULL
      WHERE id = ? AND status = 'sending'`,
    [decision.status, decision.lastError, decision.status === 'pending' ? decision.nextAttemptAt : null, id],
  );
}

/** Claims whose lease ran out (the sender died mid-send), with their attempt counts. */
export function expiredEmailClaims(
  database: SqlDatabase,
  nowMs: number,
  limit: number,
): Promise<{ id: string; attempts: number }[]> {
  return database.all<{ id: string; attempts: number }>(
    `SELECT id, attempts FROM mail_outbox
      WHERE status = 'sending' AND claim_expires_at < ? ORDER BY claim_expires_at, id LIMIT ?`,
    [nowMs, limit],
  );
}
