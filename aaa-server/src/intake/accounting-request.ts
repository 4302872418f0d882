// Accounting-Request: store the record durably first, then apply it to the session table, then answer.
import { isGuestPassUsername } from '@kiunga/control-api/features/guest-passes';
import { Attribute } from '@kiunga/dictionaries';
import type { SessionSubjectKind } from '@kiunga/schemas';
import { userNameWithoutDomain } from '../auth/index';
import {
  findAttribute,
  getInteger,
  getIpAddress,
  getString,
  type RadiusPacket,
  readInteger,
} from '../codec/index';
import { normalizeCallingStationId } from '../sessions/index';
import { type AccountingRecord, AcctStatus, type NasEntry, type TenantAuthData } from '../store/index';
import type { IntakeContext } from './context';
import { cachedSubject, findGuestPassId, findSubject, type Subject, subjectFromClass } from './subject';

const GIGAWORD = 2 ** 32;

/** What to do with the Accounting-Request: answer it (its record is committed), or drop it. */
export type AccountingAnswer = { kind: 'answer' } | { kind: 'drop'; reason: string };
export type AccountingAnswered = (error: unknown, answer: AccountingAnswer | null) => void;

function octets(packet: RadiusPacket, lowType: number, highType: number): number {
  const low = readInteger(findAttribute(packet, lowType)) ?? 0;
  const high = readInteger(findAttribute(packet, highType)) ?? 0;
  return high * GIGAWORD + low;
}

/** Whom a session record is about and the interim interval: from the cache, or read (then a promise). */
interface RecordFacts {
  subject: { kind: SessionSubjectKind; id: string } | null;
  interimIntervalSeconds: number;
}

/** The record to store, synchronously when the cache knows what it needs; a promise when it reads. */
export function readAccountingRecord(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
): AccountingRecord | { invalid: string } | Promise<AccountingRecord> {
  const statusType = getInteger(packet, Attribute.AcctStatusType);
  if (statusType === undefined) return { invalid: 'missing_status_type' };
  const acctSessionId = getString(packet, Attribute.AcctSessionId) ?? '';
  const isSessionRecord =
    statusType === AcctStatus.Start ||
    statusType === AcctStatus.Stop ||
    statusType === AcctStatus.InterimUpdate;
  if (isSessionRecord && acctSessionId.length === 0) return { invalid: 'missing_session_id' };
  const username = getString(packet, Attribute.UserName) ?? '';
  const nowMs = context.clock.now();
  const tenant = context.auth.recent(nas.tenantId, nowMs);
  const facts =
    tenant instanceof Promise
      ? undefined
      : cachedRecordFacts(tenant, packet, username, isSessionRecord, nowMs);
  if (facts !== undefined) return recordOf(packet, nas, statusType, acctSessionId, username, facts, nowMs);
  return readRecordFacts(context, nas, packet, username, isSessionRecord, tenant, nowMs).then((read) =>
    recordOf(packet, nas, statusType, acctSessionId, username, read, nowMs),
  );
}

function subjectIdentity(subject: Subject | null | undefined): RecordFacts['subject'] {
  if (!subject) return null;
  return subject.kind === 'voucher'
    ? { kind: 'voucher', id: subject.voucher.id }
    : { kind: 'subscriber', id: subject.subscriber.id };
}

function cachedRecordFacts(
  tenant: TenantAuthData<Subject>,
  packet: RadiusPacket,
  username: string,
  isSessionRecord: boolean,
  nowMs: number,
): RecordFacts | undefined {
  const settings = tenant.cachedSettings(nowMs);
  if (settings === undefined) return undefined;
  const interimIntervalSeconds = settings.interimIntervalSeconds;
  if (!isSessionRecord) return { subject: null, interimIntervalSeconds };
  const fromClass = subjectFromClass(packet);
  if (fromClass) return { subject: fromClass, interimIntervalSeconds };
  const accountName = userNameWithoutDomain(username);
  const cached = cachedSubject(tenant, packet, accountName);
  // A guest pass is read from its table (readRecordFacts) when the NAS did not echo its Class.
  if (cached === undefined || (cached === null && isGuestPassUsername(accountName))) return undefined;
  return { subject: subjectIdentity(cached), interimIntervalSeconds };
}

async function readRecordFacts(
  context: IntakeContext,
  nas: NasEntry,
  packet: RadiusPacket,
  username: string,
  isSessionRecord: boolean,
  current: TenantAuthData<Subject> | Promise<TenantAuthData<Subject>>,
  nowMs: number,
): Promise<RecordFacts> {
  const tenant = await current;
  const database = context.auth.databaseOf(nas.tenantId);
  const { interimIntervalSeconds } = await tenant.settingsOf(database, nowMs);
  if (!isSessionRecord) return { subject: null, interimIntervalSeconds };
  const fromClass = subjectFromClass(packet);
  if (fromClass) return { subject: fromClass, interimIntervalSeconds };
  const accountName = userNameWithoutDomain(username);
  const found = await findSubject(tenant, database, packet, accountName);
  if (found === undefined && isGuestPassUsername(accountName)) {
    const guestPassId = await findGuestPassId(database, accountName);
    if (guestPassId !== undefined)
      return { subject: { kind: 'guest_pass', id: guestPassId }, interimIntervalSeconds };
  }
  return { subject: subjectIdentity(found), interimIntervalSeconds };
}

function recordOf(
  packet: RadiusPacket,
  nas: NasEntry,
  statusType: number,
  acctSessionId: string,
  username: string,
  facts: RecordFacts,
  nowMs: number,
): AccountingRecord {
  const delaySeconds = getInteger(packet, Attribute.AcctDelayTime) ?? 0;
  return {
    tenantId: nas.tenantId,
    nasId: nas.id,
    statusType,
    // Acct-Delay-Time says how long the NAS held the record; the event happened that much earlier.
    receivedAtMs: nowMs - delaySeconds * 1000,
    acctSessionId,
    username,
    subjectKind: facts.subject?.kind ?? null,
    subjectId: facts.subject?.id ?? null,
    callingStationId: normalizeCallingStationId(getString(packet, Attribute.CallingStationId) ?? ''),
    framedIp: getIpAddress(packet, Attribute.FramedIpAddress) ?? null,
    nasPortId: getString(packet, Attribute.NasPortId) ?? null,
    inputOctets: octets(packet, Attribute.AcctInputOctets, Attribute.AcctInputGigawords),
    outputOctets: octets(packet, Attribute.AcctOutputOctets, Attribute.AcctOutputGigawords),
    inputPackets: getInteger(packet, Attribute.AcctInputPackets) ?? 0,
    outputPackets: getInteger(packet, Attribute.AcctOutputPackets) ?? 0,
    sessionTimeSeconds: getInteger(packet, Attribute.AcctSessionTime) ?? null,
    terminateCause: getInteger(packet, Attribute.AcctTerminateCause) ?? null,
    interimIntervalSeconds: facts.interimIntervalSeconds,
  };
}

/** Stores the record (grouped with others into one commit), then updates the session table, then answers. */
export function handleAccountingRequest(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
  answered: AccountingAnswered,
): void {
  const record = readAccountingRecord(context, packet, nas);
  if (record instanceof Promise) {
    record
      .then((read) => submitRecord(context, read, answered))
      .catch((error: unknown) => answered(error, null));
    return;
  }
  if ('invalid' in record) {
    answered(null, { kind: 'drop', reason: record.invalid });
    return;
  }
  submitRecord(context, record, answered);
}

function submitRecord(context: IntakeContext, record: AccountingRecord, answered: AccountingAnswered): void {
  const isQueued = context.writer.submit(record, (error, outcome) => {
    if (error !== null || outcome === null) {
      answered(error, null);
      return;
    }
    context.metrics.countAccountingRecord(record.tenantId, statusName(record.statusType));
    // The record is committed: it is answered even when the table could not take it (the table heals
    // from the next interim update, or is rebuilt from the database's open sessions).
    applyToSessionTable(context, record, outcome.sessionId).then(
      () => answered(null, ANSWER),
      (tableError: unknown) => {
        context.logger.warn({ err: tableError, nasId: record.nasId }, 'session table update failed');
        answered(null, ANSWER);
      },
    );
  });
  if (!isQueued) answered(null, QUEUE_FULL);
}

const ANSWER: AccountingAnswer = { kind: 'answer' };
const QUEUE_FULL: AccountingAnswer = { kind: 'drop', reason: 'accounting_queue_full' };

async function applyToSessionTable(
  context: IntakeContext,
  record: AccountingRecord,
  sessionId: string | null,
): Promise<void> {
  const table = context.sessions;
  const key = { tenantId: record.tenantId, nasId: record.nasId, acctSessionId: record.acctSessionId };
  if (record.statusType === AcctStatus.AccountingOn || record.statusType === AcctStatus.AccountingOff) {
    await table.closeSessionsOfNas(record.tenantId, record.nasId);
    return;
  }
  if (record.statusType === AcctStatus.Stop) {
    await table.applySessionStop(key);
    return;
  }
  if (sessionId === null || record.subjectKind === null || record.subjectId === null) return;
  const nowMs = context.clock.now();
  if (record.statusType === AcctStatus.InterimUpdate) {
    const isKnown = await table.applySessionUpdate(key, {
      lastUpdateMs: nowMs,
      inputOctets: record.inputOctets,
      outputOctets: record.outputOctets,
      framedIp: record.framedIp,
    });
    if (isKnown) return;
  }
  // A Start, or an interim for a session we had not seen (restart, lost Start): record it.
  await table.startSession({
    sessionId,
    tenantId: record.tenantId,
    nasId: record.nasId,
    acctSessionId: record.acctSessionId,
    username: record.username,
    subjectKind: record.subjectKind,
    subjectId: record.subjectId,
    callingStationId: record.callingStationId,
    framedIp: record.framedIp,
    startedAtMs: nowMs - (record.sessionTimeSeconds ?? 0) * 1000,
    lastUpdateMs: nowMs,
    interimIntervalSeconds: record.interimIntervalSeconds,
    inputOctets: record.inputOctets,
    outputOctets: record.outputOctets,
  });
}

const statusNames: Record<number, string> = {
  [AcctStatus.Start]: 'start',
  [AcctStatus.Stop]: 'stop',
  [AcctStatus.InterimUpdate]: 'interim',
  [AcctStatus.AccountingOn]: 'accounting_on',
  [AcctStatus.AccountingOff]: 'accounting_off',
};

function statusName(statusType: number): string {
  return statusNames[statusType] ?? 'other';
}
