// The webhook delivery job: for each served tenant, due outbox deliveries oldest first, a bounded batch
// per run; each is claimed before it is sent (once cluster-wide, with the job's lease on top) and its
// outcome stored with the retry schedule's decision (1 min … 8 h, given up after 24 h).
import { servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { DELIVERY_TIMEOUT_MS } from './delivery/deliver';
import { attemptDelivery, type WebhookDependencies } from './service';
import {
  claimDelivery,
  deleteFinishedBefore,
  dueDeliveryIds,
  failDelivery,
  findDelivery,
  findEndpoint,
} from './store';

export const WEBHOOK_DELIVERIES_CRON = '* * * * *';
/** Deliveries attempted per tenant per run: at 10 s per slow receiver, one ISP holds a run 3 min at most. */
export const WEBHOOK_DELIVERIES_PER_TENANT_PER_RUN = 20;
/** A claim outlives its attempt (10 s) many times over; past it the sender is taken to have died. */
export const WEBHOOK_CLAIM_LEASE_MS = 30 * DELIVERY_TIMEOUT_MS;
/** The delivery log keeps 30 days: long enough to look into last month's complaints, bounded in size. */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface WebhookRunResult {
  delivered: number;
  failed: number;
  failedTenants: string[];
}

export async function sendDueWebhooks(
  dependencies: WebhookDependencies & Pick<ApiDependencies, 'databases' | 'logger'>,
): Promise<WebhookRunResult> {
  const totals: WebhookRunResult = { delivered: 0, failed: 0, failedTenants: [] };
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    try {
      const result = await sendTenantWebhooks(dependencies, tenantId);
      totals.delivered += result.delivered;
      totals.failed += result.failed;
    } catch (error) {
      // One tenant's broken database must not hold back the others' deliveries.
      dependencies.logger.error(
        { job: 'webhook_deliveries', tenantId, err: error },
        'tenant webhooks failed',
      );
      totals.failedTenants.push(tenantId);
    }
  }
  return totals;
}

async function sendTenantWebhooks(
  dependencies: WebhookDependencies & Pick<ApiDependencies, 'databases'>,
  tenantId: string,
): Promise<{ delivered: number; failed: number }> {
  const counts = { delivered: 0, failed: 0 };
  const database = dependencies.databases.forTenant(tenantId);
  await deleteFinishedBefore(database, dependencies.clock.now() - WEBHOOK_LOG_RETENTION_MS);
  const ids = await dueDeliveryIds(database, dependencies.clock.now(), WEBHOOK_DELIVERIES_PER_TENANT_PER_RUN);
  for (const id of ids) {
    if (!(await claimDelivery(database, id, dependencies.clock.now(), WEBHOOK_CLAIM_LEASE_MS))) continue;
    const delivery = await findDelivery(database, id);
    if (!delivery) continue;
    const endpoint = await findEndpoint(database, delivery.endpointId);
    if (!endpoint?.isActive) {
      await failDelivery(database, id, endpoint ? 'endpoint disabled' : 'endpoint removed');
      continue;
    }
    const outcome = await attemptDelivery(dependencies, database, tenantId, delivery, endpoint, 'scheduled');
    if (outcome === 'delivered') counts.delivered += 1;
    else counts.failed += 1;
  }
  return counts;
}
