// Sends the notifications outbox by SMS: for each served tenant with SMS on (and on a plan with SMS),
// pending messages oldest first, a small batch per run; each row is claimed before it is sent and marked
// sent (with the gateway's message id), failed (with the gateway's reason) or pending again with backoff.
import { normaliseKenyanPhone, servedTenantIds } from '@kiunga/schemas';
import { SmsGatewayError } from '../../integrations/sms/index';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { recoverExpiredOutboxClaims, settleOutboxAttempt } from '../../kernel/outbox-claims';
import type { SendAttemptOutcome } from '../../kernel/send-policy';
import { type ClaimedNotification, claimNotification, dueNotificationIds, SMS_OUTBOX } from './outbox';
import { readSmsSettings, type SmsSettings, smsClientFor } from './sms-settings';

/**
 * Every 10 seconds: a hotspot client waiting at the portal for a one-time code (chat, guest pass) reads
 * it within seconds, not a minute; an idle tenant costs a few indexed reads per run.
 */
export const NOTIFICATIONS_CRON = '*/10 * * * * *';
/** Messages sent per tenant per run: one slow gateway cannot hold a run for long (runs never overlap). */
export const NOTIFICATIONS_PER_TENANT_PER_RUN = 20;
/** A claim outlives any send (the gateway timeout is 15 s); past it the sender is taken to have died. */
export const SEND_CLAIM_LEASE_MS = 5 * 60_000;
/** Expired claims looked at per tenant per run. */
const EXPIRED_CLAIMS_PER_RUN = 100;

export interface NotificationRunResult {
  sent: number;
  failed: number;
  retried: number;
  failedTenants: string[];
}

export async function sendPendingNotifications(
  dependencies: ApiDependencies,
): Promise<NotificationRunResult> {
  const totals: NotificationRunResult = { sent: 0, failed: 0, retried: 0, failedTenants: [] };
  const baseUrl = dependencies.smsBaseUrl;
  if (!baseUrl) return totals;
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const hasFeature = await tenantFeatures(dependencies.databases.platform, tenantId);
    if (!hasFeature('sms')) continue;
    try {
      const result = await sendTenantNotifications(dependencies, baseUrl, tenantId);
      totals.sent += result.sent;
      totals.failed += result.failed;
      totals.retried += result.retried;
    } catch (error) {
      // One tenant's broken database or settings must not stop the others' messages.
      dependencies.logger.error(
        { job: 'notifications', tenantId, err: error },
        'tenant notifications failed',
      );
      totals.failedTenants.push(tenantId);
    }
  }
  return totals;
}

async function sendTenantNotifications(dependencies: ApiDependencies, baseUrl: string, tenantId: string) {
  const counts = { sent: 0, failed: 0, retried: 0 };
  const database = dependencies.databases.forTenant(tenantId);
  const settings = await readSmsSettings(dependencies.secretBox, database);
  // Disabled or not set up: messages wait, pending, until the ISP turns SMS on.
  if (!settings?.enabled) return counts;
  await recoverExpiredOutboxClaims(database, SMS_OUTBOX, dependencies.clock.now(), EXPIRED_CLAIMS_PER_RUN);
  const client = smsClientFor(baseUrl, settings);
  const ids = await dueNotificationIds(database, dependencies.clock.now(), NOTIFICATIONS_PER_TENANT_PER_RUN);
  for (const id of ids) {
    const claimed = await claimNotification(database, id, dependencies.clock.now(), SEND_CLAIM_LEASE_MS);
    if (claimed === null) continue;
    const outcome = await sendOne(client, settings, claimed);
    const decision = await settleOutboxAttempt(
      database,
      SMS_OUTBOX,
      claimed,
      outcome,
      dependencies.clock.now(),
    );
    if (decision.status === 'sent') counts.sent += 1;
    else if (decision.status === 'failed') counts.failed += 1;
    else counts.retried += 1;
    // Refused credentials fail every message alike: the rest wait for the next run (or for new settings).
    if (outcome.kind === 'retryable' && outcome.reason === CREDENTIALS_REFUSED) break;
  }
  return counts;
}

const CREDENTIALS_REFUSED = 'the SMS gateway refused the username or API key: check the SMS settings';

async function sendOne(
  client: ReturnType<typeof smsClientFor>,
  settings: SmsSettings,
  claimed: ClaimedNotification,
): Promise<SendAttemptOutcome> {
  if (claimed.recipient === null || claimed.recipient === '') {
    return { kind: 'failed', reason: 'the subscriber has no phone number' };
  }
  // Subscriber phones are stored as typed (0712…, +254712…, 254712…); the gateway wants +254712….
  const phone = normaliseKenyanPhone(claimed.recipient);
  if (phone === null) {
    return { kind: 'failed', reason: `${claimed.recipient} is not a Kenyan mobile number` };
  }
  try {
    const result = await client.send({
      to: [`+${phone}`],
      message: claimed.body,
      from: settings.senderId,
    });
    const recipient = result.recipients[0];
    if (recipient === undefined) return { kind: 'retryable', reason: result.summary };
    if (recipient.outcome === 'sent') return { kind: 'sent', providerMessageId: recipient.messageId };
    return { kind: recipient.outcome, reason: `gateway: ${recipient.status}` };
  } catch (error) {
    if (!(error instanceof SmsGatewayError)) throw error;
    if (error.kind === 'authentication') return { kind: 'retryable', reason: CREDENTIALS_REFUSED };
    return { kind: error.isRetryable ? 'retryable' : 'failed', reason: error.message };
  }
}
