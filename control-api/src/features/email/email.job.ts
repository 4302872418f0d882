// Sends the platform's mail outbox by SMTP (KIUNGA_SMTP_URL): due messages oldest first, a batch per
// run; each row claimed before it is sent, then sent, failed for good (the server refused it) or tried
// again with the SMS sender's backoff (kernel/send-policy.ts). No SMTP URL: mail waits.
import { EmailError } from '../../integrations/email/errors';
import { type EmailMessage, EmailSender } from '../../integrations/email/sender';
import type { ApiDependencies } from '../../kernel/dependencies';
import { recoverExpiredOutboxClaims, settleOutboxAttempt } from '../../kernel/outbox-claims';
import type { SendAttemptOutcome } from '../../kernel/send-policy';
import { claimEmail, dueEmailIds, MAIL_OUTBOX } from './outbox';

/**
 * Every 10 seconds: a sign-up link or a password reset is awaited by a person looking at their inbox, and
 * an idle run is one indexed query on the platform database (node-cron's six-field form, seconds first).
 */
export const EMAIL_CRON = '*/10 * * * * *';
/** Messages per run: one slow mail server cannot hold a run for long (each send ≤ 50 s; runs never overlap). */
export const EMAILS_PER_RUN = 50;
/** A claim outlives any send (connect 10 s + greeting 10 s + 30 s of silence); past it the sender died. */
export const EMAIL_CLAIM_LEASE_MS = 5 * 60_000;
/** Expired claims looked at per run. */
const EXPIRED_CLAIMS_PER_RUN = 100;

export interface EmailRunResult {
  sent: number;
  failed: number;
  retried: number;
}

export async function sendPendingEmails(dependencies: ApiDependencies): Promise<EmailRunResult> {
  const counts: EmailRunResult = { sent: 0, failed: 0, retried: 0 };
  const config = dependencies.email;
  if (!config) return counts;
  const database = dependencies.databases.platform;
  await recoverExpiredOutboxClaims(database, MAIL_OUTBOX, dependencies.clock.now(), EXPIRED_CLAIMS_PER_RUN);
  const ids = await dueEmailIds(database, dependencies.clock.now(), EMAILS_PER_RUN);
  if (ids.length === 0) return counts;
  const sender = new EmailSender({ smtpUrl: config.smtpUrl, from: config.from });
  try {
    for (const id of ids) {
      const claimed = await claimEmail(
        database,
        dependencies.secretBox,
        id,
        dependencies.clock.now(),
        EMAIL_CLAIM_LEASE_MS,
      );
      if (claimed === null) continue;
      const outcome = await sendOne(sender, claimed.message);
      const decision = await settleOutboxAttempt(
        database,
        MAIL_OUTBOX,
        claimed,
        outcome,
        dependencies.clock.now(),
      );
      if (decision.status === 'sent') counts.sent += 1;
      else if (decision.status === 'failed') counts.failed += 1;
      else counts.retried += 1;
      if (outcome.kind !== 'sent')
        dependencies.logger.warn(
          { job: 'email', mailId: claimed.id, server: sender.description, outcome: outcome.kind },
          'mail not sent',
        );
    }
  } finally {
    sender.close();
  }
  return counts;
}

async function sendOne(sender: EmailSender, message: EmailMessage): Promise<SendAttemptOutcome> {
  try {
    const sent = await sender.send(message);
    return { kind: 'sent', providerMessageId: sent.messageId };
  } catch (error) {
    if (!(error instanceof EmailError)) throw error;
    return { kind: error.isRetryable ? 'retryable' : 'failed', reason: error.message };
  }
}
