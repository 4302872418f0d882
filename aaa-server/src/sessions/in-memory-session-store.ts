// The in-process session table behind the asynchronous SessionStore interface, for one AAA node.
import { InMemorySessionTable } from './in-memory-session-table';
import type {
  OpenSessionSource,
  RebuildOutcome,
  SessionCounts,
  SessionKey,
  SessionStore,
} from './session-store';
import type {
  AdmitDeviceRequest,
  AdmitDeviceResult,
  LiveSession,
  LiveSessionInput,
  SessionPage,
  SessionPageRequest,
  SessionTable,
  SessionUpdate,
  StartSessionResult,
  SubjectReference,
} from './session-table';

export interface InMemorySessionStoreOptions {
  /** The table to expose; a new one by default. Its synchronous callers may keep using it directly. */
  readonly table?: SessionTable;
  /** Where `ensureRebuilt` loads open sessions from; without one there is nothing to load. */
  readonly openSessions?: OpenSessionSource;
}

/**
 * Every call does exactly what the synchronous table does, in one step, so nothing interleaves inside
 * an operation. Sessions are handed out as copies: the table changes its own records in place, and an
 * asynchronous caller may hold on to one across an await.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly table: SessionTable;
  private readonly openSessions: OpenSessionSource | undefined;
  /** The table lives and dies with this process: it is loaded once, at the first `ensureRebuilt`. */
  private hasRebuilt = false;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.table = options.table ?? new InMemorySessionTable();
    this.openSessions = options.openSessions;
  }

  /** Synchronous: the login path of one embedded node stays free of promises. */
  admitDevice(request: AdmitDeviceRequest): AdmitDeviceResult {
    return this.table.admitDevice(request);
  }

  async startSession(session: LiveSessionInput): Promise<StartSessionResult> {
    const result = this.table.startSession(session);
    return result.recorded ? { ...result, session: copyOf(result.session) } : result;
  }

  async updateSession(key: SessionKey, update: SessionUpdate): Promise<LiveSession | undefined> {
    return copyOrUndefined(this.table.updateSession(key.nasId, key.acctSessionId, update));
  }

  async stopSession(key: SessionKey): Promise<LiveSession | undefined> {
    return copyOrUndefined(this.table.stopSession(key.nasId, key.acctSessionId));
  }

  async applySessionUpdate(key: SessionKey, update: SessionUpdate): Promise<boolean> {
    return this.table.updateSession(key.nasId, key.acctSessionId, update) !== undefined;
  }

  async applySessionStop(key: SessionKey): Promise<boolean> {
    return this.table.stopSession(key.nasId, key.acctSessionId) !== undefined;
  }

  async closeSessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    const closed: LiveSession[] = [];
    for (const session of this.table.sessionsOfNas(nasId)) {
      if (session.tenantId !== tenantId) continue;
      const removed = this.table.removeSession(session.sessionId);
      if (removed !== undefined) closed.push(copyOf(removed));
    }
    return closed;
  }

  async claimStaleSessions(nowMs: number, graceMs: number, limit?: number): Promise<LiveSession[]> {
    const claimed: LiveSession[] = [];
    for (const session of this.table.findStaleSessions(nowMs, graceMs, limit)) {
      const removed = this.table.removeSession(session.sessionId);
      if (removed !== undefined) claimed.push(copyOf(removed));
    }
    return claimed;
  }

  async removeSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    // Another tenant's session id is answered exactly like an unknown one.
    if (this.table.findBySessionId(sessionId)?.tenantId !== tenantId) return undefined;
    return copyOrUndefined(this.table.removeSession(sessionId));
  }

  async expirePendingSlots(nowMs: number): Promise<number> {
    return this.table.expirePendingSlots(nowMs);
  }

  async sessionsOfTenant(tenantId: string, page: SessionPageRequest): Promise<SessionPage> {
    const found = this.table.sessionsOfTenant(tenantId, page);
    return { sessions: found.sessions.map(copyOf), hasMore: found.hasMore };
  }

  async sessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]> {
    return this.table
      .sessionsOfNas(nasId)
      .filter((session) => session.tenantId === tenantId)
      .map(copyOf);
  }

  async sessionsOfSubject(subject: SubjectReference): Promise<LiveSession[]> {
    return this.table.sessionsOfSubject(subject.tenantId, subject.subjectKind, subject.subjectId).map(copyOf);
  }

  async devicesOfSubject(subject: SubjectReference): Promise<string[]> {
    return this.table.devicesOfSubject(subject.tenantId, subject.subjectKind, subject.subjectId);
  }

  async findSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined> {
    const session = this.table.findBySessionId(sessionId);
    return session?.tenantId === tenantId ? copyOf(session) : undefined;
  }

  async countsByTenant(): Promise<Map<string, number>> {
    return this.table.countsByTenant();
  }

  async counts(): Promise<SessionCounts> {
    return { openSessions: this.table.size, pendingSlots: this.table.pendingSlotCount };
  }

  async ensureRebuilt(): Promise<RebuildOutcome> {
    if (this.hasRebuilt || this.openSessions === undefined) return { rebuilt: false };
    let sessionCount = 0;
    // Starting a session twice is a retransmit, so a load cut short by an error can simply run again.
    for await (const session of this.openSessions()) {
      this.table.startSession(session);
      sessionCount += 1;
    }
    this.hasRebuilt = true;
    return { rebuilt: true, sessionCount };
  }

  async close(): Promise<void> {}
}

function copyOf(session: LiveSession): LiveSession {
  return { ...session };
}

function copyOrUndefined(session: LiveSession | undefined): LiveSession | undefined {
  return session === undefined ? undefined : { ...session };
}
