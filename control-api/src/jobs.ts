// Scheduled jobs of the control API (node-cron). Each run is idempotent, so running twice (or on
// two nodes) changes nothing more than running once, and a run after downtime catches up. Each run
// takes its job's lease first (kernel/job-lease.ts): one run per round cluster-wide.
import cron from 'node-cron';
import { BILLING_CRON, BILLING_TIME_ZONE, runBillingJobs } from './billing/billing.job';
import { ACCOUNTING_SYNC_CRON, runAccountingSyncJob } from './features/accounting-sync/sync.job';
import { CPE_PROVISIONING_CRON, runCpeProvisioningJob } from './features/cpes/provisioning.job';
import { DOMAIN_RECHECK_CRON, recheckCustomDomains } from './features/domains/domains.job';
import { EMAIL_CRON, sendPendingEmails } from './features/email/email.job';
import { INVOICE_MAILS_CRON, queueInvoiceEmails } from './features/email/subscriber-mail';
import { NAS_MONITORING_CRON, runNasMonitoring } from './features/monitoring/service';
import { NOTIFICATIONS_CRON, sendPendingNotifications } from './features/notifications/notifications.job';
import { ABANDONED_SIGNUPS_CRON, releaseAbandonedSignups } from './features/signup/service';
import { EXPIRY_WARNINGS_CRON, queueExpiryWarnings } from './features/sms-campaigns/automatic-messages';
import { CAMPAIGN_SENDER_CRON, runCampaignSenders } from './features/sms-campaigns/sender.job';
import { pruneSupportEvents, SUPPORT_EVENTS_RETENTION_CRON } from './features/support/events-retention.job';
import { METERING_CRON, meterUsage } from './features/usage/metering.job';
import { meteringThreadFor } from './features/usage/metering-thread';
import { applyUsageRetention, USAGE_RETENTION_CRON } from './features/usage/retention.job';
import { expireVouchers } from './features/vouchers/expire-vouchers.job';
import { sendDueWebhooks, WEBHOOK_DELIVERIES_CRON } from './features/webhooks/deliveries.job';
import type { ApiDependencies } from './kernel/dependencies';
import { createInProcessJobLeases, runLeased, TEN_SECOND_JOB_LEASE_HOLD_MIN_MS } from './kernel/job-lease';
import { C2B_REGISTRATION_RETRY_MS, registerPendingC2bUrls } from './mpesa/c2b-registration';
import { reconcilePendingPurchases } from './mpesa/reconcile-purchases.job';
import { reconcilePlatformStkPayments } from './platform-billing/mpesa';
import { runPlatformBillingJob } from './platform-billing/platform-billing.job';

export interface JobRunner {
  /** Stops scheduling; resolves once the metering worker (if any) has ended. */
  stop(): Promise<void>;
}

export function startJobs(dependencies: ApiDependencies): JobRunner {
  const leases = dependencies.jobLeases ?? createInProcessJobLeases();
  // Embedded (SQLite): usage metering runs on a worker thread, off the AAA server's event loop.
  const meteringThread = meteringThreadFor(dependencies.databases);
  /** `holdMinMs`: the lease's hold, for a job run more often than every minute (see runLeased). */
  const run = (name: string, job: () => Promise<unknown>, holdMinMs?: number) => async () => {
    try {
      const outcome = await runLeased(leases, name, job, { logger: dependencies.logger, holdMinMs });
      if (outcome.ran)
        dependencies.logger.debug(
          { job: name, leaseToken: outcome.token, result: outcome.result },
          'job finished',
        );
    } catch (error) {
      dependencies.logger.error({ job: name, err: error }, 'job failed');
    }
  };
  const registerC2b = run('c2b_registration', () => registerPendingC2bUrls(dependencies));
  const reconcile = run('reconcile_purchases', async () => ({
    isp: await reconcilePendingPurchases(dependencies),
    platform: await reconcilePlatformStkPayments(dependencies),
  }));
  const billing = run('billing', () => runBillingJobs(dependencies));
  // At start: a seeded or restored platform registers its pending C2B URLs without waiting, and
  // billing catches up on cycles and dunning steps missed while the platform was down.
  void registerC2b();
  void billing();
  // Platform billing of ISPs catches up missed months and states at start too.
  const platformBilling = run('platform_billing', () => runPlatformBillingJob(dependencies));
  void platformBilling();
  // SMS campaigns: a sender per sending campaign under its own lease (started here, runs until it stops).
  let isStopping = false;
  const campaignSenders = () =>
    runCampaignSenders(dependencies, leases, { isStopping: () => isStopping }).catch((error: unknown) =>
      dependencies.logger.error({ job: 'sms_campaigns', err: error }, 'job failed'),
    );
  const tasks = [
    cron.schedule(CAMPAIGN_SENDER_CRON, campaignSenders, { noOverlap: true, name: 'sms_campaigns' }),
    cron.schedule(
      EXPIRY_WARNINGS_CRON,
      run('expiry_warnings', () => queueExpiryWarnings(dependencies)),
      { noOverlap: true, name: 'expiry_warnings' },
    ),
    cron.schedule(`*/${C2B_REGISTRATION_RETRY_MS / 60_000} * * * *`, registerC2b, {
      noOverlap: true,
      name: 'c2b_registration',
    }),
    cron.schedule('* * * * *', reconcile, { noOverlap: true, name: 'reconcile_purchases' }),
    cron.schedule('*/10 * * * *', platformBilling, { noOverlap: true, name: 'platform_billing' }),
    cron.schedule(BILLING_CRON, billing, { noOverlap: true, name: 'billing', timezone: BILLING_TIME_ZONE }),
    cron.schedule(
      '*/10 * * * *',
      run('expire_vouchers', () => expireVouchers(dependencies)),
      { noOverlap: true, name: 'expire_vouchers' },
    ),
    cron.schedule(
      NOTIFICATIONS_CRON,
      run('notifications', () => sendPendingNotifications(dependencies), TEN_SECOND_JOB_LEASE_HOLD_MIN_MS),
      { noOverlap: true, name: 'notifications' },
    ),
    cron.schedule(
      WEBHOOK_DELIVERIES_CRON,
      run('webhook_deliveries', () => sendDueWebhooks(dependencies)),
      { noOverlap: true, name: 'webhook_deliveries' },
    ),
    cron.schedule(
      EMAIL_CRON,
      run('email', () => sendPendingEmails(dependencies), TEN_SECOND_JOB_LEASE_HOLD_MIN_MS),
      { noOverlap: true, name: 'email' },
    ),
    cron.schedule(
      CPE_PROVISIONING_CRON,
      run('cpe_provisioning', () => runCpeProvisioningJob(dependencies)),
      { noOverlap: true, name: 'cpe_provisioning' },
    ),
    cron.schedule(
      INVOICE_MAILS_CRON,
      run('invoice_mails', () => queueInvoiceEmails(dependencies)),
      { noOverlap: true, name: 'invoice_mails' },
    ),
    cron.schedule(
      DOMAIN_RECHECK_CRON,
      run('domain_recheck', () => recheckCustomDomains(dependencies)),
      { noOverlap: true, name: 'domain_recheck' },
    ),
    cron.schedule(
      ABANDONED_SIGNUPS_CRON,
      run('abandoned_signups', () => releaseAbandonedSignups(dependencies)),
      { noOverlap: true, name: 'abandoned_signups' },
    ),
    cron.schedule(
      NAS_MONITORING_CRON,
      run('nas_monitoring', () => runNasMonitoring(dependencies)),
      { noOverlap: true, name: 'nas_monitoring' },
    ),
    cron.schedule(
      METERING_CRON,
      run('usage_metering', () => meterUsage(dependencies, meteringThread)),
      {
        noOverlap: true,
        name: 'usage_metering',
      },
    ),
    cron.schedule(
      USAGE_RETENTION_CRON,
      run('usage_retention', () => applyUsageRetention(dependencies)),
      {
        noOverlap: true,
        name: 'usage_retention',
        timezone: BILLING_TIME_ZONE,
      },
    ),
    cron.schedule(
      SUPPORT_EVENTS_RETENTION_CRON,
      run('support_events_retention', () => pruneSupportEvents(dependencies)),
      { noOverlap: true, name: 'support_events_retention' },
    ),
    cron.schedule(
      ACCOUNTING_SYNC_CRON,
      run('accounting_sync', () => runAccountingSyncJob(dependencies)),
      { noOverlap: true, name: 'accounting_sync', timezone: BILLING_TIME_ZONE },
    ),
  ];
  return {
    async stop() {
      isStopping = true;
      for (const task of tasks) task.stop();
      leases
        .close()
        .catch((error: unknown) => dependencies.logger.warn({ err: error }, 'job leases not closed'));
      await meteringThread?.stop();
    },
  };
}
