// Accounting records are committed in groups - one transaction (one fsync) per tenant for every record
// that arrived within a short window - and each caller learns only after its record is durable, so the
// Accounting-Response can follow (RFC 2866 §2: the server answers once it has recorded the data).
import type { SqlDatabase } from '@kiunga/schemas';
import { type AccountingOutcome, type AccountingRecord, writeAccountingRecords } from './accounting-records';

/** Records per commit at most: bounds the time one flush holds the event loop. */
export const ACCOUNTING_BATCH_MAX = 1_000;
/** Records waiting at once; past this new ones are refused (the NAS retransmits later). */
export const ACCOUNTING_QUEUE_MAX = 50_000;
/**
 * How long the first record of a group waits for others to share its commit. Each commit costs an
 * fsync and the WAL writes of every page it touched; 5 ms more before an Accounting-Response is nothing
 * to a NAS (it retransmits after seconds), and at 15,000 records/s it puts about 75 records in a commit.
 */
export const ACCOUNTING_COMMIT_WINDOW_MS = 5;

/** Called once the record is committed (error null, outcome set) or could not be (error set). */
export type AccountingDone = (error: unknown, outcome: AccountingOutcome | null) => void;

interface Pending {
  record: AccountingRecord;
  done: AccountingDone;
}

export class AccountingWriter {
  private queue: Pending[] = [];
  private windowTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private recordsWritten = 0;
  /** Commits under way (on PostgreSQL they take round trips); `flush` waits for them. */
  private readonly commits = new Set<Promise<void>>();

  constructor(
    /** The tenant's database (the AAA server's handle on the one layer). */
    private readonly databaseOf: (tenantId: string) => SqlDatabase,
    private readonly onCallbackError: (error: unknown) => void = () => {},
  ) {}

  /** Queues a record; false (and nothing queued) when the queue is full. */
  submit(record: AccountingRecord, done: AccountingDone): boolean {
    if (this.queue.length >= ACCOUNTING_QUEUE_MAX) return false;
    this.queue.push({ record, done });
    this.scheduleFlush();
    return true;
  }

  get written(): number {
    return this.recordsWritten;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes everything queued now and waits for every commit under way; used at shutdown. */
  async flush(): Promise<void> {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    while (this.queue.length > 0) this.flushBatch();
    await Promise.all(this.commits);
  }

  private scheduleFlush(): void {
    if (this.immediate !== undefined) return;
    if (this.queue.length >= ACCOUNTING_BATCH_MAX) {
      // A full batch need not wait: commit it after this turn's datagrams are read.
      clearTimeout(this.windowTimer);
      this.windowTimer = undefined;
      this.immediate = setImmediate(() => this.onFlushDue());
      return;
    }
    this.windowTimer ??= setTimeout(() => this.onFlushDue(), ACCOUNTING_COMMIT_WINDOW_MS);
  }

  private onFlushDue(): void {
    this.windowTimer = undefined;
    this.immediate = undefined;
    this.flushBatch();
    if (this.queue.length > 0) this.scheduleFlush();
  }

  private flushBatch(): void {
    const batch =
      this.queue.length <= ACCOUNTING_BATCH_MAX ? this.queue : this.queue.slice(0, ACCOUNTING_BATCH_MAX);
    this.queue = batch === this.queue ? [] : this.queue.slice(ACCOUNTING_BATCH_MAX);
    const byTenant = new Map<string, Pending[]>();
    for (const pending of batch) {
      const group = byTenant.get(pending.record.tenantId);
      if (group) group.push(pending);
      else byTenant.set(pending.record.tenantId, [pending]);
    }
    for (const [tenantId, group] of byTenant) {
      const commit = this.commitGroup(tenantId, group);
      this.commits.add(commit);
      void commit.finally(() => this.commits.delete(commit));
    }
  }

  /** One transaction for the group; each caller hears after the commit (or the failure). Never rejects. */
  private async commitGroup(tenantId: string, group: Pending[]): Promise<void> {
    let outcomes: AccountingOutcome[];
    try {
      const records = group.map((pending) => pending.record);
      outcomes = await this.databaseOf(tenantId).transaction((transaction) =>
        writeAccountingRecords(transaction, records),
      );
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
