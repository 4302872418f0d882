// The reaper's and the metrics' work over every tenant in the table: stale sessions, expired slots, counts.
import type Redis from 'ioredis';
import type { LiveSession } from '../session-table';
import { COUNT_TENANT } from './read-scripts';
import { TENANT_REGISTRY_KEY, tenantKey, tenantPrefix } from './redis-keys';
import { PENDING_SWEEP_BATCH_SIZE, SCAN_PAGE_SIZE, TENANT_PENDING_SLOTS_MAX } from './redis-limits';
import { asArray, sessionsFromReply } from './session-codec';
import { CLAIM_STALE_SESSIONS, EXPIRE_PENDING_SLOTS } from './session-scripts';
import type { TableReadiness } from './table-readiness';

/** A sweep of one tenant's slots ends after this many full batches: enough for all the slots a tenant may hold. */
const PENDING_SWEEP_BATCHES_MAX = Math.ceil(TENANT_PENDING_SLOTS_MAX / PENDING_SWEEP_BATCH_SIZE) + 1;

export class TenantSweeps {
  private readonly client: Redis;
  private readonly readiness: TableReadiness;

  constructor(client: Redis, readiness: TableReadiness) {
    this.client = client;
    this.readiness = readiness;
  }

  /** Claims up to `limit` sessions silent since before `cutoffMs` over all tenants; renews the table marker on the way. */
  async claimStaleSessions(cutoffMs: number, limit: number): Promise<LiveSession[]> {
    await this.readiness.renewTableMarker();
    const claimed: LiveSession[] = [];
    for (const tenantId of await this.registeredTenants()) {
      if (claimed.length >= limit) break;
      const keys = [tenantKey(tenantId, 'stale'), tenantKey(tenantId, 'listing')];
      const args = [tenantPrefix(tenantId), String(cutoffMs), limit - claimed.length];
      claimed.push(...sessionsFromReply(tenantId, await CLAIM_STALE_SESSIONS.run(this.client, keys, args)));
    }
    return claimed;
  }

  async expirePendingSlots(nowMs: number): Promise<number> {
    let expiredCount = 0;
    for (const tenantId of await this.registeredTenants()) {
      const keys = [tenantKey(tenantId, 'pending')];
      const args = [tenantPrefix(tenantId), String(nowMs), PENDING_SWEEP_BATCH_SIZE];
      for (let batch = 0; batch < PENDING_SWEEP_BATCHES_MAX; batch++) {
        const expired = Number(await EXPIRE_PENDING_SLOTS.run(this.client, keys, args));
        expiredCount += expired;
        if (expired < PENDING_SWEEP_BATCH_SIZE) break;
      }
    }
    return expiredCount;
  }

  async countsByTenant(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [tenantId, tenantCounts] of await this.countEveryTenant()) {
      if (tenantCounts.openSessions > 0) counts.set(tenantId, tenantCounts.openSessions);
    }
    return counts;
  }

  async counts(): Promise<{ openSessions: number; pendingSlots: number }> {
    let openSessions = 0;
    let pendingSlots = 0;
    for (const tenantCounts of (await this.countEveryTenant()).values()) {
      openSessions += tenantCounts.openSessions;
      pendingSlots += tenantCounts.pendingSlots;
    }
    return { openSessions, pendingSlots };
  }

  private async countEveryTenant(): Promise<Map<string, { openSessions: number; pendingSlots: number }>> {
    const tenantIds = await this.registeredTenants();
    const counts = new Map<string, { openSessions: number; pendingSlots: number }>();
    for (let start = 0; start < tenantIds.length; start += SCAN_PAGE_SIZE) {
      const page = tenantIds.slice(start, start + SCAN_PAGE_SIZE);
      // One page of tenants in one pipelined round trip.
      const replies = await Promise.all(
        page.map((tenantId) =>
          COUNT_TENANT.run(
            this.client,
            [tenantKey(tenantId, 'listing'), tenantKey(tenantId, 'pending')],
            [tenantPrefix(tenantId)],
          ),
        ),
      );
      page.forEach((tenantId, index) => {
        const reply = asArray(replies[index]);
        counts.set(tenantId, { openSessions: Number(reply[0]), pendingSlots: Number(reply[1]) });
      });
    }
    return counts;
  }

  /** Every tenant that has had something in the table since it was last rebuilt; one per tenant, so a bounded set. */
  private async registeredTenants(): Promise<string[]> {
    const tenantIds = new Set<string>();
    let cursor = '0';
    do {
      const [nextCursor, members] = await this.client.sscan(
        TENANT_REGISTRY_KEY,
        cursor,
        'COUNT',
        SCAN_PAGE_SIZE,
      );
      for (const tenantId of members) tenantIds.add(tenantId);
      cursor = nextCursor;
    } while (cursor !== '0');
    return [...tenantIds];
  }
}
