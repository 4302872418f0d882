// The SQL of accounting: a batch of records into accounting_log and sessions inside the caller's
// transaction, and the session reads and closes the AAA server needs. Positional parameters and
// multi-row inserts: this runs for every Accounting-Request.
import { newId, type SessionSubjectKind, type SqlDatabase } from '@kiunga/schemas';

export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

export interface AccountingRecord {
  tenantId: string;
  nasId: string;
  statusType: number;
  receivedAtMs: number;
  acctSessionId: string;
  username: string;
  subjectKind: SessionSubjectKind | null;
  subjectId: string | null;
  callingStationId: string;
  framedIp: string | null;
  nasPortId: string | null;
  inputOctets: number;
  outputOctets: number;
  inputPackets: number;
  outputPackets: number;
  /** Acct-Session-Time; null when the NAS sent none (then the record is never taken for a retransmission). */
  sessionTimeSeconds: number | null;
  terminateCause: number | null;
  interimIntervalSeconds: number;
}

export interface AccountingOutcome {
  /** The stored session's id, for session records that name a known subject. */
  sessionId: string | null;
}

/**
 * accounting_log rows per INSERT statement: one statement (one step, one reset) for many rows. 50 rows
 * of 9 values is 450 parameters, far below SQLite's limit of 32,766 (SQLITE_MAX_VARIABLE_NUMBER).
 */
export const ACCOUNTING_LOG_ROWS_PER_INSERT = 50;
const ACCOUNTING_LOG_COLUMNS = 9;
const ACCOUNTING_LOG_INSERT_HEAD = `INSERT INTO accounting_log (received_at, nas_id, status_type, acct_session_id, username,
                                  input_octets, output_octets, session_time_seconds, terminate_cause) VALUES `;
const ACCOUNTING_LOG_ROW = `(${new Array(ACCOUNTING_LOG_COLUMNS).fill('?').join(', ')})`;
/**
 * A record already stored (the same NAS, Acct-Session-Id, Acct-Status-Type and Acct-Session-Time: the
 * NAS retransmitted it, to this node or another) is not stored again (unique index
 * accounting_log_event_once, tenant migration 0005; issue 11). No conflict target: SQLite and PostgreSQL
 * both skip the row on any unique violation, and accounting_log has only this one.
 */
const ACCOUNTING_LOG_INSERT_TAIL = ' ON CONFLICT DO NOTHING';
/** The INSERT for n rows, at index n (built once; the database caches the prepared statements). */
const accountingLogInserts = Array.from(
  { length: ACCOUNTING_LOG_ROWS_PER_INSERT + 1 },
  (_, rows) =>
    ACCOUNTING_LOG_INSERT_HEAD +
    new Array(rows).fill(ACCOUNTING_LOG_ROW).join(', ') +
    ACCOUNTING_LOG_INSERT_TAIL,
);

/**
 * sessions rows per upsert statement. 50 rows of 20 values is 1,000 parameters (SQLite allows 32,766);
 * at 15,000 records/s a commit window holds about 75 records, so a group takes two or three statements
 * instead of one per record.
 */
export const SESSION_ROWS_PER_UPSERT = 50;
const SESSION_COLUMNS = 20;
const SESSION_UPSERT_HEAD = `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id,
                             calling_station_id, framed_ip, nas_port_id, status, started_at, updated_at, stopped_at,
                             interim_interval_seconds, input_octets, output_octets, input_packets,
                             output_packets, session_time_seconds, terminate_cause)
       VALUES `;
const SESSION_ROW = `(${new Array(SESSION_COLUMNS).fill('?').join(', ')})`;
/** Columns that only move forward, in the order the interim UPDATE's VALUES carry them (from column3). */
const FORWARD_ONLY_COLUMNS = [
  'updated_at',
  'input_octets',
  'output_octets',
  'input_packets',
  'output_packets',
  'session_time_seconds',
] as const;
/** `column = the larger of the stored value and the new one`, and the address when one came. */
function forwardOnlyAssignments(newValueOf: (column: string) => string): string {
  return [
    ...FORWARD_ONLY_COLUMNS.map((column) => {
      const value = newValueOf(column);
      return `${column} = CASE WHEN ${value} > sessions.${column} THEN ${value} ELSE sessions.${column} END`;
    }),
    `framed_ip = COALESCE(${newValueOf('framed_ip')}, sessions.framed_ip)`,
  ].join(',\n         ');
}
// Counters only move forward: a late, reordered interim must not roll octets back. (CASE, not the
// scalar MAX(a, b) SQLite has and PostgreSQL lacks: docs/database.md, portable SQL.) RETURNING names
// each row by its key: neither SQLite nor PostgreSQL promises to return rows in VALUES order. Shared with
// the one-statement group write on PostgreSQL (accounting-records-postgres.ts).
export const SESSION_UPSERT_TAIL = `
       ON CONFLICT(nas_id, acct_session_id) DO UPDATE SET
         ${forwardOnlyAssignments((column) => `excluded.${column}`)},
         status = CASE WHEN sessions.status = 'closed' THEN 'closed' ELSE excluded.status END,
         stopped_at = COALESCE(sessions.stopped_at, excluded.stopped_at),
         terminate_cause = COALESCE(sessions.terminate_cause, excluded.terminate_cause)
       RETURNING id, nas_id AS "nasId", acct_session_id AS "acctSessionId"`;
/** The upsert for n rows, at index n (built once; the database caches the prepared statements). */
const sessionUpserts = Array.from(
  { length: SESSION_ROWS_PER_UPSERT + 1 },
  (_, rows) => SESSION_UPSERT_HEAD + new Array(rows).fill(SESSION_ROW).join(', ') + SESSION_UPSERT_TAIL,
);

/** The interim VALUES row: nas_id, acct_session_id, then the forward-only columns, framed_ip last. */
const interimValueColumn = (column: string): string =>
  column === 'framed_ip'
    ? 'v.column9'
    : `v.column${FORWARD_ONLY_COLUMNS.indexOf(column as (typeof FORWARD_ONLY_COLUMNS)[number]) + 3}`;

/**
 * An Interim-Update of a session already stored changes only its counters, its time and its address:
 * one multi-row UPDATE … FROM (VALUES …) does that without the upsert's insert attempt (a new id, 20
 * values, the conflict check) and costs about a quarter less per interim (ops/bench/metering/writer.bench.ts).
 * Both SQLite (3.33+) and PostgreSQL take UPDATE … FROM and name a VALUES list's columns column1, column2
 * …; the CASTs give PostgreSQL the numbers' type (a bare parameter in VALUES would be text there).
 * An interim of a session not stored yet (lost Start, restart) is not returned and goes to the upsert.
 * Same rules as the upsert's: counters, updated_at and session time only move forward; status,
 * stopped_at and terminate_cause are left as they are (the upsert leaves them so for an interim too).
 */
const INTERIM_UPDATE_HEAD = `UPDATE sessions SET
         ${forwardOnlyAssignments(interimValueColumn)}
       FROM (VALUES `;
const INTERIM_UPDATE_ROW = `(?, ?, ${FORWARD_ONLY_COLUMNS.map(() => 'CAST(? AS BIGINT)').join(', ')}, ?)`;
const INTERIM_UPDATE_TAIL = `) AS v
      WHERE sessions.nas_id = v.column1 AND sessions.acct_session_id = v.column2
      RETURNING sessions.id, sessions.nas_id AS "nasId", sessions.acct_session_id AS "acctSessionId"`;
/** The interim UPDATE for n rows, at index n (built once; the database caches the prepared statements). */
const interimUpdates = Array.from(
  { length: SESSION_ROWS_PER_UPSERT + 1 },
  (_, rows) =>
    INTERIM_UPDATE_HEAD + new Array(rows).fill(INTERIM_UPDATE_ROW).join(', ') + INTERIM_UPDATE_TAIL,
);

/** Writes a batch of one tenant's records; call inside a transaction. Outcomes come in record order. */
export async function writeAccountingRecords(
  transaction: SqlDatabase,
  records: readonly AccountingRecord[],
): Promise<AccountingOutcome[]> {
  await insertAccountingLog(transaction, records);
  return applyToSessions(transaction, records);
}

async function insertAccountingLog(
  transaction: SqlDatabase,
  records: readonly AccountingRecord[],
): Promise<void> {
  for (let start = 0; start < records.length; start += ACCOUNTING_LOG_ROWS_PER_INSERT) {
    const end = Math.min(records.length, start + ACCOUNTING_LOG_ROWS_PER_INSERT);
    const values: Array<string | number | null> = [];
    for (let index = start; index < end; index += 1) {
      const record = records[index]!;
      values.push(
        record.receivedAtMs,
        record.nasId,
        record.statusType,
        record.acctSessionId,
        record.username,
        record.inputOctets,
        record.outputOctets,
        record.sessionTimeSeconds,
        record.terminateCause,
      );
    }
    await transaction.run(accountingLogInserts[end - start]!, values);
  }
}

/** The key a session row is known by (NAS ids are ours and never hold a NUL). */
function sessionKey(nasId: string, acctSessionId: string): string {
  return `${nasId}\u0000${acctSessionId}`;
}

/**
 * Applies the records to sessions in their order, with as few statements as that order allows: runs of
 * session records go into one multi-row upsert, cut where a session repeats (its later record must see
 * the earlier one's row; PostgreSQL also refuses to update one row twice in a statement) and at an
 * Accounting-On/Off (it closes what came before it, not what comes after).
 */
async function applyToSessions(
  transaction: SqlDatabase,
  records: readonly AccountingRecord[],
): Promise<AccountingOutcome[]> {
  const outcomes: AccountingOutcome[] = records.map(() => ({ sessionId: null }));
  /** Indexes of the records in the upsert being gathered, by their session's key. */
  let gathered = new Map<string, number>();
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index]!;
    if (record.statusType === AcctStatus.AccountingOn || record.statusType === AcctStatus.AccountingOff) {
      await upsertSessions(transaction, records, gathered, outcomes);
      gathered = new Map();
      await closeOpenSessionsOfNas(transaction, record.nasId, record.receivedAtMs, 'NAS-Reboot');
      continue;
    }
    if (record.subjectKind === null || record.subjectId === null) continue;
    const key = sessionKey(record.nasId, record.acctSessionId);
    if (gathered.has(key) || gathered.size >= SESSION_ROWS_PER_UPSERT) {
      await upsertSessions(transaction, records, gathered, outcomes);
      gathered = new Map();
    }
    gathered.set(key, index);
  }
  await upsertSessions(transaction, records, gathered, outcomes);
  return outcomes;
}

const terminateCauseNames: Record<number, string> = {
  1: 'User-Request',
  2: 'Lost-Carrier',
  3: 'Lost-Service',
  4: 'Idle-Timeout',
  5: 'Session-Timeout',
  6: 'Admin-Reset',
  7: 'Admin-Reboot',
  8: 'Port-Error',
  9: 'NAS-Error',
  10: 'NAS-Request',
  11: 'NAS-Reboot',
  12: 'Port-Unneeded',
  13: 'Port-Preempted',
  14: 'Port-Suspended',
  15: 'Service-Unavailable',
  16: 'Callback',
  17: 'User-Error',
  18: 'Host-Request',
};

export function terminateCauseName(cause: number | null): string | null {
  if (cause === null) return null;
  return terminateCauseNames[cause] ?? `Cause-${cause}`;
}

type SessionRowKey = { id: string; nasId: string; acctSessionId: string };

/** Names each returned row's session in its record's outcome; the keys of rows returned leave `gathered`. */
function takeReturnedSessions(
  rows: readonly SessionRowKey[],
  gathered: Map<string, number>,
  outcomes: AccountingOutcome[],
): void {
  for (const row of rows) {
    const key = sessionKey(row.nasId, row.acctSessionId);
    const index = gathered.get(key);
    if (index === undefined) continue;
    outcomes[index] = { sessionId: row.id };
    gathered.delete(key);
  }
}

/**
 * The gathered records (one each of distinct sessions) into sessions: interims of stored sessions by
 * the lean UPDATE, the rest (and interims of sessions not stored) by the upsert; each outcome names
 * its stored session.
 */
async function upsertSessions(
  transaction: SqlDatabase,
  records: readonly AccountingRecord[],
  gathered: ReadonlyMap<string, number>,
  outcomes: AccountingOutcome[],
): Promise<void> {
  if (gathered.size === 0) return;
  const remaining = new Map(gathered);
  const interimValues: Array<string | number | null> = [];
  let interimCount = 0;
  for (const index of gathered.values()) {
    const record = records[index]!;
    if (record.statusType !== AcctStatus.InterimUpdate) continue;
    interimCount += 1;
    interimValues.push(
      record.nasId,
      record.acctSessionId,
      record.receivedAtMs,
      record.inputOctets,
      record.outputOctets,
      record.inputPackets,
      record.outputPackets,
      record.sessionTimeSeconds ?? 0,
      record.framedIp,
    );
  }
  if (interimCount > 0) {
    const updated = await transaction.all<SessionRowKey>(interimUpdates[interimCount]!, interimValues);
    takeReturnedSessions(updated, remaining, outcomes);
  }
  if (remaining.size === 0) return;
  const values: Array<string | number | null> = [];
  for (const index of remaining.values()) {
    const record = records[index]!;
    const isStop = record.statusType === AcctStatus.Stop;
    const sessionTimeSeconds = record.sessionTimeSeconds ?? 0;
    values.push(
      newId('session'),
      record.nasId,
      record.acctSessionId,
      record.username,
      record.subjectKind,
      record.subjectId,
      record.callingStationId,
      record.framedIp,
      record.nasPortId,
      isStop ? 'closed' : 'open',
      record.receivedAtMs - sessionTimeSeconds * 1000,
      record.receivedAtMs,
      isStop ? record.receivedAtMs : null,
      record.interimIntervalSeconds,
      record.inputOctets,
      record.outputOctets,
      record.inputPackets,
      record.outputPackets,
      sessionTimeSeconds,
      isStop ? terminateCauseName(record.terminateCause) : null,
    );
  }
  const upserting = remaining.size;
  const rows = await transaction.all<SessionRowKey>(sessionUpserts[upserting]!, values);
  takeReturnedSessions(rows, remaining, outcomes);
  if (rows.length !== upserting) throw new Error('the session upsert did not return every session');
}

export async function closeOpenSessionsOfNas(
  database: SqlDatabase,
  nasId: string,
  nowMs: number,
  cause: string,
): Promise<number> {
  const result = await database.run(
    `UPDATE sessions SET status = 'closed', stopped_at = ?, terminate_cause = ?
      WHERE nas_id = ? AND status = 'open'`,
    [nowMs, cause, nasId],
  );
  return result.changes;
}

/** Closes one session that the server gave up on (its interim updates stopped). */
export async function closeSessionById(
  database: SqlDatabase,
  sessionId: string,
  nowMs: number,
  cause: string,
): Promise<void> {
  await database.run(
    `UPDATE sessions SET status = 'closed', stopped_at = ?, terminate_cause = ? WHERE id = ? AND status = 'open'`,
    [nowMs, cause, sessionId],
  );
}

export interface OpenSessionRow {
  id: string;
  nasId: string;
  acctSessionId: string;
  username: string;
  subjectKind: SessionSubjectKind;
  subjectId: string;
  callingStationId: string;
  framedIp: string | null;
  startedAt: number;
  updatedAt: number;
  interimIntervalSeconds: number;
  inputOctets: number;
  outputOctets: number;
}

/** For rebuilding the session table at start, in session id order (the table lists them so). */
export function readOpenSessions(database: SqlDatabase): Promise<OpenSessionRow[]> {
  return database.all<OpenSessionRow>(
    `SELECT id, nas_id AS "nasId", acct_session_id AS "acctSessionId", username, subject_kind AS "subjectKind",
            subject_id AS "subjectId", calling_station_id AS "callingStationId", framed_ip AS "framedIp",
            started_at AS "startedAt", updated_at AS "updatedAt",
            interim_interval_seconds AS "interimIntervalSeconds",
            input_octets AS "inputOctets", output_octets AS "outputOctets"
       FROM sessions WHERE status = 'open' ORDER BY id`,
  );
}
