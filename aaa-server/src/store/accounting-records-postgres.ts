// The accounting write of a commit group on PostgreSQL in one statement: every accounting_log row and every
// session upsert of the group travel as two JSON parameters, whatever the group's size (issue 11).
import { newId, type SqlDatabase } from '@kiunga/schemas';
import type { AccountingOutcome, AccountingRecord } from './accounting-records';
import { AcctStatus, SESSION_UPSERT_TAIL, terminateCauseName } from './accounting-records';

/*
 * Why one statement. The portable path (accounting-records.ts) sends a multi-row VALUES of up to 50 rows
 * per statement, 9 or 20 parameters a row: PostgreSQL parses and plans each such statement anew (about
 * 1,000 parameters), and the node encodes every parameter on its own. Here the group is two JSON texts
 * (JSON.stringify is native) read by json_to_recordset (PostgreSQL 15 manual, 9.16 "JSON Functions and
 * Operators", Table 9.47): the statement text never changes, so its plan is small and the same for any
 * group. A data-modifying WITH runs once, to completion, whether or not the outer statement reads it
 * (manual 7.8.4 "Data-Modifying Statements in WITH"), in the same snapshot as the session upsert.
 *
 * A session that appears more than once in the group is folded into one row first: ON CONFLICT DO UPDATE
 * refuses to touch one row twice in a statement ("command cannot affect row a second time", manual,
 * INSERT, "ON CONFLICT Clause"), and the fold gives the same row as applying the records one after the
 * other with the portable upsert: every column it updates is a running maximum, a first or a last
 * non-null value, or "closed once closed", each of which composes with the stored row the same way.
 *
 * Sessions are upserted in key order, so two nodes writing overlapping sessions take their row locks in
 * the same order; accounting_log keeps arrival order (its id is the order usage metering follows).
 */
const GROUP_WRITE = `
WITH logged AS (
  INSERT INTO accounting_log (received_at, nas_id, status_type, acct_session_id, username,
                              input_octets, output_octets, session_time_seconds, terminate_cause)
  SELECT received_at, nas_id, status_type, acct_session_id, username,
         input_octets, output_octets, session_time_seconds, terminate_cause
    FROM json_to_recordset(CAST(? AS json)) AS log(n integer, received_at bigint, nas_id text, status_type bigint,
         acct_session_id text, username text, input_octets bigint, output_octets bigint,
         session_time_seconds bigint, terminate_cause bigint)
   ORDER BY n
  ON CONFLICT DO NOTHING
)
INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, calling_station_id,
                      framed_ip, nas_port_id, status, started_at, updated_at, stopped_at,
                      interim_interval_seconds, input_octets, output_octets, input_packets, output_packets,
                      session_time_seconds, terminate_cause)
SELECT id, nas_id, acct_session_id, username, subject_kind, subject_id, calling_station_id,
       framed_ip, nas_port_id, status, started_at, updated_at, stopped_at,
       interim_interval_seconds, input_octets, output_octets, input_packets, output_packets,
       session_time_seconds, terminate_cause
  FROM json_to_recordset(CAST(? AS json)) AS session(id text, nas_id text, acct_session_id text, username text,
       subject_kind text, subject_id text, calling_station_id text, framed_ip text, nas_port_id text,
       status text, started_at bigint, updated_at bigint, stopped_at bigint, interim_interval_seconds bigint,
       input_octets bigint, output_octets bigint, input_packets bigint, output_packets bigint,
       session_time_seconds bigint, terminate_cause text)
 ORDER BY nas_id, acct_session_id${SESSION_UPSERT_TAIL}`;

/** One accounting_log row; the keys are json_to_recordset's column names. */
interface LogRow {
  n: number;
  received_at: number;
  nas_id: string;
  status_type: number;
  acct_session_id: string;
  username: string;
  input_octets: number;
  output_octets: number;
  session_time_seconds: number | null;
  terminate_cause: number | null;
}

/** One sessions row (the fold of the group's records of that session). */
interface SessionRow {
  id: string;
  nas_id: string;
  acct_session_id: string;
  username: string;
  subject_kind: string;
  subject_id: string;
  calling_station_id: string;
  framed_ip: string | null;
  nas_port_id: string | null;
  status: 'open' | 'closed';
  started_at: number;
  updated_at: number;
  stopped_at: number | null;
  interim_interval_seconds: number;
  input_octets: number;
  output_octets: number;
  input_packets: number;
  output_packets: number;
  session_time_seconds: number;
  terminate_cause: string | null;
}

/** Whether the group can go as one statement: an Accounting-On/Off closes sessions in its place, in order. */
export function isOneStatementGroup(records: readonly AccountingRecord[]): boolean {
  for (const record of records) {
    if (record.statusType === AcctStatus.AccountingOn || record.statusType === AcctStatus.AccountingOff) {
      return false;
    }
  }
  return true;
}

/** The key a session row is known by (NAS ids are ours and never hold a NUL). */
function sessionKey(nasId: string, acctSessionId: string): string {
  return `${nasId}\u0000${acctSessionId}`;
}

function sessionRowOf(record: AccountingRecord, subjectKind: string, subjectId: string): SessionRow {
  const isStop = record.statusType === AcctStatus.Stop;
  const sessionTimeSeconds = record.sessionTimeSeconds ?? 0;
  return {
    id: newId('session'),
    nas_id: record.nasId,
    acct_session_id: record.acctSessionId,
    username: record.username,
    subject_kind: subjectKind,
    subject_id: subjectId,
    calling_station_id: record.callingStationId,
    framed_ip: record.framedIp,
    nas_port_id: record.nasPortId,
    status: isStop ? 'closed' : 'open',
    started_at: record.receivedAtMs - sessionTimeSeconds * 1000,
    updated_at: record.receivedAtMs,
    stopped_at: isStop ? record.receivedAtMs : null,
    interim_interval_seconds: record.interimIntervalSeconds,
    input_octets: record.inputOctets,
    output_octets: record.outputOctets,
    input_packets: record.inputPackets,
    output_packets: record.outputPackets,
    session_time_seconds: sessionTimeSeconds,
    terminate_cause: isStop ? terminateCauseName(record.terminateCause) : null,
  };
}

/** Applies a later record of the same session to its row, as the upsert's DO UPDATE would. */
function foldInto(row: SessionRow, later: AccountingRecord): void {
  row.updated_at = Math.max(row.updated_at, later.receivedAtMs);
  row.framed_ip = later.framedIp ?? row.framed_ip;
  row.input_octets = Math.max(row.input_octets, later.inputOctets);
  row.output_octets = Math.max(row.output_octets, later.outputOctets);
  row.input_packets = Math.max(row.input_packets, later.inputPackets);
  row.output_packets = Math.max(row.output_packets, later.outputPackets);
  row.session_time_seconds = Math.max(row.session_time_seconds, later.sessionTimeSeconds ?? 0);
  if (later.statusType === AcctStatus.Stop) {
    row.status = 'closed';
    row.stopped_at ??= later.receivedAtMs;
    row.terminate_cause ??= terminateCauseName(later.terminateCause);
  }
}

/**
 * Writes a group with no Accounting-On/Off (isOneStatementGroup) in one statement on PostgreSQL, outside
 * any transaction: the statement is then a transaction of its own, committed whole or not at all
 * (manual 3.4 "Transactions": a statement without BEGIN has an implicit BEGIN and, if successful,
 * COMMIT around it), which saves the BEGIN and COMMIT round trips (issue 11). It is durable before the
 * promise resolves: the implicit transaction commits (the WAL flushed, synchronous_commit on) when the
 * server takes the Sync that node-postgres sends after Execute, and only then is ReadyForQuery issued
 * (manual 55.2.3 "Extended Query"), which is when node-postgres resolves the query (pg/lib/query.js,
 * handleReadyForQuery). Outcomes come in record order.
 */
export async function writeAccountingGroupInOneStatement(
  database: SqlDatabase,
  records: readonly AccountingRecord[],
): Promise<AccountingOutcome[]> {
  const logRows: LogRow[] = [];
  const sessionRows = new Map<string, SessionRow>();
  /** Each record's session key, for the records that name a subject. */
  const keys: Array<string | undefined> = [];
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index]!;
    logRows.push({
      n: index,
      received_at: record.receivedAtMs,
      nas_id: record.nasId,
      status_type: record.statusType,
      acct_session_id: record.acctSessionId,
      username: record.username,
      input_octets: record.inputOctets,
      output_octets: record.outputOctets,
      session_time_seconds: record.sessionTimeSeconds,
      terminate_cause: record.terminateCause,
    });
    if (record.subjectKind === null || record.subjectId === null) {
      keys.push(undefined);
      continue;
    }
    const key = sessionKey(record.nasId, record.acctSessionId);
    keys.push(key);
    const earlier = sessionRows.get(key);
    if (earlier === undefined)
      sessionRows.set(key, sessionRowOf(record, record.subjectKind, record.subjectId));
    else foldInto(earlier, record);
  }
  const stored = await database.all<{ id: string; nasId: string; acctSessionId: string }>(GROUP_WRITE, [
    JSON.stringify(logRows),
    JSON.stringify([...sessionRows.values()]),
  ]);
  // Committed by now: a missing row (it cannot happen) fails the group, the NAS retransmits, and the log's
  // ON CONFLICT DO NOTHING keeps the retransmitted records from being stored twice.
  if (stored.length !== sessionRows.size) throw new Error('the session upsert did not return every session');
  const idByKey = new Map<string, string>();
  for (const row of stored) idByKey.set(sessionKey(row.nasId, row.acctSessionId), row.id);
  return keys.map((key) => ({ sessionId: key === undefined ? null : (idByKey.get(key) ?? null) }));
}
