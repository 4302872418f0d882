// Accounting records are written in batches (one transaction per tenant per turn of the event
// loop) and each caller learns only after its record is durable, so the response can follow.
import { newId, type ShardRegistry, type TenantShard } from '@kiunga/schemas';

/** Records per flush: bounds the time one transaction holds the event loop. */
export const ACCOUNTING_BATCH_MAX = 1_000;
/** Records waiting at once; past this new ones are refused (the NAS retransmits later). */
export const ACCOUNTING_QUEUE_MAX = 50_000;

export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

export interface AccountingRecord {
  tenantId: string;
  nasId: string;
  statusType: number;
  receivedAtMs: number;
  acctSessionId: string;
  username: string;
  subjectKind: 'voucher' | 'subscriber' | null;
  subjectId: string | null;
  callingStationId: string;
  framedIp: string | null;
  nasPortId: string | null;
  inputOctets: number;
  outputOctets: number;
  inputPackets: number;
  outputPackets: number;
  sessionTimeSeconds: number;
  terminateCause: number | null;
  interimIntervalSeconds: number;
}

export interface AccountingOutcome {
  /** The stored session's id, for session records that name a known subject. */
  sessionId: string | null;
}

interface Pending {
  record: AccountingRecord;
  resolve: (outcome: AccountingOutcome) => void;
  reject: (error: unknown) => void;
}

export class AccountingQueueFullError extends Error {}

export class AccountingWriter {
  private queue: Pending[] = [];
  private isFlushScheduled = false;
  private recordsWritten = 0;

  constructor(private readonly shards: ShardRegistry) {}

  submit(record: AccountingRecord): Promise<AccountingOutcome> {
    if (this.queue.length >= ACCOUNTING_QUEUE_MAX) {
      return Promise.reject(new AccountingQueueFullError('accounting queue is full'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.scheduleFlush();
    });
  }

  get written(): number {
    return this.recordsWritten;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes everything queued now; used at shutdown. */
  flushNow(): void {
    while (this.queue.length > 0) {
      this.flushBatch();
    }
  }

  private scheduleFlush(): void {
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    // setImmediate runs after the poll phase, so every datagram read this turn joins the batch.
    setImmediate(() => {
      this.isFlushScheduled = false;
      this.flushBatch();
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  private flushBatch(): void {
    const batch = this.queue.splice(0, ACCOUNTING_BATCH_MAX);
    const byTenant = new Map<string, Pending[]>();
    for (const pending of batch) {
      const group = byTenant.get(pending.record.tenantId);
      if (group) group.push(pending);
      else byTenant.set(pending.record.tenantId, [pending]);
    }
    for (const [tenantId, group] of byTenant) {
      let outcomes: AccountingOutcome[];
      try {
        const shard = this.shards.forTenant(tenantId);
        outcomes = shard.sqlite.transaction(() =>
          group.map((pending) => writeRecord(shard, pending.record)),
        )();
      } catch (error) {
        for (const pending of group) pending.reject(error);
        continue;
      }
      this.recordsWritten += group.length;
      group.forEach((pending, index) => {
        pending.resolve(outcomes[index] ?? { sessionId: null });
      });
    }
  }
}

function writeRecord(shard: TenantShard, record: AccountingRecord): AccountingOutcome {
  shard
    .statement(
      `INSERT INTO accounting_log (received_at, nas_id, status_type, acct_session_id, username, input_octets,
                                   output_octets, session_time_seconds, terminate_cause)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
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
  if (record.statusType === AcctStatus.AccountingOn || record.statusType === AcctStatus.AccountingOff) {
    closeOpenSessionsOfNas(shard, record.nasId, record.receivedAtMs, 'NAS-Reboot');
    return { sessionId: null };
  }
  if (record.subjectKind === null || record.subjectId === null) return { sessionId: null };
  return { sessionId: upsertSession(shard, record) };
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

function upsertSession(shard: TenantShard, record: AccountingRecord): string {
  const isStop = record.statusType === AcctStatus.Stop;
  const startedAtMs = record.receivedAtMs - record.sessionTimeSeconds * 1000;
  // Counters only move forward: a late, reordered interim must not roll octets back.
  const row = shard
    .statement(
      `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, calling_station_id,
                             framed_ip, nas_port_id, status, started_at, updated_at, stopped_at,
                             interim_interval_seconds, input_octets, output_octets, input_packets,
                             output_packets, session_time_seconds, terminate_cause)
       VALUES (@id, @nasId, @acctSessionId, @username, @subjectKind, @subjectId, @callingStationId, @framedIp,
               @nasPortId, @status, @startedAt, @updatedAt, @stoppedAt, @interimIntervalSeconds, @inputOctets,
               @outputOctets, @inputPackets, @outputPackets, @sessionTimeSeconds, @terminateCause)
       ON CONFLICT(nas_id, acct_session_id) DO UPDATE SET
         updated_at = MAX(sessions.updated_at, excluded.updated_at),
         framed_ip = COALESCE(excluded.framed_ip, sessions.framed_ip),
         input_octets = MAX(sessions.input_octets, excluded.input_octets),
         output_octets = MAX(sessions.output_octets, excluded.output_octets),
         input_packets = MAX(sessions.input_packets, excluded.input_packets),
         output_packets = MAX(sessions.output_packets, excluded.output_packets),
         session_time_seconds = MAX(sessions.session_time_seconds, excluded.session_time_seconds),
         status = CASE WHEN sessions.status = 'closed' THEN 'closed' ELSE excluded.status END,
         stopped_at = COALESCE(sessions.stopped_at, excluded.stopped_at),
         terminate_cause = COALESCE(sessions.terminate_cause, excluded.terminate_cause)
       RETURNING id`,
    )
    .get({
      id: newId('session'),
      nasId: record.nasId,
      acctSessionId: record.acctSessionId,
      username: record.username,
      subjectKind: record.subjectKind,
      subjectId: record.subjectId,
      callingStationId: record.callingStationId,
      framedIp: record.framedIp,
      nasPortId: record.nasPortId,
      status: isStop ? 'closed' : 'open',
      startedAt: startedAtMs,
      updatedAt: record.receivedAtMs,
      stoppedAt: isStop ? record.receivedAtMs : null,
      interimIntervalSeconds: record.interimIntervalSeconds,
      inputOctets: record.inputOctets,
      outputOctets: record.outputOctets,
      inputPackets: record.inputPackets,
      outputPackets: record.outputPackets,
      sessionTimeSeconds: record.sessionTimeSeconds,
      terminateCause: isStop ? terminateCauseName(record.terminateCause) : null,
    }) as { id: string };
  return row.id;
}

export function closeOpenSessionsOfNas(
  shard: TenantShard,
  nasId: string,
  nowMs: number,
  cause: string,
): number {
  return shard
    .statement(
      `UPDATE sessions SET status = 'closed', stopped_at = ?, terminate_cause = ?
        WHERE nas_id = ? AND status = 'open'`,
    )
    .run(nowMs, cause, nasId).changes;
}

/** Closes one session that the server gave up on (its interim updates stopped). */
export function closeSessionById(shard: TenantShard, sessionId: string, nowMs: number, cause: string): void {
  shard
    .statement(
      `UPDATE sessions SET status = 'closed', stopped_at = ?, terminate_cause = ? WHERE id = ? AND status = 'open'`,
    )
    .run(nowMs, cause, sessionId);
}

export interface OpenSessionRow {
  id: string;
  nasId: string;
  acctSessionId: string;
  username: string;
  subjectKind: 'voucher' | 'subscriber';
  subjectId: string;
  callingStationId: string;
  framedIp: string | null;
  startedAt: number;
  updatedAt: number;
  interimIntervalSeconds: number;
  inputOctets: number;
  outputOctets: number;
}

/** For rebuilding the session table at start. */
export function readOpenSessions(shard: TenantShard): OpenSessionRow[] {
  return shard
    .statement(
      `SELECT id, nas_id AS nasId, acct_session_id AS acctSessionId, username, subject_kind AS subjectKind,
              subject_id AS subjectId, calling_station_id AS callingStationId, framed_ip AS framedIp,
              started_at AS startedAt, updated_at AS updatedAt, interim_interval_seconds AS interimIntervalSeconds,
              input_octets AS inputOctets, output_octets AS outputOctets
         FROM sessions WHERE status = 'open'`,
    )
    .all() as OpenSessionRow[];
}
