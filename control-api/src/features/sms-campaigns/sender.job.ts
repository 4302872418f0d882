// The campaign sender: every few seconds, for each ISP with SMS (Tier 2, gateway settings on), each
// campaign that is sending runs under its own lease (one sender per campaign cluster-wide), turn by
// turn (core/sender.ts runSenderTurn over the SQL store), waiting as the rate and backoff say, until the
// campaign completes, pauses or is cancelled. A sender that dies leaves claims that the next one marks
// unknown (never sent again); everything else carries on where it stopped.
import { type Clock, type SqlDatabase, servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { createInProcessJobLeases, type JobLeases, runLeased } from '../../kernel/job-lease';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { readSmsSettings, type SmsSettings, smsClientFor } from '../notifications/sms-settings';
import { SqlCampaignStore } from './campaign-store';
import {
  type NextStep,
  type RequestResult,
  requestResultOfAnswer,
  requestResultOfError,
  runSenderTurn,
  type SendRequest,
  type SendRequestFunction,
} from './core/index';
import { sendingCampaignIds } from './store';

/** Node-cron with seconds: a started campaign begins within two seconds. */
export const CAMPAIGN_SENDER_CRON = '*/2 * * * * *';
/** Gateway requests in flight at once per campaign: overlap the gateway's latency, never a flood. */
export const CAMPAIGN_SEND_CONCURRENCY = 4;
/** The longest one wait sleeps before looking at the run again (a pause or cancel by the ISP shows). */
const WAIT_SLICE_MS = 1_000;

export interface CampaignSendOptions {
  /** Waits until the clock reaches `untilMs` (a timer in production; moves a test's clock). */
  readonly waitUntil?: (untilMs: number) => Promise<void>;
  /** True when the process is stopping: the loop ends after the turn in hand. */
  readonly isStopping?: () => boolean;
  readonly concurrency?: number;
}

function realWait(clock: Clock) {
  return (untilMs: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, Math.min(Math.max(untilMs - clock.now(), 0), WAIT_SLICE_MS)).unref();
    });
}

/** The gateway request of one SendRequest, as the sender core needs its result. */
export function gatewaySender(baseUrl: string, settings: SmsSettings): SendRequestFunction {
  const client = smsClientFor(baseUrl, settings);
  return async (request: SendRequest): Promise<RequestResult> => {
    try {
      return requestResultOfAnswer(
        await client.send({ to: request.to, message: request.text, from: settings.senderId }),
      );
    } catch (error) {
      return requestResultOfError(error);
    }
  };
}

/** Runs one campaign's turns until it stops sending; the last step. */
export async function sendCampaign(
  database: SqlDatabase,
  campaignId: string,
  send: SendRequestFunction,
  clock: Clock,
  options: CampaignSendOptions = {},
): Promise<NextStep['kind']> {
  const store = new SqlCampaignStore(database, campaignId, () => clock.now());
  const waitUntil = options.waitUntil ?? realWait(clock);
  for (;;) {
    const step = await runSenderTurn({
      store,
      send,
      clock,
      concurrency: options.concurrency ?? CAMPAIGN_SEND_CONCURRENCY,
    });
    if (step.kind === 'complete' || step.kind === 'idle') return step.kind;
    if (options.isStopping?.()) return step.kind;
    if (step.kind === 'wait') await waitUntil(step.untilMs);
  }
}

export interface CampaignSenderRun {
  /** Campaigns this run started a sender for. */
  started: number;
  failedTenants: string[];
}

/**
 * Starts a sender for each sending campaign whose lease is free; `awaitSenders` waits for them (tests,
 * the benchmark), else they run on and the next tick skips campaigns whose lease is held.
 */
export async function runCampaignSenders(
  dependencies: ApiDependencies,
  leases: JobLeases,
  options: CampaignSendOptions & { awaitSenders?: boolean } = {},
): Promise<CampaignSenderRun> {
  const result: CampaignSenderRun = { started: 0, failedTenants: [] };
  const baseUrl = dependencies.smsBaseUrl;
  if (!baseUrl) return result;
  const senders: Promise<unknown>[] = [];
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    try {
      if (!(await dependencies.databases.hasTenant(tenantId))) continue;
      if (!(await tenantFeatures(dependencies.databases.platform, tenantId))('sms')) continue;
      const database = dependencies.databases.forTenant(tenantId);
      const campaignIds = await sendingCampaignIds(database);
      if (campaignIds.length === 0) continue;
      const settings = await readSmsSettings(dependencies.secretBox, database);
      // Off or not set up: campaigns stay sending, and go out once the ISP turns SMS on.
      if (!settings?.enabled) continue;
      const send = gatewaySender(baseUrl, settings);
      for (const campaignId of campaignIds) {
        const sender = runLeased(
          leases,
          `sms_campaign:${tenantId}:${campaignId}`,
          () => sendCampaign(database, campaignId, send, dependencies.clock, options),
          { logger: dependencies.logger, holdMinMs: 0 },
        ).catch((error: unknown) => {
          dependencies.logger.error(
            { job: 'sms_campaigns', tenantId, campaignId, err: error },
            'campaign sender failed',
          );
        });
        result.started += 1;
        senders.push(sender);
      }
    } catch (error) {
      dependencies.logger.error({ job: 'sms_campaigns', tenantId, err: error }, 'tenant campaigns failed');
      result.failedTenants.push(tenantId);
    }
  }
  if (options.awaitSenders) await Promise.all(senders);
  return result;
}

/** For tests and one-off runs: the senders under leases of this process alone, awaited. */
export function runCampaignSendersOnce(dependencies: ApiDependencies, options: CampaignSendOptions = {}) {
  return runCampaignSenders(dependencies, createInProcessJobLeases(), { ...options, awaitSenders: true });
}
