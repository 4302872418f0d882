// Where the session table lives in Redis: key names, the tenant hash tag, and how one session is named inside indexes.
import type { SubjectKind, SubjectReference } from '../session-table';

/*
 * Key layout. Every key of a tenant carries the tenant id as a Redis Cluster hash tag (`{…}`), so all of
 * a tenant's keys, and so every subject's, hash to one slot and one script can change them together
 * (Redis Cluster specification, "Hash tags"). P = `kiunga:{<tenantId>}:`.
 *
 *   P ready                                string   the tenant's part of the table holds the database's open sessions
 *   P listing                              zset     every open session, score 0, member = entry (ordered by session id)
 *   P stale                                zset     every open session, member = entry, score = lastUpdateMs + 2 × interim interval
 *   P pending                              zset     every pending slot, member = `<kind>:<subjectId>\n<device>`, score = expiry
 *   P nas:<nasId>                          set      entries of the NAS's open sessions
 *   P session:<nasId>:<acctSessionId>      hash     one open session (SESSION_FIELDS)
 *   P subject:<kind>:<subjectId>:sessions  hash     entry → device, the subject's open sessions
 *   P subject:<kind>:<subjectId>:pending   zset     device → expiry, the subject's pending slots
 *
 * An entry is `<sessionId>\n<nasId>:<acctSessionId>`: it names a session both by its id (for the
 * listing and the control API) and by its NAS key. Session ids and NAS ids are our own
 * (`ses_…`, `nas_…`, base64url), so the first newline and the first colon split an entry even when a
 * NAS puts either character in its Acct-Session-Id.
 *
 * Cluster-wide keys, never touched by a tenant's script; they share one hash tag so that finishing a
 * rebuild (marker set only while the lock is still held) is one script:
 *   kiunga:{session-table}:ready           the table as a whole holds the database's open sessions
 *   kiunga:{session-table}:tenants         set of tenant ids with something in the table (for sweeps)
 *   kiunga:{session-table}:rebuild-lock    held by the one node rebuilding the table
 */
const CLUSTER_WIDE_TAG = 'session-table';
export const TABLE_MARKER_KEY = 'kiunga:{session-table}:ready';
export const TENANT_REGISTRY_KEY = 'kiunga:{session-table}:tenants';
export const REBUILD_LOCK_KEY = 'kiunga:{session-table}:rebuild-lock';

/** Suffixes after the tenant prefix; the Lua prelude is built from the same names. */
export const KEY_PARTS = {
  ready: 'ready',
  listing: 'listing',
  stale: 'stale',
  pending: 'pending',
  nas: 'nas:',
  nasClosing: 'nas-closing:',
  session: 'session:',
  subject: 'subject:',
  subjectSessions: ':sessions',
  subjectPending: ':pending',
} as const;

export const ENTRY_SEPARATOR = '\n';

// Ids become parts of key names and entries: characters that would move a hash tag or split an entry are a bug upstream.
const TENANT_ID_FORBIDDEN = /[{}\n]/;
const NAS_ID_FORBIDDEN = /[:{}\n]/;
const SUBJECT_ID_FORBIDDEN = /[:{}\n]/;

export function tenantPrefix(tenantId: string): string {
  if (tenantId === '' || tenantId === CLUSTER_WIDE_TAG || TENANT_ID_FORBIDDEN.test(tenantId)) {
    throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot name Redis keys`);
  }
  return `kiunga:{${tenantId}}:`;
}

export function tenantKey(tenantId: string, part: 'ready' | 'listing' | 'stale' | 'pending'): string {
  return tenantPrefix(tenantId) + KEY_PARTS[part];
}

export function nasKey(tenantId: string, nasId: string): string {
  assertNasId(nasId);
  return tenantPrefix(tenantId) + KEY_PARTS.nas + nasId;
}

export function nasClosingKey(tenantId: string, nasId: string, token: string): string {
  assertNasId(nasId);
  return `${tenantPrefix(tenantId)}${KEY_PARTS.nasClosing}${nasId}:${token}`;
}

export function sessionKey(tenantId: string, nasId: string, acctSessionId: string): string {
  assertNasId(nasId);
  return `${tenantPrefix(tenantId)}${KEY_PARTS.session}${nasId}:${acctSessionId}`;
}

/** `<kind>:<subjectId>`, the subject's name inside the tenant's pending index. */
export function subjectReference(subjectKind: SubjectKind, subjectId: string): string {
  if (subjectId === '' || SUBJECT_ID_FORBIDDEN.test(subjectId)) {
    throw new Error(`subject id ${JSON.stringify(subjectId)} cannot name Redis keys`);
  }
  return `${subjectKind}:${subjectId}`;
}

export function subjectKeys(subject: SubjectReference): { sessions: string; pending: string } {
  const base =
    tenantPrefix(subject.tenantId) +
    KEY_PARTS.subject +
    subjectReference(subject.subjectKind, subject.subjectId);
  return { sessions: base + KEY_PARTS.subjectSessions, pending: base + KEY_PARTS.subjectPending };
}

/**
 * Session ids bound lexical ranges of the listing (`<id>\n` to `<id>\x0b`), so they hold printable
 * ASCII only; ours are `ses_` + base64url.
 */
const SESSION_ID_PATTERN = /^[!-~]+$/;

export function assertSessionId(sessionId: string): void {
  if (!SESSION_ID_PATTERN.test(sessionId)) {
    throw new Error(`session id ${JSON.stringify(sessionId)} cannot be listed in Redis`);
  }
}

function assertNasId(nasId: string): void {
  if (nasId === '' || NAS_ID_FORBIDDEN.test(nasId)) {
    throw new Error(`NAS id ${JSON.stringify(nasId)} cannot name Redis keys`);
  }
}
