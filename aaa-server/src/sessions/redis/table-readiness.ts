// Knowing whether Redis holds the database's open sessions, and rebuilding it (one node at a time) when it does not.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { type OpenSessionSource, type RebuildOutcome, sessionStoreUnavailable } from '../session-store';
import type { LiveSessionInput } from '../session-table';
import { FINISH_REBUILD, RELEASE_LOCK, RENEW_LOCK } from './lock-scripts';
import { REBUILD_LOCK_KEY, TABLE_MARKER_KEY, TENANT_REGISTRY_KEY, tenantKey } from './redis-keys';
import {
  REBUILD_BATCH_SIZE,
  REBUILD_LOCK_TTL_MS,
  REBUILD_POLL_ATTEMPTS_MAX,
  REBUILD_POLL_INTERVAL_MS,
  REQUEST_REBUILD_WAIT_MS,
  TABLE_MARKER_TTL_MS,
} from './redis-limits';
import { asArray, startSessionCall } from './session-codec';
import { START_SESSION } from './session-scripts';

export interface TableReadinessOptions {
  readonly client: Redis;
  readonly openSessions: OpenSessionSource;
  readonly openSessionsMax: number;
  readonly logger?: Logger;
}

/*
 * A Redis that restarted without its data answers every script as if no device held anything, which
 * would let extra devices in. So admissions and Starts only run for a tenant whose `ready` marker exists
 * (the script checks it); the marker is set only while the table-wide marker exists, and that one only
 * after a rebuild loaded every open session from the database. An empty Redis has neither marker: the
 * first call that meets it starts a rebuild under a lock, and calls wait for it (briefly) or fail as
 * unavailable, never run against the empty table.
 */
export class TableReadiness {
  private readonly options: TableReadinessOptions;
  private rebuildInFlight: Promise<RebuildOutcome> | undefined;
  /**
   * Counts (re)connections. A Redis that restarted is reached only through a new connection, so work
   * that must all land on one Redis process (a rebuild; marking a tenant ready after seeing the table
   * marker) checks that this did not move before it sends its next command.
   */
  private connectionEpoch = 0;
  /** One readiness check per tenant at a time, however many requests met `not_ready` at once (one entry per tenant). */
  private readonly tenantsBecomingReady = new Map<string, Promise<void>>();

  constructor(options: TableReadinessOptions) {
    this.options = options;
    options.client.on('ready', () => {
      this.connectionEpoch += 1;
    });
  }

  /** Called when a tenant's script answered `not_ready`; the caller then runs it once more. */
  makeTenantReady(tenantId: string): Promise<void> {
    let becomingReady = this.tenantsBecomingReady.get(tenantId);
    if (becomingReady === undefined) {
      becomingReady = this.checkTenant(tenantId).finally(() => this.tenantsBecomingReady.delete(tenantId));
      this.tenantsBecomingReady.set(tenantId, becomingReady);
    }
    return becomingReady;
  }

  private async checkTenant(tenantId: string): Promise<void> {
    if (await this.markTenantReadyIfTableReady(tenantId)) return;
    await this.waitForRebuild(REQUEST_REBUILD_WAIT_MS);
    await this.markTenantReadyIfTableReady(tenantId);
  }

  /** One rebuild per node at a time; concurrent callers share it. */
  ensureRebuilt(): Promise<RebuildOutcome> {
    if (this.rebuildInFlight === undefined) {
      const rebuild = this.rebuildUnlessReady().finally(() => {
        this.rebuildInFlight = undefined;
      });
      // A request that stopped waiting no longer listens; the failure is still reported once here.
      rebuild.catch((error: unknown) =>
        this.options.logger?.error({ err: error }, 'session table rebuild failed'),
      );
      this.rebuildInFlight = rebuild;
    }
    return this.rebuildInFlight;
  }

  /** Renews the table marker and the tenant registry; false when the marker is gone (the table must be rebuilt). */
  async renewTableMarker(): Promise<boolean> {
    const results = await this.options.client
      .pipeline()
      .pexpire(TABLE_MARKER_KEY, TABLE_MARKER_TTL_MS)
      .pexpire(TENANT_REGISTRY_KEY, TABLE_MARKER_TTL_MS)
      .exec();
    return resultsOf(results)[0] === 1;
  }

  private async markTenantReadyIfTableReady(tenantId: string): Promise<boolean> {
    const epoch = this.connectionEpoch;
    const isTableReady = (await this.options.client.exists(TABLE_MARKER_KEY)) === 1;
    // Still the connection that saw the marker, so the same Redis process: a tenant is never marked
    // ready on a Redis that restarted empty after showing the marker.
    if (!isTableReady || epoch !== this.connectionEpoch) return false;
    await markTenantsReady(this.options.client, [tenantId]);
    return true;
  }

  private async waitForRebuild(boundMs: number): Promise<void> {
    const controller = new AbortController();
    const timeout = delay(boundMs, undefined, { signal: controller.signal }).catch(() => undefined);
    try {
      await Promise.race([this.ensureRebuilt(), timeout]);
    } finally {
      controller.abort();
    }
  }

  private async rebuildUnlessReady(): Promise<RebuildOutcome> {
    const { client } = this.options;
    for (let attempt = 0; attempt < REBUILD_POLL_ATTEMPTS_MAX; attempt++) {
      if (await this.renewTableMarker()) return { rebuilt: false };
      const token = randomUUID();
      const isLockTaken =
        (await client.set(REBUILD_LOCK_KEY, token, 'PX', REBUILD_LOCK_TTL_MS, 'NX')) === 'OK';
      if (isLockTaken) return this.rebuildHoldingLock(token);
      await delay(REBUILD_POLL_INTERVAL_MS);
    }
    throw sessionStoreUnavailable(
      'rebuild',
      'another node has been rebuilding the session table for too long',
    );
  }

  private async rebuildHoldingLock(token: string): Promise<RebuildOutcome> {
    const { client, logger } = this.options;
    try {
      // Another node may have finished between our look and our lock.
      if ((await client.exists(TABLE_MARKER_KEY)) === 1) return { rebuilt: false };
      const sessionCount = await this.loadOpenSessions(token, this.connectionEpoch);
      logger?.info({ sessions: sessionCount }, 'session table rebuilt in Redis from the database');
      return { rebuilt: true, sessionCount };
    } finally {
      await RELEASE_LOCK.run(client, [REBUILD_LOCK_KEY], [token]).catch(() => undefined);
    }
  }

  /** Every write of a rebuild goes to the Redis process it started on (`epoch`), or the rebuild fails. */
  private async loadOpenSessions(token: string, epoch: number): Promise<number> {
    const tenantIds = new Set<string>();
    let batch: LiveSessionInput[] = [];
    let sessionCount = 0;
    for await (const session of this.options.openSessions()) {
      batch.push(session);
      if (batch.length < REBUILD_BATCH_SIZE) continue;
      sessionCount += await this.restoreBatch(batch, tenantIds, token, epoch);
      batch = [];
    }
    if (batch.length > 0) sessionCount += await this.restoreBatch(batch, tenantIds, token, epoch);
    // Tenants first, the table marker last: whoever sees the table marker may trust every tenant.
    const tenantList = [...tenantIds];
    for (let start = 0; start < tenantList.length; start += REBUILD_BATCH_SIZE) {
      this.assertSameConnection(epoch);
      await markTenantsReady(this.options.client, tenantList.slice(start, start + REBUILD_BATCH_SIZE));
    }
    this.assertSameConnection(epoch);
    const marker = [token, String(sessionCount), TABLE_MARKER_TTL_MS];
    const keys = [REBUILD_LOCK_KEY, TABLE_MARKER_KEY];
    if ((await FINISH_REBUILD.run(this.options.client, keys, marker)) !== 1) {
      throw sessionStoreUnavailable('rebuild', 'the rebuild lock expired before the end');
    }
    return sessionCount;
  }

  private assertSameConnection(epoch: number): void {
    if (epoch !== this.connectionEpoch) {
      throw sessionStoreUnavailable(
        'rebuild',
        'Redis reconnected during the rebuild (it may have restarted)',
      );
    }
  }

  /** Writes one batch in one pipelined round trip (each script sent without waiting for the one before). */
  private async restoreBatch(
    batch: LiveSessionInput[],
    tenantIds: Set<string>,
    token: string,
    epoch: number,
  ): Promise<number> {
    const { client, openSessionsMax, logger } = this.options;
    this.assertSameConnection(epoch);
    const replies = await Promise.all(
      batch.map((session) => {
        const call = startSessionCall(session, { isRestore: true, openSessionsMax });
        return START_SESSION.run(client, call.keys, call.args);
      }),
    );
    let restored = 0;
    replies.forEach((reply, index) => {
      const outcome = asArray(reply)[0];
      const session = batch[index]!;
      if (outcome === 'started' || outcome === 'retransmit') {
        tenantIds.add(session.tenantId);
        restored += 1;
      } else {
        logger?.warn({ sessionId: session.sessionId, outcome }, 'open session not restored into Redis');
      }
    });
    const isStillHeld =
      (await RENEW_LOCK.run(client, [REBUILD_LOCK_KEY], [token, REBUILD_LOCK_TTL_MS])) === 1;
    if (!isStillHeld) throw sessionStoreUnavailable('rebuild', 'the rebuild lock expired while loading');
    return restored;
  }
}

/** Registers tenants for sweeps and marks them ready, in one round trip. */
async function markTenantsReady(client: Redis, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  const pipeline = client.pipeline().sadd(TENANT_REGISTRY_KEY, ...tenantIds);
  pipeline.pexpire(TENANT_REGISTRY_KEY, TABLE_MARKER_TTL_MS);
  for (const tenantId of tenantIds)
    pipeline.set(tenantKey(tenantId, 'ready'), '1', 'PX', TABLE_MARKER_TTL_MS);
  resultsOf(await pipeline.exec());
}

/** A pipeline's replies, or its first error. */
export function resultsOf(results: [error: Error | null, result: unknown][] | null): unknown[] {
  if (results === null) throw new Error('Redis pipeline was discarded');
  return results.map(([error, result]) => {
    if (error !== null) throw error;
    return result;
  });
}
