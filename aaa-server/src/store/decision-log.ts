// Access-Request decisions kept for "why is this client offline?" (issue 12), written off the hot
// path: the intake appends to a bounded in-memory buffer (never awaited, never blocking a reply) and
// a timer writes what gathered, one transaction per tenant, keeping the last 50 per login name.
import type { SqlDatabase } from '@kiunga/schemas';

/** Decisions waiting at once: about 2 s at 5,000 Access-Requests/s; past it new ones are dropped and counted. */
export const DECISION_BUFFER_MAX = 10_000;
/** How often the buffer is written: a person asking "why" looks seconds later, not milliseconds. */
export const DECISION_FLUSH_INTERVAL_MS = 1_000;
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

export class DecisionLog {
  private buffer: AccessDecisionEntry[] = [];
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
    if (this.buffer.length >= DECISION_BUFFER_MAX) {
      this.droppedCount += 1;
      return;
    }
    this.buffer.push(entry);
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
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private async writeBatch(batch: AccessDecisionEntry[]): Promise<void> {
    const byTenant = new Map<string, AccessDecisionEntry[]>();
    for (const entry of batch) {
      const group = byTenant.get(entry.tenantId);
      if (group) group.push(entry);
      else byTenant.set(entry.tenantId, [entry]);
    }
    for (const [tenantId, group] of byTenant) {
      try {
        await this.databaseOf(tenantId).transaction((transaction) =>
          writeDecisions(transaction, group, this.keptCountsOf(tenantId)),
        );
        this.writtenCount += group.length;
      } catch (error) {
        // What was known of this tenant's counts may not have been committed: count its names again.
        this.forgetTenant(tenantId);
        // A tenant whose database fails loses this batch of decisions only: they are a diagnostic aid.
        this.droppedCount += group.length;
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

/**
 * Inserts one tenant's decisions and trims each login name in the batch to its last 50. With `known`,
 * names whose count is known and stays within the bound are neither counted nor trimmed.
 */
export async function writeDecisions(
  transaction: SqlDatabase,
  entries: readonly AccessDecisionEntry[],
  known?: KeptCounts,
): Promise<void> {
  for (let start = 0; start < entries.length; start += DECISION_ROWS_PER_INSERT) {
    const rows = entries.slice(start, start + DECISION_ROWS_PER_INSERT);
    await transaction.run(
      `INSERT INTO access_decisions (decided_at, username, nas_id, mac_address, result, reason_code) VALUES ${rows
        .map(() => '(?, ?, ?, ?, ?, ?)')
        .join(', ')}`,
      rows.flatMap((row) => [
        row.decidedAtMs,
        row.username,
        row.nasId,
        row.macAddress,
        row.result,
        row.reasonCode,
      ]),
    );
  }
  // Only names now past the bound are trimmed: one counting statement per chunk of names instead of a
  // DELETE per name (a DELETE per name cost ~20 µs each and, at 2,000 logins/s of different vouchers,
  // blocked the event loop ~40 ms every flush: +40 µs CPU per Access-Request and a p99 of 80 ms).
  const addedPerName = new Map<string, number>();
  for (const entry of entries) addedPerName.set(entry.username, (addedPerName.get(entry.username) ?? 0) + 1);
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
