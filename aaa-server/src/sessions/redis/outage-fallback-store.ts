// The shared (Redis) session table with a node-local stand-in while Redis cannot answer: logins and accounting go on, and the changes are replayed into Redis when it is back.
import type { Logger } from 'pino';
import { InMemorySessionStore } from '../in-memory-session-store';
import {
  type CountsScope,
  isSessionStoreUnavailable,
  isSessionStoreUnreachable,
  type OpenSessionSource,
  type RebuildOutcome,
  type SessionCounts,
  type SessionKey,
  type SessionStore,
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

/**
 * Changes kept for replay during one outage. An AAA node takes a few thousand accounting records a
 * second at most; 100,000 changes (≈ 20 MB of small objects) covers minutes of a full load. Beyond it the
 * oldest are forgotten: Redis heals them itself (an interim update restores a missing session; a session
 * stopped but still in Redis is reaped as stale after 2 × interim + grace).
 */
export const OUTAGE_JOURNAL_MAX = 100_000;

/**
 * How often a node in an outage asks Redis again. Redis reconnects within REDIS_RECONNECT_DELAY_MAX_MS
 * (1 s), so once a second returns to the shared table within about two seconds of Redis answering.
 */
export const SHARED_TABLE_PROBE_INTERVAL_MS = 1_000;

type Change = (store: SessionStore) => unknown;

export interface OutageFallbackOptions {
  /** The shared table (RedisSessionTable). */
  readonly shared: SessionStore;
  /** The database's open sessions: what the local stand-in starts from. */
  readonly openSessions: OpenSessionSource;
  readonly logger?: Logger;
}

/**
 * While the shared table answers, every call goes to it. When a call fails as `session_store_unavailable`
 * because Redis is unreachable (down, refusing, answering nothing for REDIS_UNRESPONSIVE_MS, or still
 * being rebuilt; a merely slow reply fails that call only), the node switches to a local in-memory table loaded from
 * the database's open sessions, decides Access-Requests and applies accounting there, and journals each
 * change. Every SHARED_TABLE_PROBE_INTERVAL_MS it asks the shared table again (`ensureRebuilt`, which
 * also rebuilds a Redis that came back empty); once it answers, the journal is replayed into it in
 * order (every change is idempotent) and the node uses the shared table again.
 *
 * The price, documented in docs/scaling.md: during the outage a device limit is counted per node (the
 * open sessions the database had when the outage began, plus what this node saw since), so up to one
 * limit's worth of devices per AAA node can be admitted.
 */
export class OutageFallbackStore implements SessionStore {
  private readonly shared: SessionStore;
  private readonly openSessions: OpenSessionSource;
  private readonly logger: Logger | undefined;
  /** Set during an outage: the local table, ready once it holds the database's open sessions. */
  private local: { store: InMemorySessionStore; ready: Promise<void> } | undefined;
  private journal: Change[] = [];
  private forgottenChanges = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private isProbing = false;

  constructor(options: OutageFallbackOptions) {
    this.shared = options.shared;
    this.openSessions = options.openSessions;
    this.logger = options.logger;
  }

  /** True while the node decides on its local table (Redis unreachable or being rebuilt). */
  get isInOutage(): boolean {
    return this.local !== undefined;
  }

  admitDevice(request: AdmitDeviceRequest): Promise<AdmitDeviceResult> {
    return this.change((store) => store.admitDevice(request), true);
  }

  startSession(session: LiveSessionInput): Promise<StartSessionResult> {
    return this.change((store) => store.startSession(session), true);
  }

  updateSession(key: SessionKey, update: SessionUpdate): Promise<LiveSession | undefined> {
    return this.change((store) => store.updateSession(key, update), true);
  }

  stopSession(key: SessionKey): Promise<LiveSession | undefined> {
    return this.change((store) => store.stopSession(key), true);
  }

  applySessionUpdate(key: SessionKey, update: SessionUpdate): Promise<boolean> {
    return this.change((store) => store.applySessionUpdate(key, update), true);
  }

  applySessionStop(key: SessionKey): Promise<boolean> {
    return this.change((store) => store.applySessionStop(key), true);
  }

  closeSessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    return this.change((store) => store.closeSessionsOfNas(tenantId, nasId), true);
  }

  /** Not journaled: the stale sessions the local table hands out are closed in the database, and Redis reaps its own copies. */
  claimStaleSessions(nowMs: number, graceMs: number, limit?: number): Promise<LiveSession[]> {
    return this.change((store) => store.claimStaleSessions(nowMs, graceMs, limit), false);
  }

  removeSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    return this.change((store) => store.removeSession(tenantId, sessionId), true);
  }

  expirePendingSlots(nowMs: number): Promise<number> {
    return this.change((store) => store.expirePendingSlots(nowMs), false);
  }

  sessionsOfTenant(tenantId: string, page: SessionPageRequest): Promise<SessionPage> {
    return this.change((store) => store.sessionsOfTenant(tenantId, page), false);
  }

  sessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    return this.change((store) => store.sessionsOfNas(tenantId, nasId), false);
  }

  sessionsOfSubject(subject: SubjectReference): Promise<LiveSession[]> {
    return this.change((store) => store.sessionsOfSubject(subject), false);
  }

  devicesOfSubject(subject: SubjectReference): Promise<string[]> {
    return this.change((store) => store.devicesOfSubject(subject), false);
  }

  findSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    return this.change((store) => store.findSession(tenantId, sessionId), false);
  }

  countsByTenant(): Promise<Map<string, number>> {
    return this.change((store) => store.countsByTenant(), false);
  }

  counts(): Promise<SessionCounts> {
    return this.change((store) => store.counts(), false);
  }

  /** During an outage the counts are of this node's stand-in table; otherwise of the shared one. */
  countsScope(): CountsScope {
    return this.local === undefined ? (this.shared.countsScope?.() ?? 'node') : 'node';
  }

  /** During an outage the probe rebuilds; otherwise the shared table's own rebuild (and marker renewal). */
  async ensureRebuilt(): Promise<RebuildOutcome> {
    if (this.local !== undefined) return { rebuilt: false };
    return this.change((store) => store.ensureRebuilt(), false);
  }

  async close(): Promise<void> {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    await this.shared.close();
  }

  private async change<Result>(
    work: (store: SessionStore) => Result | Promise<Result>,
    isJournaled: boolean,
  ) {
    if (this.local === undefined) {
      try {
        return await work(this.shared);
      } catch (error) {
        // A slow reply fails this call only (the router retries); an unreachable Redis starts the outage.
        if (!isSessionStoreUnreachable(error)) throw error;
        this.beginOutage(error);
      }
    }
    const local = this.local;
    if (local === undefined) return work(this.shared);
    await local.ready;
    const result = await work(local.store);
    if (isJournaled) this.remember(work);
    return result;
  }

  private beginOutage(error: unknown): void {
    if (this.local !== undefined) return;
    this.logger?.warn(
      { err: error },
      'session table: Redis cannot answer; deciding on this node alone (device limits counted per node) until it does',
    );
    const store = new InMemorySessionStore({ openSessions: this.openSessions });
    const ready = store.ensureRebuilt().then(
      () => undefined,
      (loadError: unknown) =>
        this.logger?.error({ err: loadError }, 'session table: loading open sessions for the outage failed'),
    );
    this.local = { store, ready };
    this.journal = [];
    this.forgottenChanges = 0;
    this.probeTimer = setInterval(() => void this.probe(), SHARED_TABLE_PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  private remember(change: Change): void {
    if (this.journal.length >= OUTAGE_JOURNAL_MAX) {
      this.journal.shift();
      this.forgottenChanges += 1;
    }
    this.journal.push(change);
  }

  /** Asks the shared table; when it answers, replays the journal into it and switches back. */
  private async probe(): Promise<void> {
    if (this.isProbing || this.local === undefined) return;
    this.isProbing = true;
    try {
      await this.shared.ensureRebuilt();
      let replayed = 0;
      // Changes made while replaying land in the journal too; the loop ends when it is empty.
      while (this.journal.length > 0) {
        const change = this.journal[0] as Change;
        try {
          await change(this.shared);
        } catch (error) {
          // Redis gone again: the change stays first in the journal. Anything else (a Start whose
          // session id another login took meanwhile) cannot succeed on a retry: it is skipped.
          if (isSessionStoreUnavailable(error)) throw error;
          this.logger?.warn(
            { err: error },
            'session table: a change made during the outage was not replayed',
          );
        }
        if (this.journal[0] === change) this.journal.shift();
        replayed += 1;
      }
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.local = undefined;
      this.logger?.info(
        { replayed, forgotten: this.forgottenChanges },
        'session table: Redis answers again; changes made meanwhile replayed, shared table in use',
      );
    } catch {
      // Still unavailable: the next probe tries again.
    } finally {
      this.isProbing = false;
    }
  }
}
