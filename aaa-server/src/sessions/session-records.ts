// Building and refreshing one session record: the fixed shape every open session shares.
import type { LiveSession, LiveSessionInput } from './session-table';
import type { MutableLiveSession, SubjectEntry } from './table-entries';

export function assertInterimInterval(interimIntervalSeconds: number): void {
  // Accept always sends Acct-Interim-Interval; without one a session could never be judged stale.
  if (!(interimIntervalSeconds > 0)) {
    throw new Error(`interimIntervalSeconds must be positive, got ${interimIntervalSeconds}`);
  }
}

export function isSameLogin(
  existing: LiveSession,
  input: LiveSessionInput,
  callingStationId: string,
): boolean {
  return (
    existing.sessionId === input.sessionId &&
    existing.tenantId === input.tenantId &&
    existing.subjectKind === input.subjectKind &&
    existing.subjectId === input.subjectId &&
    existing.callingStationId === callingStationId
  );
}

/** A retransmitted Start may arrive after an interim update: never move counters or time backwards. */
export function refreshFromRetransmit(session: MutableLiveSession, input: LiveSessionInput): void {
  session.lastUpdateMs = Math.max(session.lastUpdateMs, input.lastUpdateMs);
  session.inputOctets = Math.max(session.inputOctets, input.inputOctets);
  session.outputOctets = Math.max(session.outputOctets, input.outputOctets);
  session.interimIntervalSeconds = input.interimIntervalSeconds;
  if (input.framedIp !== null) session.framedIp = input.framedIp;
}

/** One object literal, so every session shares one hidden class and one fixed set of fields. */
export function createLiveSession(
  input: LiveSessionInput,
  subject: SubjectEntry,
  nasId: string,
  callingStationId: string,
): MutableLiveSession {
  return {
    sessionId: input.sessionId,
    tenantId: subject.tenant.tenantId,
    nasId,
    acctSessionId: input.acctSessionId,
    username: input.username,
    subjectKind: subject.subjectKind,
    subjectId: subject.subjectId,
    callingStationId,
    framedIp: input.framedIp,
    startedAtMs: input.startedAtMs,
    lastUpdateMs: input.lastUpdateMs,
    interimIntervalSeconds: input.interimIntervalSeconds,
    inputOctets: input.inputOctets,
    outputOctets: input.outputOctets,
  };
}
