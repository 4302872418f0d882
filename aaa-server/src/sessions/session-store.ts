// The live session table as every AAA node shares it: an asynchronous contract that the in-memory table and Redis both keep.
import { KiungaError } from '@kiunga/schemas';
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
} from './session-table';

/**
 * Where an accounting record points: Acct-Session-Id is unique only within one NAS, and a NAS belongs
 * to exactly one tenant (the intake knows it from the NAS registry), so the tenant is part of the key.
 */
export interface SessionKey {
  readonly tenantId: string;
  readonly nasId: string;
  readonly acctSessionId: string;
}

/** Open sessions the database holds, yielded in any order; what a table is rebuilt from. */
export type OpenSessionSource = () => AsyncIterable<LiveSessionInput> | Iterable<LiveSessionInput>;

export type RebuildOutcome =
  /** This node loaded `sessionCount` open sessions from the database. */
  | { readonly rebuilt: true; readonly sessionCount: number }
  /** The table already held the sessions (or another node rebuilt it meanwhile). */
  | { readonly rebuilt: false };

export type CountsScope = 'node' | 'cluster';

export interface SessionCounts {
  readonly openSessions: number;
  readonly pendingSlots: number;
}

/**
 * The live session table behind one asynchronous interface, so that the intake can use the in-memory
 * table (one AAA node) or Redis (any number of nodes) alike.
 *
 * Guarantees every implementation keeps, and the shared suite in testing/session-store-cases.ts checks:
 * - `admitDevice` checks and reserves in one atomic step: a device that already holds a session or a
 *   pending slot of the subject is admitted again (its slot refreshed); a device that would be the
 *   N+1th distinct Calling-Station-Id of a subject with limit N is refused, however many nodes race.
 * - A pending slot lives from Access-Accept until Accounting-Start or PENDING_SLOT_TIMEOUT_MS.
 * - `startSession` is idempotent per (tenant, NAS, Acct-Session-Id); a retransmitted Start never moves
 *   counters or time backwards; a reused Acct-Session-Id for another login replaces the old session.
 * - Each stale or stopped session is handed to exactly one caller (`stopSession`, `claimStaleSessions`,
 *   `removeSession`, `closeSessionsOfNas` return it only to the one that removed it), so exactly one
 *   node closes its database row.
 * - Returned sessions are snapshots the caller may keep.
 *
 * Failure: when the backing store cannot answer within its bound, a call rejects with a KiungaError
 * `session_store_unavailable` (see `isSessionStoreUnavailable`); it never hangs and never half-applies
 * a change (each change is one atomic step), although a timed-out change may still have been applied.
 */
export interface SessionStore {
  /** Synchronous when the table is in this process, so the embedded login path awaits nothing. */
  admitDevice(request: AdmitDeviceRequest): AdmitDeviceResult | Promise<AdmitDeviceResult>;
  /** Records an open session and consumes the device's pending slot. */
  startSession(session: LiveSessionInput): Promise<StartSessionResult>;
  /** Undefined when the session is unknown (its Start was never seen): the caller may start it. */
  updateSession(key: SessionKey, update: SessionUpdate): Promise<LiveSession | undefined>;
  stopSession(key: SessionKey): Promise<LiveSession | undefined>;
  /**
   * `updateSession` for a caller that needs no snapshot back (the accounting path): whether the session
   * is known. Redis then answers one integer instead of the session's fields (issue 11: decoding those
   * fields was a sixth of a scaled node's accounting CPU).
   */
  applySessionUpdate(key: SessionKey, update: SessionUpdate): Promise<boolean>;
  /** `stopSession` for a caller that needs no snapshot back (Accounting-Stop): whether it was open. */
  applySessionStop(key: SessionKey): Promise<boolean>;
  /** Accounting-On/Off: the NAS rebooted, so every session it had is gone. Pending slots stay. */
  closeSessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]>;
  /**
   * Removes and returns sessions without an update for 2 × interim interval + `graceMs` (at most
   * `limit`). Safe when several nodes reap at once: each stale session goes to exactly one of them.
   */
  claimStaleSessions(nowMs: number, graceMs: number, limit?: number): Promise<LiveSession[]>;
  removeSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined>;
  /** Frees slots whose Accounting-Start never came; returns how many. */
  expirePendingSlots(nowMs: number): Promise<number>;
  sessionsOfTenant(tenantId: string, page: SessionPageRequest): Promise<SessionPage>;
  sessionsOfNas(tenantId: string, nasId: string): Promise<LiveSession[]>;
  sessionsOfSubject(subject: SubjectReference): Promise<LiveSession[]>;
  /** Distinct devices holding a session or a pending slot of the subject: what its device limit counts. */
  devicesOfSubject(subject: SubjectReference): Promise<string[]>;
  findSession(tenantId: string, sessionId: string): Promise<LiveSession | undefined>;
  /** Open sessions per tenant; tenants without sessions are absent. */
  countsByTenant(): Promise<Map<string, number>>;
  /**
   * Whose sessions `counts` and `countsByTenant` count: this node's table ('node', also when absent),
   * or the table every AAA node shares ('cluster': the same figure on every node, not to be summed).
   */
  countsScope?(): CountsScope;
  counts(): Promise<SessionCounts>;
  /**
   * Makes sure the table holds the database's open sessions: loads them from the source the store was
   * made with when the table is empty (first start, or Redis lost its data). At most one node loads at
   * a time; device limits hold again once it returns.
   */
  ensureRebuilt(): Promise<RebuildOutcome>;
  close(): Promise<void>;
}

/**
 * `isSlow`: the store is reachable and answers, only not within the bound this time (see
 * REDIS_UNRESPONSIVE_MS): this call failed, but the store is not lost.
 */
export function sessionStoreUnavailable(
  operation: string,
  reason: string,
  options: { isSlow?: boolean } = {},
): KiungaError {
  return new KiungaError(
    'session_store_unavailable',
    `session table ${operation} failed: ${reason}`,
    undefined,
    { operation, reason, ...(options.isSlow === true ? { isSlow: true } : {}) },
  );
}

/**
 * What the intake acts on: the table could not answer, so an Access-Request is dropped (the NAS retries
 * and fails over) and an accounting record is not acknowledged (the NAS retransmits it).
 */
export function isSessionStoreUnavailable(error: unknown): error is KiungaError {
  return error instanceof KiungaError && error.code === 'session_store_unavailable';
}

/** Unavailable and not merely slow: the store is down, refused, or has answered nothing for a while. */
export function isSessionStoreUnreachable(error: unknown): error is KiungaError {
  return (
    isSessionStoreUnavailable(error) && (error.details as { isSlow?: boolean } | undefined)?.isSlow !== true
  );
}
