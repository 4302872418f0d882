// The live session table's contract: device slots and open sessions, in memory now, Redis/Valkey later.
import type { SessionSubjectKind } from '@kiunga/schemas';

/** What logged in: a hotspot voucher, a PPPoE/static subscriber or a guest pass of one tenant. */
export type SubjectKind = SessionSubjectKind;

/** An open session as the table holds it. Octet counts already combine the Gigawords attributes. */
export interface LiveSession {
  /** Database id of the session row (`ses_…`). */
  readonly sessionId: string;
  readonly tenantId: string;
  readonly nasId: string;
  /** Acct-Session-Id; unique only within one NAS. */
  readonly acctSessionId: string;
  readonly username: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  /** Normalised MAC (`aa:bb:cc:dd:ee:ff`) or, when not a MAC, the trimmed lower-case value. */
  readonly callingStationId: string;
  readonly framedIp: string | null;
  readonly startedAtMs: number;
  readonly lastUpdateMs: number;
  readonly interimIntervalSeconds: number;
  readonly inputOctets: number;
  readonly outputOctets: number;
}

/** What the accounting stage knows at Accounting-Start (Calling-Station-Id as the NAS sent it). */
export type LiveSessionInput = LiveSession;

export interface SubjectReference {
  readonly tenantId: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
}

export interface AdmitDeviceRequest extends SubjectReference {
  readonly callingStationId: string;
  /** Distinct devices the voucher or plan allows at once. */
  readonly deviceLimit: number;
  readonly nowMs: number;
}

/** Why a device was refused: the subject's limit, or the table itself is at its bound. */
export type AdmitRefusalReason = 'device_limit' | 'table_full';

export type AdmitDeviceResult =
  | { readonly admitted: true; readonly isKnownDevice: boolean }
  | { readonly admitted: false; readonly reason: AdmitRefusalReason; readonly devicesInUse: number };

export type StartSessionResult =
  /** `isRetransmit`: a Start for a (NAS, Acct-Session-Id) already open; the session was updated. */
  | { readonly recorded: true; readonly session: LiveSession; readonly isRetransmit: boolean }
  | { readonly recorded: false; readonly reason: 'table_full' };

export interface SessionUpdate {
  readonly lastUpdateMs: number;
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly framedIp?: string | null;
}

export interface SessionPageRequest {
  /** At most SESSIONS_PAGE_MAX; larger values are clamped. */
  readonly limit: number;
  /** Cursor: the last sessionId of the previous page. Works even if that session has closed since. */
  readonly afterSessionId?: string;
}

/** Sessions ordered by sessionId, so a cursor stays valid while sessions open and close. */
export interface SessionPage {
  readonly sessions: readonly LiveSession[];
  readonly hasMore: boolean;
}

/**
 * The live session table. Methods are synchronous on purpose: `admitDevice` checks and reserves a
 * slot in one step, so no interleaving lets an N+1th device in. Returned sessions are the table's
 * own records: read them, never change them.
 */
export interface SessionTable {
  /** Open sessions. */
  readonly size: number;
  /** Device slots held between Access-Accept and Accounting-Start. */
  readonly pendingSlotCount: number;
  admitDevice(request: AdmitDeviceRequest): AdmitDeviceResult;
  /** Records an open session and consumes the device's pending slot; idempotent per (nasId, acctSessionId). */
  startSession(session: LiveSessionInput): StartSessionResult;
  /** Undefined when the session is unknown (e.g. its Start was never seen); the caller may start it. */
  updateSession(nasId: string, acctSessionId: string, update: SessionUpdate): LiveSession | undefined;
  stopSession(nasId: string, acctSessionId: string): LiveSession | undefined;
  /** Accounting-On/Off: the NAS rebooted, so every session it had is gone. Pending slots stay. */
  closeSessionsOfNas(nasId: string): LiveSession[];
  /** Sessions without an update for 2 × interim interval + grace, at most `limit` of them. */
  findStaleSessions(nowMs: number, graceMs: number, limit?: number): LiveSession[];
  removeSession(sessionId: string): LiveSession | undefined;
  /** Frees slots whose Accounting-Start never came; returns how many. */
  expirePendingSlots(nowMs: number): number;
  sessionsOfTenant(tenantId: string, page: SessionPageRequest): SessionPage;
  sessionsOfNas(nasId: string): LiveSession[];
  sessionsOfSubject(tenantId: string, subjectKind: SubjectKind, subjectId: string): LiveSession[];
  /** Distinct devices holding a session or a pending slot of the subject: what its device limit counts. */
  devicesOfSubject(tenantId: string, subjectKind: SubjectKind, subjectId: string): string[];
  findBySessionId(sessionId: string): LiveSession | undefined;
  /** Open sessions per tenant; tenants without sessions are absent. A copy the caller may keep. */
  countsByTenant(): Map<string, number>;
}
