// The leased job that keeps GenieACS's PPPoE presets in step by itself (issue 14): for each ISP with a
// TR-069 server, when what the presets are made of changed since the last successful sync — the
// provisioning plans, a subscriber's recorded CPE serial number, plan, username or password, or the ACS
// itself — it runs the same sync as POST /api/v1/cpes/provisioning/sync. A newly bound CPE therefore gets
// its credentials within one run, and a plan change re-syncs. Idempotent twice over: the sync puts and
// deletes presets by name, and an unchanged ISP is not even called.
import { createHash } from 'node:crypto';
import {
  KiungaError,
  readTenantSetting,
  type SqlDatabase,
  servedTenantIds,
  writeTenantSetting,
} from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { syncPppoeProvisioning } from './service';
import { genieAcsSettingsOf, readProvisioningPlanIds } from './settings';
import { subscribersToProvision } from './store';

/** Every five minutes: a technician who records a router's serial sees it provisioned within minutes. */
export const CPE_PROVISIONING_CRON = '*/5 * * * *';
/** tenant_settings key: the fingerprint of what the last successful sync pushed. */
const SYNCED_FINGERPRINT_KEY = 'genieacs.provisioning_synced';

export interface CpeProvisioningRunResult {
  synced: number;
  unchanged: number;
  failedTenants: string[];
}

/**
 * What the presets are made of, as one digest: the ACS, the plans, and each subscriber to provision (the
 * sealed password's digest stands for the password: it changes only when the password is set again).
 */
async function provisioningFingerprint(
  dependencies: Pick<ApiDependencies, 'secretBox' | 'sharedGenieAcs'>,
  database: SqlDatabase,
): Promise<string | null> {
  const settings = await genieAcsSettingsOf(dependencies, database);
  if (settings.source === 'none') return null;
  const planIds = [...(await readProvisioningPlanIds(database))].sort();
  const subscribers = (await subscribersToProvision(database, planIds)).map((subscriber) => [
    subscriber.id,
    subscriber.username,
    subscriber.cpeSerialNumber,
    createHash('sha256').update(subscriber.passwordSealed).digest('hex'),
  ]);
  return createHash('sha256')
    .update(JSON.stringify({ acs: [settings.source, settings.url], planIds, subscribers }))
    .digest('hex');
}

/** Syncs every ISP whose presets are out of step; an ACS that fails is retried on the next run. */
export async function runCpeProvisioningJob(
  dependencies: ApiDependencies,
): Promise<CpeProvisioningRunResult> {
  const result: CpeProvisioningRunResult = { synced: 0, unchanged: 0, failedTenants: [] };
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const database = dependencies.databases.forTenant(tenantId);
    const fingerprint = await provisioningFingerprint(dependencies, database);
    if (fingerprint === null) continue;
    const synced = await readTenantSetting(database, SYNCED_FINGERPRINT_KEY);
    // Never synced and nothing to push: no preset of ours can be there to remove either.
    const hasNothingToPush =
      (await subscribersToProvision(database, await readProvisioningPlanIds(database))).length === 0;
    if (synced === fingerprint || (synced === undefined && hasNothingToPush)) {
      result.unchanged += 1;
      continue;
    }
    try {
      await syncPppoeProvisioning(dependencies, database, tenantId);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      dependencies.logger.warn(
        { job: 'cpe_provisioning', tenantId, code: error.code },
        'provisioning sync failed',
      );
      result.failedTenants.push(tenantId);
      continue;
    }
    await writeTenantSetting(database, SYNCED_FINGERPRINT_KEY, fingerprint, dependencies.clock.now());
    result.synced += 1;
  }
  return result;
}
