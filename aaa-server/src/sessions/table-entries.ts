// The in-memory table's index records, shaped to stay small when a million sessions are open.
import type { LiveSession, SubjectKind } from './session-table';

/** The table's own copy of a session; only the table changes it, callers see `LiveSession`. */
export type MutableLiveSession = { -readonly [Field in keyof LiveSession]: LiveSession[Field] };

/** A place reserved for a device between Access-Accept and Accounting-Start. */
export interface PendingSlot {
  readonly subject: SubjectEntry;
  readonly callingStationId: string;
  expiresAtMs: number;
}

/**
 * One voucher or subscriber with something open. Sessions and slots are exact-length arrays replaced
 * on change: a subject holds one or two devices, and a pushed-to array would reserve room for 17.
 */
export interface SubjectEntry {
  readonly tenant: TenantEntry;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  sessions: readonly MutableLiveSession[];
  pendingSlots: readonly PendingSlot[];
}

export interface TenantEntry {
  readonly tenantId: string;
  sessionCount: number;
  /** The NAS holding this tenant's sessions and how many each holds: the tenant's listing scans only these. */
  readonly sessionCountsByNas: Map<NasBucket, number>;
  readonly vouchers: Map<string, SubjectEntry>;
  readonly subscribers: Map<string, SubjectEntry>;
  readonly guestPasses: Map<string, SubjectEntry>;
}

/** Sessions of one NAS keyed by Acct-Session-Id: no composite key string per session. */
export interface NasBucket {
  readonly nasId: string;
  readonly sessions: Map<string, MutableLiveSession>;
}

const EMPTY: readonly never[] = Object.freeze([]);

export function createSubjectEntry(
  tenant: TenantEntry,
  subjectKind: SubjectKind,
  subjectId: string,
): SubjectEntry {
  return { tenant, subjectKind, subjectId, sessions: EMPTY, pendingSlots: EMPTY };
}

export function createTenantEntry(tenantId: string): TenantEntry {
  return {
    tenantId,
    sessionCount: 0,
    sessionCountsByNas: new Map(),
    vouchers: new Map(),
    subscribers: new Map(),
    guestPasses: new Map(),
  };
}

export function subjectsOfKind(tenant: TenantEntry, subjectKind: SubjectKind): Map<string, SubjectEntry> {
  if (subjectKind === 'guest_pass') return tenant.guestPasses;
  return subjectKind === 'voucher' ? tenant.vouchers : tenant.subscribers;
}

export function isSubjectEmpty(subject: SubjectEntry): boolean {
  return subject.sessions.length === 0 && subject.pendingSlots.length === 0;
}

export function isTenantEmpty(tenant: TenantEntry): boolean {
  return (
    tenant.sessionCount === 0 &&
    tenant.vouchers.size === 0 &&
    tenant.subscribers.size === 0 &&
    tenant.guestPasses.size === 0
  );
}

export function withItem<Item>(items: readonly Item[], item: Item): readonly Item[] {
  const next = new Array<Item>(items.length + 1);
  for (let index = 0; index < items.length; index++) next[index] = items[index]!;
  next[items.length] = item;
  return next;
}

export function withoutItem<Item>(items: readonly Item[], item: Item): readonly Item[] {
  if (!items.includes(item)) return items;
  if (items.length === 1) return EMPTY;
  const next = new Array<Item>(items.length - 1);
  let nextIndex = 0;
  for (const kept of items) if (kept !== item) next[nextIndex++] = kept;
  return next;
}

// Plain loops on the Access-Request path: a callback would be a closure per call.
export function findPendingSlot(subject: SubjectEntry, callingStationId: string): PendingSlot | undefined {
  const slots = subject.pendingSlots;
  for (let index = 0; index < slots.length; index++) {
    if (slots[index]!.callingStationId === callingStationId) return slots[index];
  }
  return undefined;
}

export function hasDevice(subject: SubjectEntry, callingStationId: string): boolean {
  const sessions = subject.sessions;
  for (let index = 0; index < sessions.length; index++) {
    if (sessions[index]!.callingStationId === callingStationId) return true;
  }
  return findPendingSlot(subject, callingStationId) !== undefined;
}

/** Distinct Calling-Station-Ids over sessions and slots; a subject holds a handful, so pairwise is cheapest. */
export function countDistinctDevices(subject: SubjectEntry): number {
  return distinctDevices(subject).length;
}

export function distinctDevices(subject: SubjectEntry): string[] {
  const devices: string[] = [];
  for (const session of subject.sessions) {
    if (!devices.includes(session.callingStationId)) devices.push(session.callingStationId);
  }
  for (const slot of subject.pendingSlots) {
    if (!devices.includes(slot.callingStationId)) devices.push(slot.callingStationId);
  }
  return devices;
}

export function countTenantSession(tenant: TenantEntry, bucket: NasBucket, change: 1 | -1): void {
  tenant.sessionCount += change;
  const countOnNas = (tenant.sessionCountsByNas.get(bucket) ?? 0) + change;
  if (countOnNas > 0) tenant.sessionCountsByNas.set(bucket, countOnNas);
  else tenant.sessionCountsByNas.delete(bucket);
}

export function* sessionsOfTenantInBuckets(tenant: TenantEntry): Generator<LiveSession> {
  for (const bucket of tenant.sessionCountsByNas.keys()) {
    for (const session of bucket.sessions.values()) {
      if (session.tenantId === tenant.tenantId) yield session;
    }
  }
}
