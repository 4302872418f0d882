// Usage metering (issue 12): a leased job follows each tenant's durable accounting_log from a cursor
// and adds what it meters to the hourly and daily rollups. Exactly once: the rollup increments, the
// meter states and the cursor move in one transaction, so a batch counts wholly or not at all.
// Rollups lag accounting by at most one job period (METERING_CRON) plus the settle time below.
// Between batches the event loop reads what waits (the AAA server's datagrams when embedded).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { type SqlDatabase, servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import {
  COUNTER32_MODULUS,
  type MeteredAccountingRecord,
  type MeteringCounts,
  meterAccountingBatch,
  type SessionMeterState,
  sessionKeyOf,
  type UsageRollupIncrement,
} from './core/index';
import { applyFairUse } from './fair-use.job';
import { type MeterStateCache, meterStateCacheOf } from './meter-state-cache';
import type { MeteringThread } from './metering-thread';
import {
  type AccountingLogRow,
  addRollupIncrements,
  readAccountingAfter,
  readMeterCursor,
  readMeterStates,
  writeMeterCursor,
  writeMeterStates,
} from './store';

/** Every minute: the lag a usage chart or a fair-use throttle can have behind accounting. */
export const METERING_CRON = '* * * * *';
/**
 * Accounting rows per transaction. On SQLite a batch runs without a turn of the event loop (the driver
 * is synchronous), and the AAA server shares that loop when embedded: a batch costs about 30 µs of CPU
 * per row (ops/bench/metering/README.md), so 2,000 rows hold the loop ~60 ms, while ~1,200 datagrams
 * wait at 20,000 interims/s (the AAA socket's 4 MiB receive buffer holds several thousand); before, batches of 5,000
 * ran back to back without a turn, so a run of 1,000,000 rows held the loop ~30 s.
 */
export const METERING_BATCH_MAX = 2_000;
/**
 * Rows per transaction on the metering worker thread (metering.worker.ts). There a batch holds the
 * shard's write gate for its writes, ~15 µs a row, while the AAA server's accounting commits on the
 * main thread wait for it: catching up a minute of accounting, 2,000-row batches (~30 ms, up to 130 ms
 * under load) left the accounting writer one commit of at most ACCOUNTING_BATCH_MAX records every
 * ~60 ms, under 20,000 records/s. 500 rows hold the gate a few milliseconds.
 */
export const METERING_WORKER_BATCH_MAX = 500;
/**
 * Rows per tenant per run: a minute of accounting at 20,000 interims/s is 1,200,000 rows, so one run
 * keeps up with it with room for a backlog; a larger backlog is caught up over runs.
 */
export const METERING_ROWS_PER_RUN_MAX = 3_000_000;
/**
 * Rows younger than this are left for the next run. On PostgreSQL an identity id is taken at insert
 * and seen at commit, so a lower id can appear after a higher one; a transaction lives at most 30 s
 * (idle_in_transaction_session_timeout, docs/database.md), so after 60 s none can still appear.
 */
export const METERING_SETTLE_MS = 60_000;

/** RFC 2866 section 5.1 Acct-Status-Type: Start 1, Stop 2, Interim-Update 3; others carry no usage. */
const METERED_STATUSES: Record<number, MeteredAccountingRecord['status']> = {
  1: 'start',
  2: 'stop',
  3: 'interim',
};

export interface MeteringRunResult {
  rows: number;
  counts: MeteringCounts;
  /** Subjects whose usage grew (for fair use), as "kind:id". */
  touchedSubjects: Set<string>;
  /** The longest a batch's write transaction lasted (ms), from BEGIN IMMEDIATE to COMMIT. */
  writeLockHeldMaxMs?: number;
}

/** What one run did across tenants (logged by the job runner). */
export interface UsageJobResult {
  tenants: number;
  rows: number;
  counted: number;
  fairUseChanges: number;
  /** The thread that metered (worker_threads threadId; 0: the main thread), null when no tenant ran. */
  meteringThreadId: number | null;
  /** The longest a metering batch held the tenant database's write lock (ms). */
  writeLockHeldMaxMs: number;
}

/**
 * Meters every served tenant's new accounting, then applies fair use to the subjects it touched. With a
 * `meteringThread` (embedded SQLite) the metering runs on that worker; fair use stays here (it goes
 * through the AAA control of this process).
 */
export async function meterUsage(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock' | 'aaa'>,
  meteringThread: MeteringThread | null = null,
): Promise<UsageJobResult> {
  const result: UsageJobResult = {
    tenants: 0,
    rows: 0,
    counted: 0,
    fairUseChanges: 0,
    meteringThreadId: null,
    writeLockHeldMaxMs: 0,
  };
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const database = dependencies.databases.forTenant(tenantId);
    const metered =
      meteringThread === null
        ? {
            ...(await meterTenantAccounting(database, dependencies.clock.now(), {
              stateCache: meterStateCacheOf(dependencies.databases, tenantId),
            })),
            threadId: threadId,
          }
        : await meteringThread.meterTenant(tenantId, dependencies.clock.now());
    result.meteringThreadId = metered.threadId;
    result.writeLockHeldMaxMs = Math.max(result.writeLockHeldMaxMs, metered.writeLockHeldMaxMs ?? 0);
    const changes = await applyFairUse(
      database,
      dependencies.aaa,
      tenantId,
      metered.touchedSubjects,
      dependencies.clock.now(),
    );
    result.tenants += 1;
    result.rows += metered.rows;
    result.counted += metered.counts.counted;
    result.fairUseChanges += changes.length;
  }
  return result;
}

export interface MeteringOptions {
  /** Rows per transaction: METERING_BATCH_MAX unless a test asks for fewer. */
  readonly batchMax?: number;
  /** The states this process last committed for the tenant (meter-state-cache.ts); none: all are read. */
  readonly stateCache?: MeterStateCache;
  /** Read and meter before taking the write lock (see meterBatch): the metering worker on SQLite. */
  readonly isReadBeforeWriteLock?: boolean;
}

/**
 * Meters one tenant's settled accounting rows after its cursor, a batch per transaction, with a turn of
 * the event loop between batches.
 */
export async function meterTenantAccounting(
  database: SqlDatabase,
  nowMs: number,
  options: MeteringOptions = {},
): Promise<MeteringRunResult> {
  const batchMax = options.batchMax ?? METERING_BATCH_MAX;
  const stateCache = options.stateCache;
  const total: MeteringRunResult = {
    rows: 0,
    counts: { counted: 0, duplicate: 0, late: 0, stale: 0, invalid: 0 },
    touchedSubjects: new Set(),
  };
  const batchesMax = Math.ceil(METERING_ROWS_PER_RUN_MAX / batchMax);
  for (let batch = 0; batch < batchesMax; batch += 1) {
    if (batch > 0) await yieldToEventLoop();
    let metered: BatchResult;
    try {
      const outcome = await meterBatch(
        database,
        nowMs,
        batchMax,
        stateCache,
        options.isReadBeforeWriteLock ?? false,
      );
      metered = outcome.batch;
      total.writeLockHeldMaxMs = Math.max(total.writeLockHeldMaxMs ?? 0, outcome.writeLockHeldMs);
    } catch (error) {
      stateCache?.forget();
      throw error;
    }
    // Only once committed: what a rolled-back batch computed was never stored.
    if (metered.cursorAfter !== null) stateCache?.remember(metered.cursorAfter, metered.sessionStates);
    total.rows += metered.rows;
    for (const outcome of Object.keys(total.counts) as Array<keyof MeteringCounts>) {
      total.counts[outcome] += metered.counts[outcome];
    }
    for (const subject of metered.touchedSubjects) total.touchedSubjects.add(subject);
    if (!metered.hasMore) break;
  }
  return total;
}

/**
 * One batch's result; `hasMore`: it was full and settled, so more may be waiting; `cursorAfter` and
 * `sessionStates`: the cursor and the meter states it wrote (null and none when it wrote nothing).
 */
type BatchResult = MeteringRunResult & {
  hasMore: boolean;
  cursorAfter: number | null;
  sessionStates: ReadonlyMap<string, SessionMeterState>;
};

/** A batch read and metered, not yet written: `cursor` is where it started. */
interface PreparedBatch {
  cursor: number;
  result: BatchResult;
  increments: readonly UsageRollupIncrement[];
}

/** Thrown when another run moved the cursor between a batch's read and its write (nothing written). */
export class MeteringCursorMovedError extends Error {}

/**
 * Meters one batch. By default it reads and writes in one transaction. `isReadBeforeWriteLock`: it reads
 * and meters first, then takes SQLite's write lock only for the writes (checking that the cursor did not
 * move meanwhile): the metering worker shares the shard file with the AAA server's accounting writer,
 * whose commit waits (blocking its thread) while the lock is held. The rows after the cursor never change
 * (the log is append-only and the settle time keeps the cursor behind any row still to appear).
 */
async function meterBatch(
  database: SqlDatabase,
  nowMs: number,
  batchMax: number,
  stateCache: MeterStateCache | undefined,
  isReadBeforeWriteLock: boolean,
): Promise<{ batch: BatchResult; writeLockHeldMs: number }> {
  const prepared = isReadBeforeWriteLock ? await prepareBatch(database, nowMs, batchMax, stateCache) : null;
  if (prepared !== null && prepared.result.rows === 0) return { batch: prepared.result, writeLockHeldMs: 0 };
  const lockedAtMs = performance.now();
  const batch = await database.transaction(async (transaction) => {
    const batchToWrite = prepared ?? (await prepareBatch(transaction, nowMs, batchMax, stateCache));
    if (prepared !== null && (await readMeterCursor(transaction)) !== prepared.cursor) {
      throw new MeteringCursorMovedError(
        'another metering run moved the cursor; this batch is left to the next run',
      );
    }
    if (batchToWrite.result.rows > 0) await writeBatch(transaction, batchToWrite, nowMs);
    return batchToWrite.result;
  });
  return { batch, writeLockHeldMs: performance.now() - lockedAtMs };
}

async function prepareBatch(
  database: SqlDatabase,
  nowMs: number,
  batchMax: number,
  stateCache: MeterStateCache | undefined,
): Promise<PreparedBatch> {
  const cursor = await readMeterCursor(database);
  const fetched = await readAccountingAfter(database, cursor, batchMax);
  // Stop at the first row still within the settle time: the cursor never passes a row it did not see.
  const settledCount = fetched.findIndex((row) => row.receivedAt > nowMs - METERING_SETTLE_MS);
  const rows = settledCount === -1 ? fetched : fetched.slice(0, settledCount);
  if (rows.length === 0) {
    return {
      cursor,
      increments: [],
      result: {
        rows: 0,
        counts: { counted: 0, duplicate: 0, late: 0, stale: 0, invalid: 0 },
        touchedSubjects: new Set(),
        hasMore: false,
        cursorAfter: null,
        sessionStates: new Map(),
      },
    };
  }
  const records = rows.flatMap((row) => {
    const record = toMeteredRecord(row);
    return record === null ? [] : [record];
  });
  const sessionKeys = [...new Set(records.map(sessionKeyOf))];
  const { known: states, unknown } = stateCache?.recall(cursor, sessionKeys, nowMs) ?? {
    known: new Map<string, SessionMeterState>(),
    unknown: sessionKeys,
  };
  for (const [key, state] of await readMeterStates(database, unknown)) states.set(key, state);
  const metered = meterAccountingBatch(records, states);
  const touchedSubjects = new Set(
    records.flatMap((record) =>
      record.subject === null ? [] : [`${record.subject.kind}:${record.subject.id}`],
    ),
  );
  return {
    cursor,
    increments: metered.increments,
    result: {
      rows: rows.length,
      counts: metered.counts,
      touchedSubjects,
      hasMore: rows.length === batchMax,
      cursorAfter: rows[rows.length - 1]?.id ?? cursor,
      sessionStates: metered.sessionStates,
    },
  };
}

async function writeBatch(transaction: SqlDatabase, prepared: PreparedBatch, nowMs: number): Promise<void> {
  await addRollupIncrements(transaction, prepared.increments);
  await writeMeterStates(transaction, prepared.result.sessionStates);
  await writeMeterCursor(transaction, prepared.result.cursorAfter ?? prepared.cursor, nowMs);
}

/**
 * A logged row as the meter reads it. The log keeps Gigawords × 2^32 + Octets folded into one number
 * and the receive time only (no Acct-Delay-Time or Event-Timestamp): the fold is split back exactly,
 * and the receive time stands for the event time (a retransmission within the meter's 5 s anchor
 * tolerance is still recognised as a duplicate).
 */
function toMeteredRecord(row: AccountingLogRow): MeteredAccountingRecord | null {
  const status = METERED_STATUSES[row.statusType];
  if (status === undefined || row.acctSessionId === null) return null;
  const inputOctets = row.inputOctets ?? 0;
  const outputOctets = row.outputOctets ?? 0;
  return {
    nasId: row.nasId,
    acctSessionId: row.acctSessionId,
    subject:
      row.subjectKind === null || row.subjectKind === 'guest_pass' || row.subjectId === null
        ? null
        : { kind: row.subjectKind, id: row.subjectId },
    planId: row.planId,
    status,
    inputOctets: inputOctets % COUNTER32_MODULUS,
    inputGigawords: Math.floor(inputOctets / COUNTER32_MODULUS),
    outputOctets: outputOctets % COUNTER32_MODULUS,
    outputGigawords: Math.floor(outputOctets / COUNTER32_MODULUS),
    sessionSeconds: row.sessionTimeSeconds ?? 0,
    eventTimeMs: row.receivedAt,
  };
}
