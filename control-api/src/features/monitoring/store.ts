// Router health in the platform database: each NAS's SNMP settings (community sealed), its last two
// SNMP samples, its quiet alert and the alert history; and a NAS's last accounting time from its ISP.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { KiungaError, newId, type SecretBox, type SqlDatabase } from '@kiunga/schemas';
import type { SnmpHealthSample, SnmpPollErrorKind, SnmpSettings, SnmpTarget } from '../../integrations/snmp';
import type { NasAlertDecision, NasAlertState } from './core';

/** A sample as stored: octet counters as decimal strings (JSON has no bigint). */
export function sampleToJson(sample: SnmpHealthSample): string {
  return JSON.stringify(sample, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

export function sampleFromJson(text: string | null): SnmpHealthSample | null {
  if (text === null) return null;
  const parsed = JSON.parse(text) as SnmpHealthSample & {
    interfaces: Array<{ inOctets: string; outOctets: string }>;
  };
  return {
    ...parsed,
    interfaces: parsed.interfaces.map((item) => ({
      ...(item as unknown as SnmpHealthSample['interfaces'][number]),
      inOctets: BigInt(item.inOctets),
      outOctets: BigInt(item.outOctets),
    })),
  };
}

export interface NasHealthRow {
  nasId: string;
  tenantId: string;
  name: string;
  ipAddress: string | null;
  nasCreatedAt: number;
  snmpPort: number | null;
  snmpVersion: string | null;
  hasSnmp: number;
  monitoredSince: number | null;
  lastSnmpAnswerAt: number | null;
  lastSnmpErrorKind: string | null;
  lastSample: string | null;
  previousSample: string | null;
}

const NAS_HEALTH_SELECT = `SELECT nas_devices.id AS "nasId", nas_devices.tenant_id AS "tenantId", nas_devices.name,
    nas_devices.ip_address AS "ipAddress", nas_devices.created_at AS "nasCreatedAt",
    nas_health.snmp_port AS "snmpPort", nas_health.snmp_version AS "snmpVersion",
    CASE WHEN nas_health.snmp_community_sealed IS NULL THEN 0 ELSE 1 END AS "hasSnmp",
    nas_health.monitored_since AS "monitoredSince", nas_health.last_snmp_answer_at AS "lastSnmpAnswerAt",
    nas_health.last_snmp_error_kind AS "lastSnmpErrorKind", nas_health.last_sample AS "lastSample",
    nas_health.previous_sample AS "previousSample"
  FROM nas_devices LEFT JOIN nas_health ON nas_health.nas_id = nas_devices.id`;

/** One NAS of the ISP with its health row; not_found for another ISP's NAS. */
export async function readNasHealthRow(
  platform: SqlDatabase,
  tenantId: string,
  nasId: string,
): Promise<NasHealthRow> {
  const row = await platform.get<NasHealthRow>(
    `${NAS_HEALTH_SELECT} WHERE nas_devices.id = ? AND nas_devices.tenant_id = ?`,
    [nasId, tenantId],
  );
  if (!row) throw new KiungaError('not_found', 'No such NAS.');
  return row;
}

/** Every NAS of every ISP (the alert job judges them all), by tenant. */
export function allNasHealthRows(platform: SqlDatabase): Promise<NasHealthRow[]> {
  return platform.all<NasHealthRow>(`${NAS_HEALTH_SELECT} ORDER BY nas_devices.tenant_id, nas_devices.id`);
}

/** Sets or clears (null) a NAS's SNMP settings; watching starts again when SNMP is turned on. */
export async function writeNasSnmp(
  platform: SqlDatabase,
  secretBox: SecretBox,
  tenantId: string,
  nasId: string,
  snmp: SnmpSettings | null,
  nowMs: number,
): Promise<void> {
  await platform.run(
    `INSERT INTO nas_health (nas_id, tenant_id, snmp_community_sealed, snmp_port, snmp_version, monitored_since, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (nas_id) DO UPDATE SET snmp_community_sealed = excluded.snmp_community_sealed,
       snmp_port = excluded.snmp_port, snmp_version = excluded.snmp_version,
       monitored_since = excluded.monitored_since, updated_at = excluded.updated_at`,
    [
      nasId,
      tenantId,
      snmp === null ? null : secretBox.seal(snmp.community),
      snmp?.port ?? null,
      snmp?.version ?? null,
      nowMs,
      nowMs,
    ],
  );
}

export interface PollTarget {
  nasId: string;
  tenantId: string;
  target: SnmpTarget;
}

/** Every NAS with SNMP set and an address to reach it at, its community opened for the poll. */
export async function pollTargets(platform: SqlDatabase, secretBox: SecretBox): Promise<PollTarget[]> {
  const rows = await platform.all<{
    nasId: string;
    tenantId: string;
    host: string;
    port: number;
    sealed: string;
  }>(
    `SELECT nas_devices.id AS "nasId", nas_devices.tenant_id AS "tenantId", nas_devices.ip_address AS host,
            nas_health.snmp_port AS port, nas_health.snmp_community_sealed AS sealed
       FROM nas_health JOIN nas_devices ON nas_devices.id = nas_health.nas_id
      WHERE nas_health.snmp_community_sealed IS NOT NULL AND nas_devices.ip_address IS NOT NULL
      ORDER BY nas_devices.id`,
  );
  return rows.map((row) => ({
    nasId: row.nasId,
    tenantId: row.tenantId,
    target: { host: row.host, port: row.port, community: secretBox.open(row.sealed), version: '2c' },
  }));
}

/** An answer: it becomes the last sample, the one before it the previous (for throughput). */
export async function recordPollAnswer(
  platform: SqlDatabase,
  nasId: string,
  sample: SnmpHealthSample,
): Promise<void> {
  await platform.run(
    `UPDATE nas_health SET previous_sample = last_sample, last_sample = ?, last_snmp_answer_at = ?,
            last_snmp_error_kind = NULL, updated_at = ?
      WHERE nas_id = ?`,
    [sampleToJson(sample), sample.polledAtMs, sample.polledAtMs, nasId],
  );
}

export async function recordPollFailure(
  platform: SqlDatabase,
  nasId: string,
  kind: SnmpPollErrorKind,
  nowMs: number,
): Promise<void> {
  await platform.run('UPDATE nas_health SET last_snmp_error_kind = ?, updated_at = ? WHERE nas_id = ?', [
    kind,
    nowMs,
    nasId,
  ]);
}

/** The usage_meter_cursor row naming where the router health job stands in accounting_log. */
export const NAS_ACCOUNTING_CURSOR_NAME = 'nas_last_accounting';
/**
 * Rows per GROUP BY. Embedded, the query runs on the AAA server's event loop (better-sqlite3 is
 * synchronous) and the batches of a run follow one another without a turn of the loop in between:
 * at 100,000 rows (~60 ms each) a minute of accounting at 20,000 records/s held the loop ~800 ms, and
 * datagrams waited. 10,000 rows (~6 ms) with a turn between batches keeps the server answering.
 */
export const FOLLOW_BATCH_ROWS = 10_000;
/** Batches per tenant per run (3,000,000 rows, 2.5 minutes at 20,000 records/s): a backlog is caught up over runs. */
const FOLLOW_BATCHES_PER_RUN_MAX = 300;

interface FollowedNasRow {
  nasId: string;
  lastAt: number;
  settledId: number | null;
  lastId: number;
  rowCount: number;
}

/**
 * Moves each NAS's last accounting time forward from the accounting_log rows after the cursor: the
 * new rows are grouped by NAS in batches by primary key (read outside a transaction, so the AAA
 * writer is never held up), then one short transaction upserts each NAS's latest time (only
 * forward) and the cursor. The cursor stops at the last row received before `settledBeforeMs` (a
 * PostgreSQL row with a lower id can still commit until then); rows after it are read again next
 * time, which changes nothing. Answers the number of NAS updated.
 */
export async function followNasAccounting(tenant: SqlDatabase, settledBeforeMs: number): Promise<number> {
  const cursor = await tenant.get<{ lastLogId: number }>(
    'SELECT last_log_id AS "lastLogId" FROM usage_meter_cursor WHERE name = ?',
    [NAS_ACCOUNTING_CURSOR_NAME],
  );
  const latestByNas = new Map<string, number>();
  let settledId = Number(cursor?.lastLogId ?? 0);
  let afterId = settledId;
  for (let batch = 0; batch < FOLLOW_BATCHES_PER_RUN_MAX; batch += 1) {
    if (batch > 0) await yieldToEventLoop();
    const groups = await tenant.all<FollowedNasRow>(
      `SELECT nas_id AS "nasId", MAX(received_at) AS "lastAt",
              MAX(CASE WHEN received_at < ? THEN id END) AS "settledId", MAX(id) AS "lastId", COUNT(*) AS "rowCount"
         FROM (SELECT id, nas_id, received_at FROM accounting_log WHERE id > ? ORDER BY id LIMIT ?) batch
        GROUP BY nas_id`,
      [settledBeforeMs, afterId, FOLLOW_BATCH_ROWS],
    );
    let rows = 0;
    for (const group of groups) {
      const lastAt = Number(group.lastAt);
      latestByNas.set(group.nasId, Math.max(latestByNas.get(group.nasId) ?? lastAt, lastAt));
      if (group.settledId !== null) settledId = Math.max(settledId, Number(group.settledId));
      afterId = Math.max(afterId, Number(group.lastId));
      rows += Number(group.rowCount);
    }
    if (rows < FOLLOW_BATCH_ROWS) break;
  }
  await tenant.transaction(async (transaction) => {
    for (const [nasId, lastAt] of latestByNas) {
      await transaction.run(
        `INSERT INTO nas_last_accounting (nas_id, last_accounting_at) VALUES (?, ?)
         ON CONFLICT (nas_id) DO UPDATE SET last_accounting_at = excluded.last_accounting_at
          WHERE excluded.last_accounting_at > nas_last_accounting.last_accounting_at`,
        [nasId, lastAt],
      );
    }
    await transaction.run(
      `INSERT INTO usage_meter_cursor (name, last_log_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_log_id = excluded.last_log_id, updated_at = excluded.updated_at`,
      [NAS_ACCOUNTING_CURSOR_NAME, settledId, settledBeforeMs],
    );
  });
  return latestByNas.size;
}

/** When the NAS's last accounting record reached its ISP (as the router health job last followed the log). */
export async function lastAccountingAtOf(tenant: SqlDatabase, nasId: string): Promise<number | null> {
  const row = await tenant.get<{ lastAt: number }>(
    'SELECT last_accounting_at AS "lastAt" FROM nas_last_accounting WHERE nas_id = ?',
    [nasId],
  );
  return row === undefined ? null : Number(row.lastAt);
}

interface AlertRow {
  isRaised: number;
  raisedAt: number | null;
  clearedAt: number | null;
  lastOwnerSmsAt: number | null;
  isOwnerTold: number;
}

export async function readNasAlert(platform: SqlDatabase, nasId: string): Promise<NasAlertState | null> {
  const row = await platform.get<AlertRow>(
    `SELECT is_raised AS "isRaised", raised_at AS "raisedAt", cleared_at AS "clearedAt",
            last_owner_sms_at AS "lastOwnerSmsAt", is_owner_told AS "isOwnerTold"
       FROM nas_alerts WHERE nas_id = ?`,
    [nasId],
  );
  if (!row || row.raisedAt === null) return null;
  return {
    isRaised: row.isRaised === 1,
    raisedAtMs: row.raisedAt,
    clearedAtMs: row.clearedAt,
    lastOwnerSmsAtMs: row.lastOwnerSmsAt,
    isOwnerToldOfThisAlert: row.isOwnerTold === 1,
  };
}

/**
 * Applies a raise or clear only if the stored state is still the one decided on (`is_raised` as
 * read), so two nodes deciding at once apply it once; true when this call applied it. A raise opens
 * a history period, a clear closes it.
 */
export async function applyNasAlertDecision(
  platform: SqlDatabase,
  nas: { nasId: string; tenantId: string },
  decision: Exclude<NasAlertDecision, { action: 'none' }>,
): Promise<boolean> {
  const { alert } = decision;
  const wasRaised = decision.action === 'clear' ? 1 : 0;
  return platform.transaction(async (transaction) => {
    await transaction.run(
      `INSERT INTO nas_alerts (nas_id, tenant_id, is_raised, is_owner_told) VALUES (?, ?, 0, 0)
       ON CONFLICT (nas_id) DO NOTHING`,
      [nas.nasId, nas.tenantId],
    );
    const { changes } = await transaction.run(
      `UPDATE nas_alerts SET is_raised = ?, raised_at = ?, cleared_at = ?, last_owner_sms_at = ?, is_owner_told = ?
        WHERE nas_id = ? AND is_raised = ?`,
      [
        alert.isRaised ? 1 : 0,
        alert.raisedAtMs,
        alert.clearedAtMs,
        alert.lastOwnerSmsAtMs,
        alert.isOwnerToldOfThisAlert ? 1 : 0,
        nas.nasId,
        wasRaised,
      ],
    );
    if (changes === 0) return false;
    if (decision.action === 'raise') {
      await transaction.run(
        'INSERT INTO nas_alert_history (id, tenant_id, nas_id, raised_at, cleared_at) VALUES (?, ?, ?, ?, NULL)',
        [newId('nasAlert'), nas.tenantId, nas.nasId, alert.raisedAtMs],
      );
    } else {
      await transaction.run(
        'UPDATE nas_alert_history SET cleared_at = ? WHERE nas_id = ? AND cleared_at IS NULL',
        [alert.clearedAtMs, nas.nasId],
      );
    }
    return true;
  });
}

export interface RaisedAlert {
  nasId: string;
  name: string;
  raisedAt: number;
  hasSnmp: number;
}

/** The ISP's routers with an alert up now, for the console banner. */
export function raisedAlertsOf(platform: SqlDatabase, tenantId: string): Promise<RaisedAlert[]> {
  return platform.all<RaisedAlert>(
    `SELECT nas_alerts.nas_id AS "nasId", nas_devices.name, nas_alerts.raised_at AS "raisedAt",
            CASE WHEN nas_health.snmp_community_sealed IS NULL THEN 0 ELSE 1 END AS "hasSnmp"
       FROM nas_alerts JOIN nas_devices ON nas_devices.id = nas_alerts.nas_id
       LEFT JOIN nas_health ON nas_health.nas_id = nas_alerts.nas_id
      WHERE nas_alerts.tenant_id = ? AND nas_alerts.is_raised = 1
      ORDER BY nas_devices.name, nas_alerts.nas_id`,
    [tenantId],
  );
}

/** Up and down counts over every ISP, for the platform live view. */
export async function nasUpDownCounts(platform: SqlDatabase): Promise<{ total: number; down: number }> {
  const row = await platform.get<{ total: number; down: number }>(
    `SELECT (SELECT COUNT(*) FROM nas_devices) AS total,
            (SELECT COUNT(*) FROM nas_alerts WHERE is_raised = 1) AS down`,
  );
  return { total: Number(row?.total ?? 0), down: Number(row?.down ?? 0) };
}

/** Queues one SMS to the ISP owner in the tenant's outbox (the notifications job sends it). */
export async function queueOwnerSms(
  tenant: SqlDatabase,
  message: { dedupeKey: string; recipient: string; body: string; nasId: string },
  nowMs: number,
): Promise<void> {
  await tenant.run(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', 'nas_alert', ?, ?, ?, 'pending', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.dedupeKey, `owner:${message.nasId}`, message.recipient, message.body, nowMs],
  );
}
