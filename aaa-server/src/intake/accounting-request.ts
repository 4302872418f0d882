// Accounting-Request: store the record durably first, then apply it to the session table, then answer.
import { Attribute } from '@kiunga/dictionaries';
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
import { type AccountingRecord, AcctStatus, type NasEntry } from '../store/index';
import type { IntakeContext } from './context';
import { findSubject, subjectFromClass } from './subject';

const GIGAWORD = 2 ** 32;

/** What to do with the Accounting-Request: answer it (its record is committed), or drop it. */
export type AccountingAnswer = { kind: 'answer' } | { kind: 'drop'; reason: string };
export type AccountingAnswered = (error: unknown, answer: AccountingAnswer | null) => void;

function octets(packet: RadiusPacket, lowType: number, highType: number): number {
  const low = readInteger(findAttribute(packet, lowType)) ?? 0;
  const high = readInteger(findAttribute(packet, highType)) ?? 0;
  return high * GIGAWORD + low;
}

export function readAccountingRecord(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
): AccountingRecord | { invalid: string } {
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
  const shard = context.shards.forTenant(nas.tenantId);
  const tenant = context.auth.recent(shard, nowMs);
  let subjectKind: AccountingRecord['subjectKind'] = null;
  let subjectId: string | null = null;
  if (isSessionRecord) {
    const fromClass = subjectFromClass(packet);
    const found = fromClass ? undefined : findSubject(tenant, shard, packet, userNameWithoutDomain(username));
    subjectKind = fromClass?.kind ?? found?.kind ?? null;
    subjectId =
      fromClass?.id ??
      (found?.kind === 'voucher'
        ? found.voucher.id
        : found?.kind === 'subscriber'
          ? found.subscriber.id
          : null);
  }
  const delaySeconds = getInteger(packet, Attribute.AcctDelayTime) ?? 0;
  return {
    tenantId: nas.tenantId,
    nasId: nas.id,
    statusType,
    // Acct-Delay-Time says how long the NAS held the record; the event happened that much earlier.
    receivedAtMs: nowMs - delaySeconds * 1000,
    acctSessionId,
    username,
    subjectKind,
    subjectId,
    callingStationId: normalizeCallingStationId(getString(packet, Attribute.CallingStationId) ?? ''),
    framedIp: getIpAddress(packet, Attribute.FramedIpAddress) ?? null,
    nasPortId: getString(packet, Attribute.NasPortId) ?? null,
    inputOctets: octets(packet, Attribute.AcctInputOctets, Attribute.AcctInputGigawords),
    outputOctets: octets(packet, Attribute.AcctOutputOctets, Attribute.AcctOutputGigawords),
    inputPackets: getInteger(packet, Attribute.AcctInputPackets) ?? 0,
    outputPackets: getInteger(packet, Attribute.AcctOutputPackets) ?? 0,
    sessionTimeSeconds: getInteger(packet, Attribute.AcctSessionTime) ?? 0,
    terminateCause: getInteger(packet, Attribute.AcctTerminateCause) ?? null,
    interimIntervalSeconds: tenant.settingsOf(shard, nowMs).interimIntervalSeconds,
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
  if ('invalid' in record) {
    answered(null, { kind: 'drop', reason: record.invalid });
    return;
  }
  const isQueued = context.writer.submit(record, (error, outcome) => {
    if (error !== null || outcome === null) {
      answered(error, null);
      return;
    }
    applyToSessionTable(context, record, outcome.sessionId);
    context.metrics.countAccountingRecord(record.tenantId, statusName(record.statusType));
    answered(null, ANSWER);
  });
  if (!isQueued) answered(null, QUEUE_FULL);
}

const ANSWER: AccountingAnswer = { kind: 'answer' };
const QUEUE_FULL: AccountingAnswer = { kind: 'drop', reason: 'accounting_queue_full' };

function applyToSessionTable(
  context: IntakeContext,
  record: AccountingRecord,
  sessionId: string | null,
): void {
  const table = context.sessions;
  if (record.statusType === AcctStatus.AccountingOn || record.statusType === AcctStatus.AccountingOff) {
    table.closeSessionsOfNas(record.nasId);
    return;
  }
  if (record.statusType === AcctStatus.Stop) {
    table.stopSession(record.nasId, record.acctSessionId);
    return;
  }
  if (sessionId === null || record.subjectKind === null || record.subjectId === null) return;
  const nowMs = context.clock.now();
  if (record.statusType === AcctStatus.InterimUpdate) {
    const updated = table.updateSession(record.nasId, record.acctSessionId, {
      lastUpdateMs: nowMs,
      inputOctets: record.inputOctets,
      outputOctets: record.outputOctets,
      framedIp: record.framedIp,
    });
    if (updated) return;
  }
  // A Start, or an interim for a session we had not seen (restart, lost Start): record it.
  table.startSession({
    sessionId,
    tenantId: record.tenantId,
    nasId: record.nasId,
    acctSessionId: record.acctSessionId,
    username: record.username,
    subjectKind: record.subjectKind,
    subjectId: record.subjectId,
    callingStationId: record.callingStationId,
    framedIp: record.framedIp,
    startedAtMs: nowMs - record.sessionTimeSeconds * 1000,
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
