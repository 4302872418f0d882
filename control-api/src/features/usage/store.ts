// The SQL of usage metering: unmetered accounting_log rows after the cursor (with their session's
// subject and plan), meter states, rollup increments, and the usage rows a query or fair use reads.
import type { SqlDatabase } from '@kiunga/schemas';
import type {
  SessionMeterState,
  UsageDimension,
  UsageGranularity,
  UsageRollupIncrement,
  UsageRow,
} from './core/index';

/** The cursor row's name: metering follows accounting_log by id. */
export const ACCOUNTING_CURSOR_NAME = 'accounting_log';
/** Keys per IN list or rows per INSERT: 400 × 8 values stays far below SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 400;

export interface AccountingLogRow {
  id: number;
  receivedAt: number;
  nasId: string;
  statusType: number;
  acctSessionId: string | null;
  inputOctets: number | null;
  outputOctets: number | null;
  sessionTimeSeconds: number | null;
  /** 'guest_pass' too (issue 13): a guest pass's session, metered for the NAS only (no plan, no cap). */
  subjectKind: 'voucher' | 'subscriber' | 'guest_pass' | null;
  subjectId: string | null;
  planId: string | null;
}

export async function readMeterCursor(database: SqlDatabase): Promise<number> {
  const row = await database.get<{ lastLogId: number }>(
    'SELECT last_log_id AS "lastLogId" FROM usage_meter_cursor WHERE name = ?',
    [ACCOUNTING_CURSOR_NAME],
  );
  return row?.lastLogId ?? 0;
}

export async function writeMeterCursor(
  database: SqlDatabase,
  lastLogId: number,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO usage_meter_cursor (name, last_log_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_log_id = excluded.last_log_id, updated_at = excluded.updated_at`,
    [ACCOUNTING_CURSOR_NAME, lastLogId, nowMs],
  );
}

/** accounting_log rows after `afterId` in id order, each with its session's subject and that subject's plan. */
export async function readAccountingAfter(
  database: SqlDatabase,
  afterId: number,
  limit: number,
): Promise<AccountingLogRow[]> {
  return database.all<AccountingLogRow>(
    `SELECT l.id, l.received_at AS "receivedAt", l.nas_id AS "nasId", l.status_type AS "statusType",
            l.acct_session_id AS "acctSessionId", l.input_octets AS "inputOctets",
            l.output_octets AS "outputOctets", l.session_time_seconds AS "sessionTimeSeconds",
            s.subject_kind AS "subjectKind", s.subject_id AS "subjectId",
            COALESCE(v.plan_id, b.plan_id) AS "planId"
       FROM accounting_log l
       LEFT JOIN sessions s ON s.nas_id = l.nas_id AND s.acct_session_id = l.acct_session_id
       LEFT JOIN vouchers v ON s.subject_kind = 'voucher' AND v.id = s.subject_id
       LEFT JOIN subscribers b ON s.subject_kind = 'subscriber' AND b.id = s.subject_id
      WHERE l.id > ? ORDER BY l.id LIMIT ?`,
    [afterId, limit],
  );
}

/**
 * PostgreSQL takes a whole batch in one statement: the rows travel as one JSON text parameter and
 * jsonb_to_recordset / jsonb_array_elements_text turn it into a set (PostgreSQL manual, "JSON Functions
 * and Operators", table "JSON Processing Functions"). One statement and one round trip per batch instead
 * of one per 400 rows, and no plan of a VALUES list with thousands of parameters for each of them
 * (issue 12 "Measure": the metering job on PostgreSQL). SQLite keeps the multi-row VALUES (in process,
 * no round trips; json_each would only add parsing).
 */
function isSetBased(database: SqlDatabase): boolean {
  return database.dialect === 'postgres';
}

export async function readMeterStates(
  database: SqlDatabase,
  sessionKeys: readonly string[],
): Promise<Map<string, SessionMeterState>> {
  const states = new Map<string, SessionMeterState>();
  if (isSetBased(database)) {
    if (sessionKeys.length === 0) return states;
    const rows = await database.all<{ sessionKey: string; state: string }>(
      `SELECT session_key AS "sessionKey", state FROM usage_meter_sessions
        WHERE session_key IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))`,
      [JSON.stringify(sessionKeys)],
    );
    for (const row of rows) states.set(row.sessionKey, JSON.parse(row.state) as SessionMeterState);
    return states;
  }
  for (let start = 0; start < sessionKeys.length; start += ROWS_PER_STATEMENT) {
    const keys = sessionKeys.slice(start, start + ROWS_PER_STATEMENT);
    const rows = await database.all<{ sessionKey: string; state: string }>(
      `SELECT session_key AS "sessionKey", state FROM usage_meter_sessions
        WHERE session_key IN (${keys.map(() => '?').join(', ')})`,
      keys,
    );
    for (const row of rows) states.set(row.sessionKey, JSON.parse(row.state) as SessionMeterState);
  }
  return states;
}

export async function writeMeterStates(
  database: SqlDatabase,
  states: ReadonlyMap<string, SessionMeterState>,
): Promise<void> {
  const entries = [...states];
  if (isSetBased(database)) {
    if (entries.length === 0) return;
    await database.run(
      `INSERT INTO usage_meter_sessions (session_key, state, last_event_at)
       SELECT r.k, r.s, r.t FROM jsonb_to_recordset(CAST(? AS jsonb)) AS r(k text, s text, t bigint)
       ON CONFLICT (session_key) DO UPDATE SET state = excluded.state, last_event_at = excluded.last_event_at`,
      [
        JSON.stringify(
          entries.map(([key, state]) => ({ k: key, s: JSON.stringify(state), t: state.lastEventTimeMs })),
        ),
      ],
    );
    return;
  }
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
    const rows = entries.slice(start, start + ROWS_PER_STATEMENT);
    await database.run(
      `INSERT INTO usage_meter_sessions (session_key, state, last_event_at)
       VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT (session_key) DO UPDATE SET state = excluded.state, last_event_at = excluded.last_event_at`,
      rows.flatMap(([key, state]) => [key, JSON.stringify(state), state.lastEventTimeMs]),
    );
  }
}

/** Adds each increment to its row (one row per key in a batch: the core sums them). */
export async function addRollupIncrements(
  database: SqlDatabase,
  increments: readonly UsageRollupIncrement[],
): Promise<void> {
  if (isSetBased(database)) {
    if (increments.length === 0) return;
    // One statement may not update a row twice (PostgreSQL refuses): the core gives one row per key.
    await database.run(
      `INSERT INTO usage_rollups (granularity, dimension, dimension_id, bucket_start, input_octets,
                                  output_octets, session_seconds)
       SELECT r.g, r.d, r.i, r.b, r.io, r.oo, r.ss
         FROM jsonb_to_recordset(CAST(? AS jsonb))
           AS r(g text, d text, i text, b bigint, io bigint, oo bigint, ss bigint)
       ON CONFLICT (dimension, dimension_id, granularity, bucket_start) DO UPDATE SET
         input_octets = usage_rollups.input_octets + excluded.input_octets,
         output_octets = usage_rollups.output_octets + excluded.output_octets,
         session_seconds = usage_rollups.session_seconds + excluded.session_seconds`,
      [
        JSON.stringify(
          increments.map((row) => ({
            g: row.granularity,
            d: row.dimension,
            i: row.dimensionId,
            b: row.bucketStartMs,
            io: row.inputOctets,
            oo: row.outputOctets,
            ss: row.sessionSeconds,
          })),
        ),
      ],
    );
    return;
  }
  for (let start = 0; start < increments.length; start += ROWS_PER_STATEMENT) {
    const rows = increments.slice(start, start + ROWS_PER_STATEMENT);
    await database.run(
      `INSERT INTO usage_rollups (granularity, dimension, dimension_id, bucket_start, input_octets,
                                  output_octets, session_seconds)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (dimension, dimension_id, granularity, bucket_start) DO UPDATE SET
         input_octets = usage_rollups.input_octets + excluded.input_octets,
         output_octets = usage_rollups.output_octets + excluded.output_octets,
         session_seconds = usage_rollups.session_seconds + excluded.session_seconds`,
      rows.flatMap((row) => [
        row.granularity,
        row.dimension,
        row.dimensionId,
        row.bucketStartMs,
        row.inputOctets,
        row.outputOctets,
        row.sessionSeconds,
      ]),
    );
  }
}

/** Rollup rows of one dimension id at one granularity with buckets in [fromMs, toMs). */
export async function readUsageRows(
  database: SqlDatabase,
  dimension: UsageDimension,
  dimensionId: string,
  granularity: UsageGranularity,
  fromMs: number,
  toMs: number,
): Promise<UsageRow[]> {
  return database.all<UsageRow>(
    `SELECT bucket_start AS "bucketStartMs", input_octets AS "inputOctets", output_octets AS "outputOctets",
            session_seconds AS "sessionSeconds"
       FROM usage_rollups
      WHERE dimension = ? AND dimension_id = ? AND granularity = ? AND bucket_start >= ? AND bucket_start < ?
      ORDER BY bucket_start`,
    [dimension, dimensionId, granularity, fromMs, toMs],
  );
}

/** Input + output octets of a subject's hourly rollups in [fromMs, toMs): its usage in a cycle. */
export async function usageBytesBetween(
  database: SqlDatabase,
  dimension: 'subscriber' | 'voucher',
  dimensionId: string,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const row = await database.get<{ total: number | null }>(
    `SELECT SUM(input_octets + output_octets) AS total FROM usage_rollups
      WHERE dimension = ? AND dimension_id = ? AND granularity = 'hour' AND bucket_start >= ? AND bucket_start < ?`,
    [dimension, dimensionId, fromMs, toMs],
  );
  return Number(row?.total ?? 0);
}

/** Raw accounting rows older than `beforeMs` that metering has passed; rollups stay. */
export async function deleteMeteredAccountingBefore(
  database: SqlDatabase,
  beforeMs: number,
  meteredUpToId: number,
  limit: number,
): Promise<number> {
  const result = await database.run(
    `DELETE FROM accounting_log WHERE id IN (
       SELECT id FROM accounting_log WHERE received_at < ? AND id <= ? ORDER BY id LIMIT ?)`,
    [beforeMs, meteredUpToId, limit],
  );
  return result.changes;
}

export async function deleteMeterStatesBefore(database: SqlDatabase, beforeMs: number): Promise<number> {
  return (await database.run('DELETE FROM usage_meter_sessions WHERE last_event_at < ?', [beforeMs])).changes;
}
