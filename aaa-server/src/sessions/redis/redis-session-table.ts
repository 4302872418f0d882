// The live session table in Redis, shared by every AAA node: each change is one atomic script.
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { normalizeCallingStationId } from '../calling-station-id';
import { PENDING_SLOT_TIMEOUT_MS, SESSIONS_PAGE_MAX, STALE_SESSIONS_BATCH_MAX } from '../limits';
import type {
  CountsScope,
  OpenSessionSource,
  RebuildOutcome,
  SessionCounts,
  SessionKey,
  SessionStore,
} from '../session-store';
import type {
  AdmitDeviceRequest,
  AdmitDeviceResult,
  LiveSession,
  LiveSessionInput,
  SessionPage,
  SessionPageRequest,
  SessionUpdate,
  StartSessionResult,
  SubjectReference,
} from '../session-table';
import {
  FIND_SESSION,
  LIST_NAS_SESSIONS,
  LIST_SUBJECT_SESSIONS,
  LIST_TENANT_SESSIONS,
  SUBJECT_DEVICES,
} from './read-scripts';
import { connectRedis, type RedisConnectionOptions, toStoreError } from './redis-connection';
import {
  nasClosingKey,
  nasKey,
  sessionKey,
  subjectKeys,
  subjectReference,
  tenantKey,
  tenantPrefix,
} from './redis-keys';
import {
  NAS_CLOSE_BATCH_SIZE,
  REDIS_UNRESPONSIVE_MS,
  SCAN_PAGE_SIZE,
  SESSION_CHANGES_PER_SCRIPT_MAX,
  TABLE_READY_ATTEMPTS_MAX,
  TENANT_OPEN_SESSIONS_MAX,
  TENANT_PENDING_SLOTS_MAX,
} from './redis-limits';
import type { RedisScript, ScriptArgument } from './redis-script';
import {
  asArray,
  decimal,
  framedIpArgument,
  optionalSessionFromReply,
  sessionFromReply,
  sessionsFromReply,
  startSessionCall,
} from './session-codec';
import {
  ADMIT_DEVICE,
  APPLY_SESSION_CHANGES,
  BEGIN_CLOSING_NAS,
  DRAIN_CLOSING_NAS,
  REMOVE_SESSION,
  SESSION_CHANGE_KINDS,
  START_SESSION,
} from './session-scripts';
import { TableReadiness } from './table-readiness';
import { TenantSweeps } from './tenant-sweeps';

export interface RedisSessionTableOptions extends RedisConnectionOptions {
  /** The database's open sessions, loaded whenever Redis turns out to be empty. */
  readonly openSessions: OpenSessionSource;
  /** How long Redis may answer nothing before a timeout means it is lost (REDIS_UNRESPONSIVE_MS); shorter only in tests. */
  readonly unresponsiveAfterMs?: number;
  /** Open sessions one tenant may hold (TENANT_OPEN_SESSIONS_MAX); lower only in tests. */
  readonly openSessionsMax?: number;
  /** Pending slots one tenant may hold (TENANT_PENDING_SLOTS_MAX); lower only in tests. */
  readonly pendingSlotsMax?: number;
}

type AdmitOutcome = 'known' | 'admitted' | 'device_limit' | 'table_full';

/** Refuses ids that cannot name Redis keys, as building the session's key does (redis-keys.ts). */
function assertNamesKeys(key: SessionKey): void {
  sessionKey(key.tenantId, key.nasId, key.acctSessionId);
}

/** An Interim-Update's values for APPLY_SESSION_CHANGES, full ('u') or lean ('U') reply. */
function updateChange(kind: string, key: SessionKey, update: SessionUpdate): string[] {
  assertNamesKeys(key);
  return [
    kind,
    key.nasId,
    key.acctSessionId,
    decimal(update.lastUpdateMs),
    decimal(update.inputOctets),
    decimal(update.outputOctets),
    update.framedIp === undefined ? '0' : '1',
    framedIpArgument(update.framedIp ?? null),
  ];
}

/** A Start, Interim-Update or Stop waiting for its tenant's next APPLY_SESSION_CHANGES run. */
interface QueuedChange {
  /** The change's letter and values (SESSION_CHANGE_KINDS). */
  readonly values: readonly string[];
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

/**
 * SessionStore over Redis (key layout in redis-keys.ts, scripts in session-scripts.ts). Bounds are per
 * tenant here, where the in-memory table's are per process: `table_full` means this tenant's share is full.
 */
export class RedisSessionTable implements SessionStore {
  private readonly client: Redis;
  private readonly openSessionsMax: number;
  private readonly pendingSlotsMax: number;
  private readonly readiness: TableReadiness;
  private readonly sweeps: TenantSweeps;
  private readonly unresponsiveAfterMs: number;
  /** When Redis last answered a call (monotonic ms): a timeout soon after is slowness, not an outage. */
  private lastAnswerAtMs = performance.now();
  /**
   * Session changes made in this turn of the event loop, per tenant, sent together when it ends: the
   * accounting writer tells a whole commit group at once, so its changes go as one script run.
   */
  private readonly queuedChanges = new Map<string, QueuedChange[]>();

  static async connect(options: RedisSessionTableOptions): Promise<RedisSessionTable> {
    return new RedisSessionTable(await connectRedis(options), options);
  }

  private constructor(client: Redis, options: RedisSessionTableOptions) {
    this.client = client;
    this.openSessionsMax = options.openSessionsMax ?? TENANT_OPEN_SESSIONS_MAX;
    this.pendingSlotsMax = options.pendingSlotsMax ?? TENANT_PENDING_SLOTS_MAX;
    this.unresponsiveAfterMs = options.unresponsiveAfterMs ?? REDIS_UNRESPONSIVE_MS;
    this.readiness = new TableReadiness({
      client,
      openSessions: options.openSessions,
      openSessionsMax: this.openSessionsMax,
      logger: options.logger,
    });
    this.sweeps = new TenantSweeps(client, this.readiness);
  }

  async admitDevice(request: AdmitDeviceRequest): Promise<AdmitDeviceResult> {
    const { tenantId } = request;
    const subject = subjectKeys(request);
    const keys = [
      subject.pending,
      subject.sessions,
      tenantKey(tenantId, 'pending'),
      tenantKey(tenantId, 'listing'),
      tenantKey(tenantId, 'ready'),
    ];
    const args = [
      tenantPrefix(tenantId),
      subjectReference(request.subjectKind, request.subjectId),
      normalizeCallingStationId(request.callingStationId),
      decimal(request.deviceLimit),
      decimal(request.nowMs),
      decimal(request.nowMs + PENDING_SLOT_TIMEOUT_MS),
      decimal(this.openSessionsMax),
      decimal(this.pendingSlotsMax),
    ];
    const reply = asArray(await this.runWhenReady('admitDevice', ADMIT_DEVICE, tenantId, keys, args));
    const outcome = reply[0] as AdmitOutcome;
    const devicesInUse = Number(reply[1]);
    if (outcome === 'known' || outcome === 'admitted')
      return { admitted: true, isKnownDevice: outcome === 'known' };
    return { admitted: false, reason: outcome, devicesInUse };
  }

  async startSession(session: LiveSessionInput): Promise<StartSessionResult> {
    const call = startSessionCall(session, { isRestore: false, openSessionsMax: this.openSessionsMax });
    let reply = asArray(
      await this.queueChange(session.tenantId, [SESSION_CHANGE_KINDS.start, ...call.args.slice(3)]),
    );
    // The tenant's part of the table is being rebuilt: make it ready and start the session on its own.
    if (reply[0] === 'not_ready') {
      reply = asArray(
        await this.runWhenReady('startSession', START_SESSION, session.tenantId, call.keys, call.args),
      );
    }
    switch (reply[0]) {
      case 'table_full':
        return { recorded: false, reason: 'table_full' };
      case 'conflict':
        throw new Error(`session id ${session.sessionId} is already open under another Acct-Session-Id`);
      case 'retransmit':
      case 'started':
        return {
          recorded: true,
          session: sessionFromReply(session.tenantId, reply, 1),
          isRetransmit: reply[0] === 'retransmit',
        };
      default:
        throw new Error(`start-session answered ${String(reply[0])}`);
    }
  }

  async updateSession(key: SessionKey, update: SessionUpdate): Promise<LiveSession | undefined> {
    const values = updateChange(SESSION_CHANGE_KINDS.update, key, update);
    return optionalSessionFromReply(key.tenantId, await this.queueChange(key.tenantId, values));
  }

  async applySessionUpdate(key: SessionKey, update: SessionUpdate): Promise<boolean> {
    const values = updateChange(SESSION_CHANGE_KINDS.leanUpdate, key, update);
    return (await this.queueChange(key.tenantId, values)) === 1;
  }

  async stopSession(key: SessionKey): Promise<LiveSession | undefined> {
    assertNamesKeys(key);
    const values = [SESSION_CHANGE_KINDS.stop, key.nasId, key.acctSessionId];
    return optionalSessionFromReply(key.tenantId, await this.queueChange(key.tenantId, values));
  }

  async applySessionStop(key: SessionKey): Promise<boolean> {
    assertNamesKeys(key);
    const values = [SESSION_CHANGE_KINDS.leanStop, key.nasId, key.acctSessionId];
    return (await this.queueChange(key.tenantId, values)) === 1;
  }

  /** Queues a change for the tenant's next APPLY_SESSION_CHANGES run (at the end of this turn); its reply. */
  private queueChange(tenantId: string, values: readonly string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queued = this.queuedChanges.get(tenantId);
      if (queued !== undefined) {
        queued.push({ values, resolve, reject });
        return;
      }
      this.queuedChanges.set(tenantId, [{ values, resolve, reject }]);
      if (this.queuedChanges.size === 1) queueMicrotask(() => this.sendQueuedChanges());
    });
  }

  private sendQueuedChanges(): void {
    const byTenant = [...this.queuedChanges];
    this.queuedChanges.clear();
    for (const [tenantId, changes] of byTenant) {
      for (let start = 0; start < changes.length; start += SESSION_CHANGES_PER_SCRIPT_MAX) {
        void this.applyChanges(tenantId, changes.slice(start, start + SESSION_CHANGES_PER_SCRIPT_MAX));
      }
    }
  }

  /** One script run for the changes; each caller hears its own reply, or the run's error. Never rejects. */
  private async applyChanges(tenantId: string, changes: readonly QueuedChange[]): Promise<void> {
    const args: ScriptArgument[] = [tenantPrefix(tenantId), decimal(this.openSessionsMax)];
    for (const change of changes) {
      for (const value of change.values) args.push(value);
    }
    let replies: readonly unknown[];
    try {
      replies = asArray(
        await this.run('applySessionChanges', APPLY_SESSION_CHANGES, [tenantKey(tenantId, 'listing')], args),
      );
      if (replies.length !== changes.length) {
        throw new Error(`apply-session-changes answered ${replies.length} of ${changes.length} changes`);
      }
    } catch (error) {
      for (const change of changes) change.reject(error);
      return;
    }
    for (let index = 0; index < changes.length; index += 1) changes[index]!.resolve(replies[index] ?? null);
  }

  async closeSessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    const prefix = tenantPrefix(tenantId);
    const closingKey = nasClosingKey(tenantId, nasId, randomUUID());
    const listingKey = tenantKey(tenantId, 'listing');
    const toClose = Number(
      await this.run(
        'closeSessionsOfNas',
        BEGIN_CLOSING_NAS,
        [nasKey(tenantId, nasId), closingKey, listingKey],
        [prefix],
      ),
    );
    const closed: LiveSession[] = [];
    // Each batch empties part of the set moved aside, so this many batches always suffice.
    const batchesMax = Math.ceil(toClose / NAS_CLOSE_BATCH_SIZE);
    for (let batch = 0; batch < batchesMax; batch++) {
      const reply = asArray(
        await this.run(
          'closeSessionsOfNas',
          DRAIN_CLOSING_NAS,
          [closingKey, listingKey],
          [prefix, NAS_CLOSE_BATCH_SIZE],
        ),
      );
      closed.push(...sessionsFromReply(tenantId, reply, 1));
      if (Number(reply[0]) === 0) break;
    }
    return closed;
  }

  claimStaleSessions(
    nowMs: number,
    graceMs: number,
    limit = STALE_SESSIONS_BATCH_MAX,
  ): Promise<LiveSession[]> {
    return this.guard('claimStaleSessions', () => this.sweeps.claimStaleSessions(nowMs - graceMs, limit));
  }

  async removeSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    const keys = [tenantKey(tenantId, 'listing')];
    const reply = await this.run('removeSession', REMOVE_SESSION, keys, [tenantPrefix(tenantId), sessionId]);
    return optionalSessionFromReply(tenantId, reply);
  }

  expirePendingSlots(nowMs: number): Promise<number> {
    return this.guard('expirePendingSlots', () => this.sweeps.expirePendingSlots(nowMs));
  }

  async sessionsOfTenant(tenantId: string, page: SessionPageRequest): Promise<SessionPage> {
    const limit = Math.min(Math.max(Math.floor(page.limit), 1), SESSIONS_PAGE_MAX);
    const args = [tenantPrefix(tenantId), page.afterSessionId ?? '', limit];
    const reply = asArray(
      await this.run('sessionsOfTenant', LIST_TENANT_SESSIONS, [tenantKey(tenantId, 'listing')], args),
    );
    return { sessions: sessionsFromReply(tenantId, reply, 1), hasMore: Number(reply[0]) === 1 };
  }

  async sessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    const keys = [nasKey(tenantId, nasId), tenantKey(tenantId, 'listing')];
    // SSCAN may return an entry twice; the map keeps one of each.
    const found = new Map<string, LiveSession>();
    let cursor = '0';
    do {
      const args = [tenantPrefix(tenantId), cursor, SCAN_PAGE_SIZE];
      const reply = asArray(await this.run('sessionsOfNas', LIST_NAS_SESSIONS, keys, args));
      cursor = String(reply[0]);
      for (const session of sessionsFromReply(tenantId, reply, 1)) found.set(session.sessionId, session);
    } while (cursor !== '0');
    return [...found.values()];
  }

  async sessionsOfSubject(subject: SubjectReference): Promise<LiveSession[]> {
    const keys = [subjectKeys(subject).sessions, tenantKey(subject.tenantId, 'listing')];
    const reply = await this.run('sessionsOfSubject', LIST_SUBJECT_SESSIONS, keys, [
      tenantPrefix(subject.tenantId),
    ]);
    return sessionsFromReply(subject.tenantId, reply);
  }

  async devicesOfSubject(subject: SubjectReference): Promise<string[]> {
    const { sessions, pending } = subjectKeys(subject);
    const reply = await this.run(
      'devicesOfSubject',
      SUBJECT_DEVICES,
      [sessions, pending],
      [tenantPrefix(subject.tenantId)],
    );
    return asArray(reply).map(String);
  }

  async findSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    const keys = [tenantKey(tenantId, 'listing')];
    const reply = await this.run('findSession', FIND_SESSION, keys, [tenantPrefix(tenantId), sessionId]);
    return optionalSessionFromReply(tenantId, reply);
  }

  countsByTenant(): Promise<Map<string, number>> {
    return this.guard('countsByTenant', () => this.sweeps.countsByTenant());
  }

  counts(): Promise<SessionCounts> {
    return this.guard('counts', () => this.sweeps.counts());
  }

  /** Redis holds every AAA node's sessions: its counts are the cluster's. */
  countsScope(): CountsScope {
    return 'cluster';
  }

  /** Also renews the table marker: call it on the reaper's timer as well as at start. */
  ensureRebuilt(): Promise<RebuildOutcome> {
    return this.guard('ensureRebuilt', () => this.readiness.ensureRebuilt());
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private run(
    operation: string,
    script: RedisScript,
    keys: string[],
    args: ScriptArgument[],
  ): Promise<unknown> {
    return this.guard(operation, () => script.run(this.client, keys, args));
  }

  /** Runs a script that refuses to act for a tenant not known to be ready, making it ready when asked. */
  private async runWhenReady(
    operation: string,
    script: RedisScript,
    tenantId: string,
    keys: string[],
    args: ScriptArgument[],
  ): Promise<unknown> {
    return this.guard(operation, async () => {
      for (let attempt = 1; ; attempt++) {
        const reply = await script.run(this.client, keys, args);
        if (asArray(reply)[0] !== 'not_ready') return reply;
        if (attempt >= TABLE_READY_ATTEMPTS_MAX) {
          throw toStoreError(operation, new Error('the session table is being rebuilt'));
        }
        await this.readiness.makeTenantReady(tenantId);
      }
    });
  }

  private async guard<Result>(operation: string, work: () => Promise<Result>): Promise<Result> {
    try {
      const result = await work();
      this.lastAnswerAtMs = performance.now();
      return result;
    } catch (error) {
      // A reply that timed out on a live connection to a Redis that answered lately is slowness, not loss.
      const isSlowNotLost =
        this.client.status === 'ready' && performance.now() - this.lastAnswerAtMs < this.unresponsiveAfterMs;
      throw toStoreError(operation, error, { isSlowNotLost });
    }
  }
}
