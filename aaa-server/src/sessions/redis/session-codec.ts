// Turning a session into script arguments and script replies back into sessions.
import { normalizeCallingStationId } from '../calling-station-id';
import { assertInterimInterval } from '../session-records';
import type { LiveSession, LiveSessionInput, SubjectKind } from '../session-table';
import { SESSION_FIELDS } from './lua-prelude';
import { assertSessionId, nasKey, sessionKey, subjectKeys, tenantKey, tenantPrefix } from './redis-keys';

const FIELD_COUNT = SESSION_FIELDS.length;
/** A session stores no Framed-IP as the empty string: no real address is empty. */
const NO_FRAMED_IP = '';

/** The SESSION_FIELDS values of a session, as the decimal strings Redis stores. */
export function sessionArguments(session: LiveSessionInput, callingStationId: string): string[] {
  return [
    session.sessionId,
    session.nasId,
    session.acctSessionId,
    session.username,
    session.subjectKind,
    session.subjectId,
    callingStationId,
    session.framedIp ?? NO_FRAMED_IP,
    decimal(session.startedAtMs),
    decimal(session.lastUpdateMs),
    decimal(session.interimIntervalSeconds),
    decimal(session.inputOctets),
    decimal(session.outputOctets),
  ];
}

export function framedIpArgument(framedIp: string | null): string {
  return framedIp ?? NO_FRAMED_IP;
}

/** Integers only, written out in full: String() would switch to exponent notation past 1e21. */
export function decimal(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${value} is not a count the table can store`);
  return value.toString();
}

/** One session from FIELD_COUNT reply values starting at `offset`. */
export function sessionFromReply(tenantId: string, values: readonly unknown[], offset = 0): LiveSession {
  const text = (index: number): string => {
    const value = values[offset + index];
    if (typeof value !== 'string')
      throw new Error(`session table reply field ${SESSION_FIELDS[index]} is missing`);
    return value;
  };
  const number = (index: number): number => {
    const value = Number(text(index));
    if (!Number.isFinite(value))
      throw new Error(`session table reply field ${SESSION_FIELDS[index]} is not a number`);
    return value;
  };
  const framedIp = text(7);
  return {
    sessionId: text(0),
    tenantId,
    nasId: text(1),
    acctSessionId: text(2),
    username: text(3),
    subjectKind: text(4) as SubjectKind,
    subjectId: text(5),
    callingStationId: text(6),
    framedIp: framedIp === NO_FRAMED_IP ? null : framedIp,
    startedAtMs: number(8),
    lastUpdateMs: number(9),
    interimIntervalSeconds: number(10),
    inputOctets: number(11),
    outputOctets: number(12),
  };
}

/** A session, or undefined for a nil reply. */
export function optionalSessionFromReply(tenantId: string, reply: unknown): LiveSession | undefined {
  return reply === null ? undefined : sessionFromReply(tenantId, asArray(reply));
}

/** Sessions laid end to end in a reply, starting at `offset`. */
export function sessionsFromReply(tenantId: string, reply: unknown, offset = 0): LiveSession[] {
  const values = asArray(reply);
  const sessions: LiveSession[] = [];
  for (let index = offset; index < values.length; index += FIELD_COUNT) {
    sessions.push(sessionFromReply(tenantId, values, index));
  }
  return sessions;
}

export function asArray(reply: unknown): readonly unknown[] {
  if (!Array.isArray(reply)) throw new Error(`session table script answered ${typeof reply}, not a list`);
  return reply;
}

export interface ScriptCall {
  readonly keys: string[];
  readonly args: string[];
}

/** The START_SESSION call for a session, live (`isRestore` false) or loaded by a rebuild. */
export function startSessionCall(
  session: LiveSessionInput,
  options: { readonly isRestore: boolean; readonly openSessionsMax: number },
): ScriptCall {
  assertInterimInterval(session.interimIntervalSeconds);
  assertSessionId(session.sessionId);
  const { tenantId } = session;
  const subject = subjectKeys(session);
  return {
    keys: [
      sessionKey(tenantId, session.nasId, session.acctSessionId),
      tenantKey(tenantId, 'listing'),
      tenantKey(tenantId, 'stale'),
      nasKey(tenantId, session.nasId),
      subject.sessions,
      subject.pending,
      tenantKey(tenantId, 'pending'),
      tenantKey(tenantId, 'ready'),
    ],
    args: [
      tenantPrefix(tenantId),
      options.isRestore ? '1' : '0',
      decimal(options.openSessionsMax),
      ...sessionArguments(session, normalizeCallingStationId(session.callingStationId)),
    ],
  };
}
