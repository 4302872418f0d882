// The live session table held in this process: device limits, open sessions and the indexes the control API reads.
import { normalizeCallingStationId } from './calling-station-id';
import {
  OPEN_SESSIONS_MAX,
  PENDING_SLOT_TIMEOUT_MS,
  PENDING_SLOTS_MAX,
  STALE_SESSIONS_BATCH_MAX,
} from './limits';
import { selectSessionPage } from './session-page';
import {
  assertInterimInterval,
  createLiveSession,
  isSameLogin,
  refreshFromRetransmit,
} from './session-records';
import { isSessionStale } from './session-staleness';
import type {
  AdmitDeviceRequest,
  AdmitDeviceResult,
  AdmitRefusalReason,
  LiveSession,
  LiveSessionInput,
  SessionPage,
  SessionPageRequest,
  SessionTable,
  SessionUpdate,
  StartSessionResult,
  SubjectKind,
} from './session-table';
import {
  countDistinctDevices,
  countTenantSession,
  createSubjectEntry,
  createTenantEntry,
  distinctDevices,
  findPendingSlot,
  hasDevice,
  isSubjectEmpty,
  isTenantEmpty,
  type MutableLiveSession,
  type NasBucket,
  type PendingSlot,
  type SubjectEntry,
  sessionsOfTenantInBuckets,
  subjectsOfKind,
  type TenantEntry,
  withItem,
  withoutItem,
} from './table-entries';

export interface InMemorySessionTableOptions {
  /** Lower bounds for tests; production uses the defaults from limits.ts. */
  readonly openSessionsMax?: number;
  readonly pendingSlotsMax?: number;
}

export class InMemorySessionTable implements SessionTable {
  private readonly nasBuckets = new Map<string, NasBucket>();
  private readonly tenants = new Map<string, TenantEntry>();
  private readonly sessionsById = new Map<string, MutableLiveSession>();
  /** Insertion order is expiry order: a refreshed slot is deleted and re-added at the end. */
  private readonly pendingSlots = new Set<PendingSlot>();
  /**
   * No pending slot expires before this (a lower bound). Refreshing a slot leaves a deleted entry at
   * the front of the Set that iteration must skip, so the sweep on every Access-Request starts only
   * once something can actually have expired.
   */
  private earliestPendingExpiryMs = Number.POSITIVE_INFINITY;
  private readonly openSessionsMax: number;
  private readonly pendingSlotsMax: number;

  constructor(options: InMemorySessionTableOptions = {}) {
    this.openSessionsMax = options.openSessionsMax ?? OPEN_SESSIONS_MAX;
    this.pendingSlotsMax = options.pendingSlotsMax ?? PENDING_SLOTS_MAX;
  }

  get size(): number {
    return this.sessionsById.size;
  }

  get pendingSlotCount(): number {
    return this.pendingSlots.size;
  }

  admitDevice(request: AdmitDeviceRequest): AdmitDeviceResult {
    this.expirePendingSlots(request.nowMs);
    const callingStationId = normalizeCallingStationId(request.callingStationId);
    const existing = this.findSubject(request.tenantId, request.subjectKind, request.subjectId);
    if (existing !== undefined && hasDevice(existing, callingStationId)) {
      this.holdSlot(existing, callingStationId, request.nowMs);
      return { admitted: true, isKnownDevice: true };
    }
    const devicesInUse = existing === undefined ? 0 : countDistinctDevices(existing);
    if (devicesInUse >= request.deviceLimit) return refuse('device_limit', devicesInUse);
    if (this.size >= this.openSessionsMax || this.pendingSlots.size >= this.pendingSlotsMax) {
      return refuse('table_full', devicesInUse);
    }
    const subject = existing ?? this.createSubject(request.tenantId, request.subjectKind, request.subjectId);
    this.holdSlot(subject, callingStationId, request.nowMs);
    return { admitted: true, isKnownDevice: false };
  }

  startSession(input: LiveSessionInput): StartSessionResult {
    assertInterimInterval(input.interimIntervalSeconds);
    const callingStationId = normalizeCallingStationId(input.callingStationId);
    const existing = this.nasBuckets.get(input.nasId)?.sessions.get(input.acctSessionId);
    if (existing !== undefined && isSameLogin(existing, input, callingStationId)) {
      refreshFromRetransmit(existing, input);
      return { recorded: true, session: existing, isRetransmit: true };
    }
    // The same Acct-Session-Id for another login means the NAS reused it: the old session is over.
    if (existing !== undefined) this.removeOpenSession(existing);
    else if (this.size >= this.openSessionsMax) return { recorded: false, reason: 'table_full' };
    if (this.sessionsById.has(input.sessionId)) {
      throw new Error(`session id ${input.sessionId} is already open under another Acct-Session-Id`);
    }
    const session = this.insertSession(input, callingStationId);
    return { recorded: true, session, isRetransmit: false };
  }

  updateSession(nasId: string, acctSessionId: string, update: SessionUpdate): LiveSession | undefined {
    const session = this.nasBuckets.get(nasId)?.sessions.get(acctSessionId);
    if (session === undefined) return undefined;
    session.lastUpdateMs = update.lastUpdateMs;
    session.inputOctets = update.inputOctets;
    session.outputOctets = update.outputOctets;
    if (update.framedIp !== undefined) session.framedIp = update.framedIp;
    return session;
  }

  stopSession(nasId: string, acctSessionId: string): LiveSession | undefined {
    const session = this.nasBuckets.get(nasId)?.sessions.get(acctSessionId);
    if (session !== undefined) this.removeOpenSession(session);
    return session;
  }

  closeSessionsOfNas(nasId: string): LiveSession[] {
    const sessions = this.sessionsOfNas(nasId);
    for (const session of sessions) this.removeOpenSession(session as MutableLiveSession);
    return sessions;
  }

  findStaleSessions(nowMs: number, graceMs: number, limit = STALE_SESSIONS_BATCH_MAX): LiveSession[] {
    const stale: LiveSession[] = [];
    for (const session of this.sessionsById.values()) {
      if (stale.length >= limit) break;
      if (isSessionStale(session, nowMs, graceMs)) stale.push(session);
    }
    return stale;
  }

  removeSession(sessionId: string): LiveSession | undefined {
    const session = this.sessionsById.get(sessionId);
    if (session !== undefined) this.removeOpenSession(session);
    return session;
  }

  expirePendingSlots(nowMs: number): number {
    if (nowMs < this.earliestPendingExpiryMs) return 0;
    let expiredCount = 0;
    for (const slot of this.pendingSlots) {
      if (slot.expiresAtMs > nowMs) {
        this.earliestPendingExpiryMs = slot.expiresAtMs;
        return expiredCount;
      }
      this.releaseSlot(slot);
      expiredCount++;
    }
    this.earliestPendingExpiryMs = Number.POSITIVE_INFINITY;
    return expiredCount;
  }

  private addPendingSlot(slot: PendingSlot): void {
    this.pendingSlots.add(slot);
    if (slot.expiresAtMs < this.earliestPendingExpiryMs) this.earliestPendingExpiryMs = slot.expiresAtMs;
  }

  sessionsOfTenant(tenantId: string, page: SessionPageRequest): SessionPage {
    const tenant = this.tenants.get(tenantId);
    if (tenant === undefined) return { sessions: [], hasMore: false };
    return selectSessionPage(sessionsOfTenantInBuckets(tenant), page.limit, page.afterSessionId);
  }

  sessionsOfNas(nasId: string): LiveSession[] {
    const bucket = this.nasBuckets.get(nasId);
    return bucket === undefined ? [] : [...bucket.sessions.values()];
  }

  sessionsOfSubject(tenantId: string, subjectKind: SubjectKind, subjectId: string): LiveSession[] {
    return [...(this.findSubject(tenantId, subjectKind, subjectId)?.sessions ?? [])];
  }

  devicesOfSubject(tenantId: string, subjectKind: SubjectKind, subjectId: string): string[] {
    const subject = this.findSubject(tenantId, subjectKind, subjectId);
    return subject === undefined ? [] : distinctDevices(subject);
  }

  findBySessionId(sessionId: string): LiveSession | undefined {
    return this.sessionsById.get(sessionId);
  }

  countsByTenant(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const tenant of this.tenants.values()) {
      if (tenant.sessionCount > 0) counts.set(tenant.tenantId, tenant.sessionCount);
    }
    return counts;
  }

  private findSubject(
    tenantId: string,
    subjectKind: SubjectKind,
    subjectId: string,
  ): SubjectEntry | undefined {
    const tenant = this.tenants.get(tenantId);
    return tenant === undefined ? undefined : subjectsOfKind(tenant, subjectKind).get(subjectId);
  }

  private createSubject(tenantId: string, subjectKind: SubjectKind, subjectId: string): SubjectEntry {
    const tenant = this.findOrCreateTenant(tenantId);
    const subject = createSubjectEntry(tenant, subjectKind, subjectId);
    subjectsOfKind(tenant, subjectKind).set(subjectId, subject);
    return subject;
  }

  private findOrCreateTenant(tenantId: string): TenantEntry {
    let tenant = this.tenants.get(tenantId);
    if (tenant === undefined) {
      tenant = createTenantEntry(tenantId);
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  private findOrCreateNasBucket(nasId: string): NasBucket {
    let bucket = this.nasBuckets.get(nasId);
    if (bucket === undefined) {
      bucket = { nasId, sessions: new Map() };
      this.nasBuckets.set(nasId, bucket);
    }
    return bucket;
  }

  /** Refreshes the device's slot, or reserves one; a known device without room simply gets no slot. */
  private holdSlot(subject: SubjectEntry, callingStationId: string, nowMs: number): void {
    const existing = findPendingSlot(subject, callingStationId);
    if (existing !== undefined) {
      this.pendingSlots.delete(existing);
      existing.expiresAtMs = nowMs + PENDING_SLOT_TIMEOUT_MS;
      this.addPendingSlot(existing);
      return;
    }
    if (this.pendingSlots.size >= this.pendingSlotsMax) return;
    const slot: PendingSlot = { subject, callingStationId, expiresAtMs: nowMs + PENDING_SLOT_TIMEOUT_MS };
    subject.pendingSlots = withItem(subject.pendingSlots, slot);
    this.addPendingSlot(slot);
  }

  private releaseSlot(slot: PendingSlot): void {
    this.pendingSlots.delete(slot);
    slot.subject.pendingSlots = withoutItem(slot.subject.pendingSlots, slot);
    this.dropSubjectIfEmpty(slot.subject);
  }

  private insertSession(input: LiveSessionInput, callingStationId: string): MutableLiveSession {
    const subject =
      this.findSubject(input.tenantId, input.subjectKind, input.subjectId) ??
      this.createSubject(input.tenantId, input.subjectKind, input.subjectId);
    const bucket = this.findOrCreateNasBucket(input.nasId);
    const slot = findPendingSlot(subject, callingStationId);
    // Shared strings: one tenant, NAS, subject and MAC string serve all the sessions that name them.
    const session = createLiveSession(
      input,
      subject,
      bucket.nasId,
      slot?.callingStationId ?? callingStationId,
    );
    bucket.sessions.set(session.acctSessionId, session);
    this.sessionsById.set(session.sessionId, session);
    subject.sessions = withItem(subject.sessions, session);
    countTenantSession(subject.tenant, bucket, 1);
    if (slot !== undefined) this.releaseSlot(slot);
    return session;
  }

  private removeOpenSession(session: MutableLiveSession): void {
    const bucket = this.nasBuckets.get(session.nasId);
    const tenant = this.tenants.get(session.tenantId);
    const subject = this.findSubject(session.tenantId, session.subjectKind, session.subjectId);
    if (bucket === undefined || tenant === undefined || subject === undefined) {
      throw new Error(`session ${session.sessionId} is missing from the table's indexes`);
    }
    bucket.sessions.delete(session.acctSessionId);
    if (bucket.sessions.size === 0) this.nasBuckets.delete(bucket.nasId);
    this.sessionsById.delete(session.sessionId);
    subject.sessions = withoutItem(subject.sessions, session);
    countTenantSession(tenant, bucket, -1);
    this.dropSubjectIfEmpty(subject);
  }

  private dropSubjectIfEmpty(subject: SubjectEntry): void {
    if (!isSubjectEmpty(subject)) return;
    const tenant = subject.tenant;
    subjectsOfKind(tenant, subject.subjectKind).delete(subject.subjectId);
    if (isTenantEmpty(tenant)) this.tenants.delete(tenant.tenantId);
  }
}

function refuse(reason: AdmitRefusalReason, devicesInUse: number): AdmitDeviceResult {
  return { admitted: false, reason, devicesInUse };
}
