// Sessions of one ISP: live ones asked of the AAA server (deps.aaa), closed ones read from the tenant's database.
import {
  type AaaControl,
  type CoaOutcome,
  columnsOf,
  KiungaError,
  type LiveSessionView,
  type SessionFilter,
  type SessionOutput,
  type SqlDatabase,
  tenantSchema,
} from '@kiunga/schemas';
import type { Auditor } from '../../kernel/audit';
import {
  afterCursor,
  createdPageOf,
  equals,
  newestFirst,
  type PageRequest,
  type SortColumns,
  whereAll,
} from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import { decodeCursor, encodeCursor } from '../../kernel/pagination';

const { sessions } = tenantSchema;

/** Page size asked of the AAA server while filtering live sessions. */
const LIVE_SCAN_PAGE = 500;
/** Live sessions looked at per request at most: 100,000 covers the largest ISP on one node. */
const LIVE_SCAN_MAX = 100_000;

export function toLiveSessionOutput(session: LiveSessionView, nowMs: number): SessionOutput {
  return {
    id: session.sessionId,
    nasId: session.nasId,
    acctSessionId: session.acctSessionId,
    username: session.username,
    subjectKind: session.subjectKind,
    subjectId: session.subjectId,
    callingStationId: session.callingStationId,
    framedIp: session.framedIp,
    status: 'open',
    startedAt: session.startedAtMs,
    updatedAt: session.lastUpdateMs,
    stoppedAt: null,
    uptimeSeconds: Math.max(0, Math.floor((nowMs - session.startedAtMs) / 1000)),
    inputOctets: session.inputOctets,
    outputOctets: session.outputOctets,
    terminateCause: null,
  };
}

function matchesFilter(session: LiveSessionView, filter: SessionFilter): boolean {
  if (filter.nasId && session.nasId !== filter.nasId) return false;
  if (
    filter.subscriberId &&
    !(session.subjectKind === 'subscriber' && session.subjectId === filter.subscriberId)
  )
    return false;
  if (filter.voucherId && !(session.subjectKind === 'voucher' && session.subjectId === filter.voucherId))
    return false;
  return true;
}

/** Live sessions matching the filter, in the AAA server's order, one page at a time. */
export async function listLiveSessions(
  aaa: AaaControl,
  tenantId: string,
  filter: SessionFilter,
  page: PageRequest,
  nowMs: number,
): Promise<Page<SessionOutput>> {
  const found: LiveSessionView[] = [];
  let afterSessionId = decodeCursor(page.cursor) ?? undefined;
  for (let scanned = 0; scanned < LIVE_SCAN_MAX && found.length <= page.limit; ) {
    const batch = await aaa.listSessions(tenantId, { limit: LIVE_SCAN_PAGE, afterSessionId });
    for (const session of batch) {
      if (matchesFilter(session, filter)) found.push(session);
      if (found.length > page.limit) break;
    }
    scanned += batch.length;
    const last = batch[batch.length - 1];
    if (batch.length < LIVE_SCAN_PAGE || !last) break;
    afterSessionId = last.sessionId;
  }
  const hasMore = found.length > page.limit;
  const items = found.slice(0, page.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((session) => toLiveSessionOutput(session, nowMs)),
    nextCursor: hasMore && last ? encodeCursor(last.sessionId) : null,
  };
}

export interface LiveSessionsSnapshot {
  /** The first page, as GET /api/v1/sessions lists it. */
  items: SessionOutput[];
  /** Every live session of the ISP (up to LIVE_SCAN_MAX). */
  total: number;
}

/** Every live session of an ISP (up to LIVE_SCAN_MAX), page by page from the AAA server's table. */
export async function allLiveSessions(aaa: AaaControl, tenantId: string): Promise<LiveSessionView[]> {
  const found: LiveSessionView[] = [];
  let afterSessionId: string | undefined;
  while (found.length < LIVE_SCAN_MAX) {
    const batch = await aaa.listSessions(tenantId, { limit: LIVE_SCAN_PAGE, afterSessionId });
    found.push(...batch);
    const last = batch[batch.length - 1];
    if (batch.length < LIVE_SCAN_PAGE || !last) break;
    afterSessionId = last.sessionId;
  }
  return found;
}

/** The first page of these live sessions, as GET /api/v1/sessions lists it, and how many there are. */
export function liveSessionsSnapshotOf(
  everyone: readonly LiveSessionView[],
  limit: number,
  nowMs: number,
): LiveSessionsSnapshot {
  return {
    items: everyone.slice(0, limit).map((session) => toLiveSessionOutput(session, nowMs)),
    total: everyone.length,
  };
}

/** Every live session of one voucher or subscriber (for suspend, revoke, plan change). */
export async function liveSessionsOfSubject(
  aaa: AaaControl,
  tenantId: string,
  subjectKind: 'voucher' | 'subscriber',
  subjectIds: ReadonlySet<string>,
): Promise<LiveSessionView[]> {
  const found: LiveSessionView[] = [];
  let afterSessionId: string | undefined;
  for (let scanned = 0; scanned < LIVE_SCAN_MAX; ) {
    const batch = await aaa.listSessions(tenantId, { limit: LIVE_SCAN_PAGE, afterSessionId });
    for (const session of batch) {
      if (session.subjectKind === subjectKind && subjectIds.has(session.subjectId)) found.push(session);
    }
    scanned += batch.length;
    const last = batch[batch.length - 1];
    if (batch.length < LIVE_SCAN_PAGE || !last) break;
    afterSessionId = last.sessionId;
  }
  return found;
}

export interface CoaReport {
  sessions: number;
  acknowledged: number;
}

/** Where a change to a plan or subscriber reaches beyond the tenant's database: live sessions, the audit log. */
export interface SessionEffects {
  aaa: AaaControl;
  tenantId: string;
  audit: Auditor;
}

/** Best effort: sends to each session, counts the ACKs; a silent NAS does not fail the caller. */
export async function disconnectSubjectSessions(
  aaa: AaaControl,
  tenantId: string,
  subjectKind: 'voucher' | 'subscriber',
  subjectIds: ReadonlySet<string>,
): Promise<CoaReport> {
  const live = await liveSessionsOfSubject(aaa, tenantId, subjectKind, subjectIds);
  const outcomes = await Promise.all(
    live.map((session) => aaa.disconnectSession(tenantId, session.sessionId)),
  );
  return { sessions: live.length, acknowledged: outcomes.filter((item) => item.outcome === 'ack').length };
}

export async function changeSubjectRate(
  aaa: AaaControl,
  tenantId: string,
  subjectIds: ReadonlySet<string>,
  rateLimit: string,
): Promise<CoaReport> {
  if (subjectIds.size === 0) return { sessions: 0, acknowledged: 0 };
  const live = await liveSessionsOfSubject(aaa, tenantId, 'subscriber', subjectIds);
  const outcomes = await Promise.all(
    live.map((session) => aaa.changeSessionRate(tenantId, session.sessionId, rateLimit)),
  );
  return { sessions: live.length, acknowledged: outcomes.filter((item) => item.outcome === 'ack').length };
}

/** RADIUS Session-Timeout is a 32-bit count of seconds (RFC 2865 §5.27); keep well inside it (10 years). */
const SESSION_TIMEOUT_SECONDS_MAX = 10 * 366 * 86_400;

/**
 * Tells each live session of these subscribers its new Session-Timeout: the seconds left until the
 * subscriber's paid-through date (`expiries`), so a payment that moved that date is not cut at the old one.
 */
export async function extendSubscriberSessions(
  aaa: AaaControl,
  tenantId: string,
  expiries: ReadonlyMap<string, number>,
  nowMs: number,
): Promise<CoaReport> {
  if (expiries.size === 0) return { sessions: 0, acknowledged: 0 };
  const live = await liveSessionsOfSubject(aaa, tenantId, 'subscriber', new Set(expiries.keys()));
  const outcomes = await Promise.all(
    live.map((session) => {
      const secondsLeft = Math.ceil(((expiries.get(session.subjectId) ?? nowMs) - nowMs) / 1000);
      return aaa.changeSessionTimeout(
        tenantId,
        session.sessionId,
        Math.min(Math.max(secondsLeft, 1), SESSION_TIMEOUT_SECONDS_MAX),
      );
    }),
  );
  return { sessions: live.length, acknowledged: outcomes.filter((item) => item.outcome === 'ack').length };
}

type SessionRow = typeof sessions.$inferSelect;

function toStoredSessionOutput(row: SessionRow): SessionOutput {
  const endMs = row.stoppedAt ?? row.updatedAt;
  return {
    id: row.id,
    nasId: row.nasId,
    acctSessionId: row.acctSessionId,
    username: row.username,
    subjectKind: row.subjectKind as SessionOutput['subjectKind'],
    subjectId: row.subjectId,
    callingStationId: row.callingStationId,
    framedIp: row.framedIp,
    status: row.status as SessionOutput['status'],
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
    stoppedAt: row.stoppedAt,
    uptimeSeconds: row.sessionTimeSeconds || Math.max(0, Math.floor((endMs - row.startedAt) / 1000)),
    inputOctets: row.inputOctets,
    outputOctets: row.outputOctets,
    terminateCause: row.terminateCause,
  };
}

const historyOrder: SortColumns = { createdAt: 'started_at', id: 'id' };

/** Closed sessions, newest start first. */
export async function listSessionHistory(
  database: SqlDatabase,
  filter: SessionFilter,
  page: PageRequest,
): Promise<Page<SessionOutput>> {
  const where = whereAll([
    { sql: `status = 'closed'`, params: [] },
    equals('nas_id', filter.nasId || undefined),
    filter.subscriberId
      ? { sql: `subject_kind = 'subscriber' AND subject_id = ?`, params: [filter.subscriberId] }
      : undefined,
    filter.voucherId
      ? { sql: `subject_kind = 'voucher' AND subject_id = ?`, params: [filter.voucherId] }
      : undefined,
    afterCursor(page.cursor, historyOrder),
  ]);
  const rows = await database.all<SessionRow>(
    `SELECT ${columnsOf(sessions)} FROM sessions${where.sql} ORDER BY ${newestFirst(historyOrder)} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(
    rows.map((row) => ({ ...row, createdAt: row.startedAt })),
    page.limit,
    toStoredSessionOutput,
  );
}

/** A live session, else a stored one; another tenant's id is simply not found. */
export async function getSession(
  aaa: AaaControl,
  tenantId: string,
  database: SqlDatabase,
  sessionId: string,
  nowMs: number,
): Promise<SessionOutput> {
  const live = await aaa.findSession(tenantId, sessionId);
  if (live) return toLiveSessionOutput(live, nowMs);
  const row = await database.get<SessionRow>(`SELECT ${columnsOf(sessions)} FROM sessions WHERE id = ?`, [
    sessionId,
  ]);
  if (!row) throw new KiungaError('not_found', 'No such session.');
  return toStoredSessionOutput(row);
}

export async function disconnectSession(
  aaa: AaaControl,
  tenantId: string,
  sessionId: string,
  audit: Auditor,
): Promise<Exclude<CoaOutcome, { outcome: 'not_found' }>> {
  const outcome = await aaa.disconnectSession(tenantId, sessionId);
  if (outcome.outcome === 'not_found') throw new KiungaError('not_found', 'No such live session.');
  await audit({ action: 'session.disconnect', target: sessionId, detail: outcome });
  return outcome;
}
