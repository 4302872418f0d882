// Access-Request decisions kept for "why is this client offline?" (issue 12), written off the hot
// path: the intake folds each decision into memory (never awaited, never blocking a reply): a repeat of
// the subject's latest decision only bumps its count, so a timer writes one row per distinct decision
// (or one UPDATE of the row it repeats), one transaction per tenant, keeping the last 50 per login name.
import type { SqlDatabase } from '@kiunga/schemas';

/**
 * Distinct decisions waiting at once (repeats of a waiting one cost nothing more): about 2 s of 5,000
 * different logins/s; past it new ones are dropped and counted.
 */
export const DECISION_BUFFER_MAX = 10_000;
/**
 * How long after a row's first decision an equal one (same subject, NAS, MAC, result and reason) is
 * folded into it instead of making a new row: a client retrying a refused login every few seconds is
 * one line "rejected 40 times since 14:02" instead of 40 of the subject's 50 kept rows, while a row
 * never spans more than 10 minutes, so the table still shows when attempts happened to that precision.
 */
export const DECISION_COALESCE_WINDOW_MS = 10 * 60_000;
/**
 * Subjects whose latest decision this process remembers for coalescing (about 200 bytes each, so
 * ~20 MB at most); past it the memory is cleared and the next decision of each makes a new row.
 */
export const LATEST_DECISIONS_MAX = 100_000;
/** Rows per batched UPDATE: 200 rows of 3 values, far below both databases' parameter limits. */
const DECISION_ROWS_PER_UPDATE = 200;
/** How often the buffer is written: a person asking "why" looks seconds later, not milliseconds. */
export const DECISION_FLUSH_INTERVAL_MS = 1_000;
/**
 * A row's later repeats (its count and last time) are written every this many timed flushes, not every
 * flush: a new decision still shows within a second, its count within 10 s. Each repeat write is an
 * UPDATE of a row and of its last_at index entry; at 2,000 repeat logins/s of 5,000 vouchers, writing them
 * every second was ~2.5 µs of each Access-Request's CPU (issue 8 item 15), every 10 s a quarter of that.
 */
export const DECISION_REPEAT_WRITE_EVERY_FLUSHES = 10;
/** Decisions kept per login name: enough to see a pattern of rejects, bounded per subject (issue 12). */
export const DECISIONS_PER_SUBJECT_MAX = 50;
/** Rows per INSERT: 200 rows of 6 values is far below SQLite's 32,766 parameters. */
const DECISION_ROWS_PER_INSERT = 200;
/** Names per counting statement: 500 parameters, far below both databases' limits. */
const DECISION_NAMES_PER_COUNT = 500;
/**
 * Login names whose kept-row count this process remembers (about 100 bytes each, so ~10 MB at most);
 * past it the memory is cleared and names are counted again when next seen, as after a restart.
 */
export const KEPT_COUNTS_MAX = 100_000;
/**
 * How long a decision timed by the NAS (Event-Timestamp) is remembered, so that the same request
 * retransmitted after the duplicate cache's 5 s (intake/duplicate-cache.ts) is not logged twice: a
 * RouterOS NAS gives up on a request after its timeout × retries, well inside this.
 */
export const DECISION_REPEAT_WINDOW_MS = 30_000;
/** Remembered NAS-timed decisions per window at most; a full window starts the next one early. */
const DECISION_REPEAT_KEYS_MAX = 100_000;

export interface AccessDecisionEntry {
  tenantId: string;
  decidedAtMs: number;
  username: string;
  nasId: string;
  macAddress: string;
  result: 'accept' | 'reject';
  reasonCode: string | null;
  /** True when decidedAtMs is the NAS's Event-Timestamp: then a repeat of it is the same request. */
  isNasEventTime?: boolean;
}

/** One row of the log as this process knows it: a decision, how often it repeated and what is unwritten. */
interface DecisionGroup {
  readonly entry: AccessDecisionEntry;
  lastAtMs: number;
  /** Decisions folded in since the last write (the row's repeat_count grows by this). */
  unwrittenCount: number;
  /** The row's id once inserted; undefined while it waits for its INSERT. */
  rowId: number | undefined;
  isQueued: boolean;
}

/** A group's share of one flush: what to add to its row (taken at the flush, so later repeats wait). */
export interface DecisionWrite {
  entry: AccessDecisionEntry;
  rowId: number | undefined;
  count: number;
  lastAtMs: number;
}

export class DecisionLog {
  /** Groups with unwritten decisions, in the order they first had some. */
  private queue: DecisionGroup[] = [];
  /**
   * Groups in the queue that wait for their row's INSERT (the buffer bound counts these: a repeat of a
   * row already written only waits to add its count, and is bounded by the latest-decision map).
   */
  private newQueuedCount = 0;
  /**
   * Each subject's latest decision, per tenant then login name (no key string built per request): a
   * decision equal to it within the window is folded in. Per process: after a restart, or beside
   * another AAA node writing the same subject, the next decision makes a new row (one extra row, never
   * a wrong count).
   */
  private latest = new Map<string, Map<string, DecisionGroup>>();
  private latestCount = 0;
  private droppedCount = 0;
  private writtenCount = 0;
  private repeatedCount = 0;
  private writing: Promise<void> | undefined;
  /**
   * Rows each login name has in its tenant's table as far as this process knows (counted when first
   * seen, then kept up to date by what it writes and trims), keyed tenant + NUL + name. A flush counts
   * and trims only names it does not know or knows to be past the bound, instead of counting every
   * name it wrote (that count was ~1/4 of the log's cost at 2,000 repeat logins/s). Another AAA node
   * writing the same tenant is not seen: it trims what it wrote itself, so a name holds at most 50
   * rows per node between trims, and readers take the newest 50 (diagnostics/store.ts).
   */
  private readonly keptCounts = new Map<string, number>();
  private repeatKeys = new Set<string>();
  private previousRepeatKeys = new Set<string>();
  private repeatWindowStartMs: number | undefined;
  /** Timed flushes since the last one that wrote the repeats too (see DECISION_REPEAT_WRITE_EVERY_FLUSHES). */
  private flushesWithoutRepeats = 0;

  constructor(
    private readonly databaseOf: (tenantId: string) => SqlDatabase,
    private readonly onWriteError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Appends a decision; when the buffer is full it is dropped and counted (the reply never waits). A
   * decision timed by the NAS and identical to one seen in the last 30 s is a late retransmission of
   * the same request, and is counted as repeated instead of logged again.
   */
  record(entry: AccessDecisionEntry): void {
    if (entry.isNasEventTime === true && this.isRepeat(entry)) {
      this.repeatedCount += 1;
      return;
    }
    const latestOfTenant = this.latest.get(entry.tenantId);
    const latest = latestOfTenant?.get(entry.username);
    if (latest !== undefined && isFoldable(latest.entry, entry)) {
      latest.unwrittenCount += 1;
      if (entry.decidedAtMs > latest.lastAtMs) latest.lastAtMs = entry.decidedAtMs;
      if (!latest.isQueued) {
        latest.isQueued = true;
        this.queue.push(latest);
      }
      return;
    }
    if (this.newQueuedCount >= DECISION_BUFFER_MAX) {
      this.droppedCount += 1;
      return;
    }
    const group: DecisionGroup = {
      entry,
      lastAtMs: entry.decidedAtMs,
      unwrittenCount: 1,
      rowId: undefined,
      isQueued: true,
    };
    this.queue.push(group);
    this.newQueuedCount += 1;
    this.rememberLatest(latestOfTenant, group);
  }

  private rememberLatest(latestOfTenant: Map<string, DecisionGroup> | undefined, group: DecisionGroup): void {
    let subjects = latestOfTenant;
    if (this.latestCount >= LATEST_DECISIONS_MAX) {
      this.latest = new Map();
      this.latestCount = 0;
      subjects = undefined;
    }
    if (subjects === undefined) {
      subjects = new Map();
      this.latest.set(group.entry.tenantId, subjects);
    }
    const previousSize = subjects.size;
    subjects.set(group.entry.username, group);
    this.latestCount += subjects.size - previousSize;
  }

  /** Decisions not logged because they repeated one the NAS had already timed (late retransmissions). */
  get repeated(): number {
    return this.repeatedCount;
  }

  private isRepeat(entry: AccessDecisionEntry): boolean {
    const startMs = this.repeatWindowStartMs;
    if (
      startMs === undefined ||
      entry.decidedAtMs - startMs >= DECISION_REPEAT_WINDOW_MS ||
      entry.decidedAtMs < startMs - DECISION_REPEAT_WINDOW_MS ||
      this.repeatKeys.size >= DECISION_REPEAT_KEYS_MAX
    ) {
      this.previousRepeatKeys = this.repeatKeys;
      this.repeatKeys = new Set();
      this.repeatWindowStartMs = entry.decidedAtMs;
    }
    const key = `${entry.tenantId}\0${entry.decidedAtMs}\0${entry.nasId}\0${entry.username}\0${entry.macAddress}\0${entry.result}\0${entry.reasonCode ?? ''}`;
    if (this.repeatKeys.has(key) || this.previousRepeatKeys.has(key)) return true;
    this.repeatKeys.add(key);
    return false;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get written(): number {
    return this.writtenCount;
  }

  private keptCountsOf(tenantId: string): KeptCounts {
    const prefix = `${tenantId}\0`;
    return {
      get: (username) => this.keptCounts.get(prefix + username),
      set: (username, count) => {
        if (this.keptCounts.size >= KEPT_COUNTS_MAX) this.keptCounts.clear();
        this.keptCounts.set(prefix + username, count);
      },
    };
  }

  private forgetTenant(tenantId: string): void {
    const prefix = `${tenantId}\0`;
    for (const key of this.keptCounts.keys()) if (key.startsWith(prefix)) this.keptCounts.delete(key);
  }

  /** Writes what is buffered now (one write at a time; a call during a write waits for it, then writes). */
  flush(): Promise<void> {
    return this.write(true);
  }

  /** The timer's flush: new decisions always, repeats of rows already written every 10th call. */
  flushDue(): Promise<void> {
    this.flushesWithoutRepeats += 1;
    const isRepeatWriteDue = this.flushesWithoutRepeats >= DECISION_REPEAT_WRITE_EVERY_FLUSHES;
    if (isRepeatWriteDue) this.flushesWithoutRepeats = 0;
    return this.write(isRepeatWriteDue);
  }

  private async write(isWithRepeats: boolean): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.queue.length === 0) return;
    const queued = this.queue;
    this.queue = [];
    // Every group waiting for its INSERT goes into this write.
    this.newQueuedCount = 0;
    let batch = queued;
    if (!isWithRepeats) {
      // Groups whose row exists stay queued (their repeats keep folding in) for a later flush.
      batch = [];
      for (const group of queued) {
        if (group.rowId === undefined) batch.push(group);
        else this.queue.push(group);
      }
      if (batch.length === 0) return;
    }
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private async writeBatch(batch: DecisionGroup[]): Promise<void> {
    const byTenant = new Map<string, Array<{ group: DecisionGroup; write: DecisionWrite }>>();
    for (const group of batch) {
      // Taken now: repeats arriving during the write queue the group again for the next flush.
      const write = {
        entry: group.entry,
        rowId: group.rowId,
        count: group.unwrittenCount,
        lastAtMs: group.lastAtMs,
      };
      group.unwrittenCount = 0;
      group.isQueued = false;
      const tenantWrites = byTenant.get(group.entry.tenantId);
      if (tenantWrites) tenantWrites.push({ group, write });
      else byTenant.set(group.entry.tenantId, [{ group, write }]);
    }
    for (const [tenantId, tenantWrites] of byTenant) {
      const writes = tenantWrites.map(({ write }) => write);
      try {
        await this.databaseOf(tenantId).transaction((transaction) =>
          writeDecisions(transaction, writes, this.keptCountsOf(tenantId)),
        );
        for (const { group, write } of tenantWrites) {
          group.rowId = write.rowId;
          this.writtenCount += write.count;
        }
      } catch (error) {
        // What was known of this tenant's counts may not have been committed: count its names again.
        this.forgetTenant(tenantId);
        // A tenant whose database fails loses this batch of decisions only: they are a diagnostic aid.
        for (const { write } of tenantWrites) this.droppedCount += write.count;
        this.onWriteError(error);
      }
    }
  }
}

/**
 * What this process knows of one tenant's rows per login name: `get`/`set` of a count, undefined for a
 * name not counted yet.
 */
export interface KeptCounts {
  get(username: string): number | undefined;
  set(username: string, count: number): void;
}

/** Whether a decision repeats the row's first one closely enough to be counted in that row. */
function isFoldable(row: AccessDecisionEntry, next: AccessDecisionEntry): boolean {
  return (
    next.nasId === row.nasId &&
    next.macAddress === row.macAddress &&
    next.result === row.result &&
    next.reasonCode === row.reasonCode &&
    next.decidedAtMs - row.decidedAtMs < DECISION_COALESCE_WINDOW_MS &&
    next.decidedAtMs >= row.decidedAtMs
  );
}

/**
 * Writes one tenant's share of a flush: rows already in the table get their repeat_count and last_at
 * bumped (one batched UPDATE per 200), new decisions are inserted with their count, and their ids are
 * set on the writes. Then each login name that gained rows is trimmed to its last 50. With `known`,
 * names whose count is known and stays within the bound are neither counted nor trimmed.
 */
export async function writeDecisions(
  transaction: SqlDatabase,
  writes: readonly DecisionWrite[],
  known?: KeptCounts,
): Promise<void> {
  const repeats = writes.filter((write) => write.rowId !== undefined);
  for (let start = 0; start < repeats.length; start += DECISION_ROWS_PER_UPDATE) {
    const rows = repeats.slice(start, start + DECISION_ROWS_PER_UPDATE);
    // UPDATE … FROM (VALUES …): SQLite since 3.33 (sqlite.org/lang_update.html §2.2 "UPDATE FROM") and
    // PostgreSQL; a VALUES list's columns are named column1, column2, … in both.
    await transaction.run(
      `UPDATE access_decisions
          SET repeat_count = repeat_count + added.column2,
              last_at = CASE WHEN added.column3 > last_at THEN added.column3 ELSE last_at END
         FROM (VALUES ${rows.map(() => '(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ')}) AS added
        WHERE access_decisions.id = added.column1`,
      rows.flatMap((row) => [row.rowId ?? null, row.count, row.lastAtMs]),
    );
  }
  const inserts = writes.filter((write) => write.rowId === undefined);
  for (let start = 0; start < inserts.length; start += DECISION_ROWS_PER_INSERT) {
    const rows = inserts.slice(start, start + DECISION_ROWS_PER_INSERT);
    const ids = await transaction.column<number>(
      `INSERT INTO access_decisions
         (decided_at, username, nas_id, mac_address, result, reason_code, repeat_count, last_at)
       VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING id`,
      rows.flatMap((row) => [
        row.entry.decidedAtMs,
        row.entry.username,
        row.entry.nasId,
        row.entry.macAddress,
        row.entry.result,
        row.entry.reasonCode,
        row.count,
        row.lastAtMs,
      ]),
    );
    // Ids come back in the order of VALUES (one autoincrement per row, assigned as the rows are
    // inserted); sorted anyway so the pairing does not rest on RETURNING's order.
    const sortedIds = ids.map(Number).sort((left, right) => left - right);
    rows.forEach((row, index) => {
      row.rowId = sortedIds[index];
    });
  }
  // Only names now past the bound are trimmed: one counting statement per chunk of names instead of a
  // DELETE per name (a DELETE per name cost ~20 µs each and, at 2,000 logins/s of different vouchers,
  // blocked the event loop ~40 ms every flush: +40 µs CPU per Access-Request and a p99 of 80 ms).
  const addedPerName = new Map<string, number>();
  for (const { entry } of inserts) {
    addedPerName.set(entry.username, (addedPerName.get(entry.username) ?? 0) + 1);
  }
  const overflowing: string[] = [];
  const uncounted: string[] = [];
  for (const [username, added] of addedPerName) {
    const before = known?.get(username);
    if (before === undefined) uncounted.push(username);
    else if (before + added > DECISIONS_PER_SUBJECT_MAX) overflowing.push(username);
    else known?.set(username, before + added);
  }
  for (let start = 0; start < uncounted.length; start += DECISION_NAMES_PER_COUNT) {
    const chunk = uncounted.slice(start, start + DECISION_NAMES_PER_COUNT);
    const counts = await transaction.all<{ username: string; kept: number }>(
      `SELECT username, COUNT(*) AS kept FROM access_decisions
        WHERE username IN (${chunk.map(() => '?').join(', ')}) GROUP BY username`,
      chunk,
    );
    for (const { username, kept } of counts) {
      const count = Number(kept);
      if (count > DECISIONS_PER_SUBJECT_MAX) overflowing.push(username);
      else known?.set(username, count);
    }
  }
  for (const username of overflowing) {
    known?.set(username, DECISIONS_PER_SUBJECT_MAX);
    await transaction.run(
      `DELETE FROM access_decisions WHERE username = ? AND id < (
         SELECT COALESCE(MIN(id), 0) FROM (
           SELECT id FROM access_decisions WHERE username = ? ORDER BY id DESC LIMIT ?) AS kept)`,
      [username, username, DECISIONS_PER_SUBJECT_MAX],
    );
  }
}
