// Accounting records are committed in groups - one transaction (one fsync) per tenant for every record
// that arrived within a short window, or while that tenant's previous commit was under way - and each
// caller learns only after its record is durable, so the Accounting-Response can follow (RFC 2866 §2:
// the server answers once it has recorded the data).
import type { SqlDatabase } from '@kiunga/schemas';
import { type AccountingOutcome, type AccountingRecord, writeAccountingRecords } from './accounting-records';
import { isOneStatementGroup, writeAccountingGroupInOneStatement } from './accounting-records-postgres';

/** Records per commit at most: bounds the time one flush holds the event loop. */
export const ACCOUNTING_BATCH_MAX = 1_000;
/** Records waiting at once; past this new ones are refused (the NAS retransmits later). */
export const ACCOUNTING_QUEUE_MAX = 50_000;
/**
 * The latency budget: how long the first record of a group waits for others to share its commit. A
 * commit costs more than its records (BEGIN IMMEDIATE, the WAL frames of every page it touched, an
 * fsync): on SQLite about 280 µs of CPU, so SQLite spends 47 µs per record in groups of 10 and 23 µs in
 * groups of 75 (issue 8 item 15, the bench's records). 50 ms more before an Accounting-Response is
 * nothing to a NAS (it retransmits after its timeout, hundreds of milliseconds at the least), and it puts
 * 100 records in a commit at 2,000 records/s instead of 10. Under load the window grows by itself: while
 * a tenant's commit is under way (PostgreSQL: round trips), its new records wait and all go into the next
 * commit, instead of queueing small commits on the tenant's transaction lock.
 */
export const ACCOUNTING_COMMIT_WINDOW_MS = 50;
/**
 * The window on PostgreSQL (scaled mode; the AAA server passes it). There a commit costs the node one
 * statement and PostgreSQL one WAL flush (no BEGIN or COMMIT: accounting-records-postgres.ts), and what
 * arrives while it is under way gathers for the next commit anyway, so 20 ms of waiting was most of a
 * record's time from request to answer (issue 11, ops/bench/radius/scaled.bench.ts, 200 requests in
 * flight per node: 8,600 records/s at 20 ms, 11,250 at 5 ms; 2 ms gave 10,600 and more CPU per record
 * in smaller groups).
 */
export const ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS = 5;
/**
 * A group this big commits at once (after the datagrams of this turn) instead of waiting out the window.
 * Past a few hundred records a bigger commit saves little CPU per record (SQLite: 17 µs per record in
 * groups of 300, 23 µs in groups of 75), but each commit's fsync holds the event loop: ~3 ms on this
 * machine's disk, so at 20,000 records/s groups of 250 (80 commits a second) kept the loop in fsync a
 * quarter of the time (profile of ops/bench/metering/interims.bench.ts). With the 50 ms window a group
 * at 20,000/s holds 1,000 records (20 commits a second); at 2,000/s, 100.
 */
export const ACCOUNTING_GROUP_TARGET = ACCOUNTING_BATCH_MAX;

/** Called once the record is committed (error null, outcome set) or could not be (error set). */
export type AccountingDone = (error: unknown, outcome: AccountingOutcome | null) => void;

interface Pending {
  record: AccountingRecord;
  done: AccountingDone;
  /** performance.now() when it was queued: its window counts from then. */
  arrivedAtMs: number;
}

export class AccountingWriter {
  /** Records not yet in a commit, per tenant, in arrival order. */
  private readonly waiting = new Map<string, Pending[]>();
  private waitingCount = 0;
  /** Tenants with a commit under way: their records wait for it to end. */
  private readonly committingTenants = new Set<string>();
  private windowTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private recordsWritten = 0;
  private commitsMade = 0;
  /** Commits under way (on PostgreSQL they take round trips); `flush` waits for them. */
  private readonly commits = new Set<Promise<void>>();

  constructor(
    /** The tenant's database (the AAA server's handle on the one layer). */
    private readonly databaseOf: (tenantId: string) => SqlDatabase,
    private readonly onCallbackError: (error: unknown) => void = () => {},
    /** How long a group's first record waits for others (ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS on PostgreSQL). */
    private readonly commitWindowMs: number = ACCOUNTING_COMMIT_WINDOW_MS,
  ) {}

  /** Queues a record; false (and nothing queued) when the queue is full. */
  submit(record: AccountingRecord, done: AccountingDone): boolean {
    if (this.waitingCount >= ACCOUNTING_QUEUE_MAX) return false;
    const tenantWaiting = this.waiting.get(record.tenantId);
    const pending = { record, done, arrivedAtMs: performance.now() };
    if (tenantWaiting) tenantWaiting.push(pending);
    else this.waiting.set(record.tenantId, [pending]);
    this.waitingCount += 1;
    if (!this.committingTenants.has(record.tenantId)) this.scheduleFlush(tenantWaiting?.length ?? 1);
    return true;
  }

  get written(): number {
    return this.recordsWritten;
  }

  /** Transactions committed or tried so far (records per commit = written / commits). */
  get commitCount(): number {
    return this.commitsMade;
  }

  get queued(): number {
    return this.waitingCount;
  }

  /** Writes everything queued now and waits for every commit under way; used at shutdown. */
  async flush(): Promise<void> {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    while (this.waitingCount > 0 || this.commits.size > 0) {
      this.commitWaiting();
      await Promise.race(this.commits);
    }
  }

  private scheduleFlush(tenantWaitingCount: number, windowLeftMs: number = this.commitWindowMs): void {
    if (this.immediate !== undefined) return;
    if (tenantWaitingCount >= ACCOUNTING_GROUP_TARGET) {
      // A big enough group need not wait: commit it after this turn's datagrams are read.
      clearTimeout(this.windowTimer);
      this.windowTimer = undefined;
      this.immediate = setImmediate(() => this.onFlushDue());
      return;
    }
    this.windowTimer ??= setTimeout(() => this.onFlushDue(), windowLeftMs);
  }

  private onFlushDue(): void {
    this.windowTimer = undefined;
    this.immediate = undefined;
    this.commitWaiting();
  }

  /** Starts a commit for every tenant with records waiting and no commit under way. */
  private commitWaiting(): void {
    for (const tenantId of [...this.waiting.keys()]) {
      if (!this.committingTenants.has(tenantId)) this.commitNext(tenantId);
    }
  }

  /** Commits up to a batch of the tenant's waiting records; when it ends, whatever gathered meanwhile. */
  private commitNext(tenantId: string): void {
    const tenantWaiting = this.waiting.get(tenantId);
    if (tenantWaiting === undefined) return;
    const group =
      tenantWaiting.length <= ACCOUNTING_BATCH_MAX
        ? tenantWaiting
        : tenantWaiting.splice(0, ACCOUNTING_BATCH_MAX);
    if (group === tenantWaiting) this.waiting.delete(tenantId);
    this.waitingCount -= group.length;
    this.committingTenants.add(tenantId);
    const commit = this.commitGroup(tenantId, group).finally(() => {
      this.commits.delete(commit);
      this.committingTenants.delete(tenantId);
      this.commitGathered(tenantId);
    });
    this.commits.add(commit);
  }

  /**
   * After a tenant's commit: what gathered meanwhile commits now if its first record has waited out
   * the window (a slow commit, PostgreSQL round trips) or the group is big enough; otherwise it waits
   * for the rest of its window like any group. Committing it right behind a quick commit made groups
   * of whatever arrived during ~15 ms: at 20,000 records/s on SQLite, ~40 commits a second of ~500
   * records, each with its fsync on the event loop, instead of ~20 of 1,000.
   */
  private commitGathered(tenantId: string): void {
    const gathered = this.waiting.get(tenantId);
    if (gathered === undefined) return;
    const windowLeftMs = this.commitWindowMs - (performance.now() - gathered[0]!.arrivedAtMs);
    if (windowLeftMs <= 0 || gathered.length >= ACCOUNTING_GROUP_TARGET) this.commitNext(tenantId);
    else this.scheduleFlush(gathered.length, windowLeftMs);
  }

  /** One transaction for the group; each caller hears after the commit (or the failure). Never rejects. */
  private async commitGroup(tenantId: string, group: Pending[]): Promise<void> {
    this.commitsMade += 1;
    let outcomes: AccountingOutcome[];
    try {
      const records = group.map((pending) => pending.record);
      const database = this.databaseOf(tenantId);
      // PostgreSQL: the group in one statement, a transaction of its own (no BEGIN and COMMIT round
      // trips), unless an Accounting-On/Off must close sessions in its place.
      outcomes =
        database.dialect === 'postgres' && isOneStatementGroup(records)
          ? await writeAccountingGroupInOneStatement(database, records)
          : await database.transaction((transaction) => writeAccountingRecords(transaction, records));
    } catch (error) {
      for (const pending of group) this.tell(pending, error, null);
      return;
    }
    this.recordsWritten += group.length;
    for (let index = 0; index < group.length; index += 1) {
      this.tell(group[index]!, null, outcomes[index] ?? { sessionId: null });
    }
  }

  /** One caller's failure must not keep the rest of its group from hearing. */
  private tell(pending: Pending, error: unknown, outcome: AccountingOutcome | null): void {
    try {
      pending.done(error, outcome);
    } catch (callbackError) {
      this.onCallbackError(callbackError);
    }
  }
}
