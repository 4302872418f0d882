// Runs a sync plan through a vendor port and records one sync log entry per operation, so a rerun
// creates nothing twice: an operation logged ok is skipped; a refused one (the vendor's validation
// error) is logged with that error and the rest goes on; a throttled or failed call is retried with
// backoff, inside the run while the wait is short, otherwise at a later run.
import type { Clock } from '@kiunga/schemas';
import { requestIdOf, type SyncOperation, type SyncOperationKind } from './operations';

/** Tries of one operation within one run: a third transient failure in a row waits for the next run. */
export const ATTEMPTS_PER_RUN_MAX = 3;
/** A run waits in place at most this long (a Retry-After of a minute-limit is ≤ 60 s); longer stops the run. */
export const INLINE_WAIT_MS_MAX = 60_000;
/** Backoff between runs: 30 s doubling per failed attempt, capped at 6 h (a vendor outage of an afternoon). */
export const RETRY_BACKOFF_BASE_MS = 30_000;
export const RETRY_BACKOFF_MAX_MS = 6 * 60 * 60_000;

export type FailureKind =
  /** The vendor refused the data: logged with its error; retried only at the next generation (a new request id). */
  | 'validation'
  /** The connection's tokens are no longer valid: the ISP must reconnect; the run stops. */
  | 'reconnect'
  /** HTTP 429. */
  | 'throttled'
  /** 5xx, timeout, network: the same request may succeed later. */
  | 'transient';

export type PortOutcome =
  | { readonly ok: true; readonly vendorId: string }
  | {
      readonly ok: false;
      readonly failure: FailureKind;
      readonly message: string;
      readonly vendorCode: string | null;
      readonly retryAfterMs: number | null;
    };

export interface PortContext {
  /** The vendor request id / Idempotency-Key of this attempt. */
  readonly requestId: string;
  /** The vendor id an earlier operation got (customer, invoice, credit note…), or null. */
  vendorIdOf(key: string): string | null;
}

/** What carries operations to one vendor: the QuickBooks or Xero adapter over its client. */
export interface SyncPort {
  perform(operation: SyncOperation, context: PortContext): Promise<PortOutcome>;
}

export type SyncStatus = 'ok' | 'failed' | 'retry' | 'blocked';

export interface SyncLogEntry {
  readonly key: string;
  readonly kind: SyncOperationKind;
  readonly status: SyncStatus;
  readonly vendorId: string | null;
  /** Vendor calls made for this key, all runs together. */
  readonly attempts: number;
  /** Bumped after each refusal so the next try is a new vendor request. */
  readonly generation: number;
  /** A 'retry' entry is not tried before this. */
  readonly nextAttemptAtMs: number | null;
  readonly error: {
    readonly failure: FailureKind | 'blocked';
    readonly message: string;
    readonly vendorCode: string | null;
  } | null;
  readonly updatedAtMs: number;
}

/** The log of one tenant and vendor (a table in the shard at integration; MemorySyncLog in tests). */
export interface SyncLog {
  read(key: string): Promise<SyncLogEntry | undefined>;
  write(entry: SyncLogEntry): Promise<void>;
}

export interface SyncRunOptions {
  readonly tenantId: string;
  readonly plan: readonly SyncOperation[];
  readonly port: SyncPort;
  readonly log: SyncLog;
  readonly clock: Clock;
  /** Waits in place (timers in production; a test advances a ManualClock). */
  readonly wait: (durationMs: number) => Promise<void>;
}

export interface SyncRunReport {
  /** Operations the vendor accepted in this run. */
  readonly created: number;
  /** Operations found done in the log: nothing sent. */
  readonly alreadyDone: number;
  /** Refused by the vendor (validation) in this run; the log holds why. */
  readonly failed: number;
  /** Left for a later run (backoff, throttling, a dependency not yet synced). */
  readonly deferred: number;
  /** Why the run stopped before the end, if it did. */
  readonly stoppedBecause: 'reconnect_needed' | 'throttled' | null;
  /** Earliest time a deferred operation may be tried again. */
  readonly resumeAtMs: number | null;
}

export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_BACKOFF_MAX_MS);
}

export async function runSyncPlan(options: SyncRunOptions): Promise<SyncRunReport> {
  const counts = { created: 0, alreadyDone: 0, failed: 0, deferred: 0 };
  let resumeAtMs: number | null = null;
  const deferUntil = (atMs: number) => {
    counts.deferred++;
    resumeAtMs = resumeAtMs === null ? atMs : Math.min(resumeAtMs, atMs);
  };
  const vendorIds = new Map<string, string>();
  const context = (requestId: string): PortContext => ({
    requestId,
    vendorIdOf: (key) => vendorIds.get(key) ?? null,
  });
  for (let index = 0; index < options.plan.length; index++) {
    const operation = options.plan[index] as SyncOperation;
    const entry = await options.log.read(operation.key);
    if (entry?.status === 'ok') {
      counts.alreadyDone++;
      if (entry.vendorId !== null) vendorIds.set(operation.key, entry.vendorId);
      continue;
    }
    const nowMs = options.clock.now();
    if (entry?.status === 'retry' && entry.nextAttemptAtMs !== null && entry.nextAttemptAtMs > nowMs) {
      deferUntil(entry.nextAttemptAtMs);
      continue;
    }
    const missing = operation.dependsOn.find((key) => !vendorIds.has(key));
    if (missing !== undefined) {
      await options.log.write(blockedEntry(operation, entry, missing, nowMs));
      counts.deferred++;
      continue;
    }
    const result = await attemptOperation(operation, entry, options, context);
    await options.log.write(result.entry);
    if (result.entry.status === 'ok' && result.entry.vendorId !== null) {
      vendorIds.set(operation.key, result.entry.vendorId);
      counts.created++;
    } else if (result.entry.status === 'failed') counts.failed++;
    else if (result.entry.nextAttemptAtMs !== null) deferUntil(result.entry.nextAttemptAtMs);
    if (result.stop !== null) {
      counts.deferred += options.plan.length - index - 1;
      return { ...counts, stoppedBecause: result.stop, resumeAtMs };
    }
  }
  return { ...counts, stoppedBecause: null, resumeAtMs };
}

interface AttemptResult {
  readonly entry: SyncLogEntry;
  readonly stop: SyncRunReport['stoppedBecause'];
}

/** Up to ATTEMPTS_PER_RUN_MAX calls with the same request id; waits in place only while it is short. */
async function attemptOperation(
  operation: SyncOperation,
  previous: SyncLogEntry | undefined,
  options: SyncRunOptions,
  context: (requestId: string) => PortContext,
): Promise<AttemptResult> {
  const generation = previous?.status === 'failed' ? previous.generation + 1 : (previous?.generation ?? 0);
  let attempts = previous?.attempts ?? 0;
  const requestId = requestIdOf(options.tenantId, operation.key, generation);
  const base = { key: operation.key, kind: operation.kind, generation };
  for (let tryNumber = 1; ; tryNumber++) {
    const outcome = await options.port.perform(operation, context(requestId));
    attempts++;
    const nowMs = options.clock.now();
    if (outcome.ok)
      return {
        entry: {
          ...base,
          status: 'ok',
          vendorId: outcome.vendorId,
          attempts,
          nextAttemptAtMs: null,
          error: null,
          updatedAtMs: nowMs,
        },
        stop: null,
      };
    const error = { failure: outcome.failure, message: outcome.message, vendorCode: outcome.vendorCode };
    if (outcome.failure === 'validation')
      return {
        entry: {
          ...base,
          status: 'failed',
          vendorId: null,
          attempts,
          nextAttemptAtMs: null,
          error,
          updatedAtMs: nowMs,
        },
        stop: null,
      };
    if (outcome.failure === 'reconnect')
      return {
        entry: {
          ...base,
          status: 'retry',
          vendorId: null,
          attempts,
          nextAttemptAtMs: nowMs,
          error,
          updatedAtMs: nowMs,
        },
        stop: 'reconnect_needed',
      };
    const waitMs = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(tryNumber));
    const isShortWait = waitMs <= INLINE_WAIT_MS_MAX && tryNumber < ATTEMPTS_PER_RUN_MAX;
    if (isShortWait) {
      await options.wait(waitMs);
      continue;
    }
    const nextAttemptAtMs = nowMs + Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(attempts));
    const entry: SyncLogEntry = {
      ...base,
      status: 'retry',
      vendorId: null,
      attempts,
      nextAttemptAtMs,
      error,
      updatedAtMs: nowMs,
    };
    // Still throttled after waiting: every further call would be refused too, so the run ends here.
    return { entry, stop: outcome.failure === 'throttled' ? 'throttled' : null };
  }
}

function blockedEntry(
  operation: SyncOperation,
  previous: SyncLogEntry | undefined,
  missingKey: string,
  nowMs: number,
): SyncLogEntry {
  return {
    key: operation.key,
    kind: operation.kind,
    status: 'blocked',
    vendorId: null,
    attempts: previous?.attempts ?? 0,
    generation: previous?.status === 'failed' ? previous.generation + 1 : (previous?.generation ?? 0),
    nextAttemptAtMs: null,
    error: {
      failure: 'blocked',
      message: `waits for ${missingKey}, which is not synced yet`,
      vendorCode: null,
    },
    updatedAtMs: nowMs,
  };
}

/** A SyncLog in memory: tests, and a run's view before the integration stores entries in the shard. */
export class MemorySyncLog implements SyncLog {
  private readonly entries = new Map<string, SyncLogEntry>();
  async read(key: string): Promise<SyncLogEntry | undefined> {
    return this.entries.get(key);
  }
  async write(entry: SyncLogEntry): Promise<void> {
    this.entries.set(entry.key, entry);
  }
  all(): SyncLogEntry[] {
    return [...this.entries.values()];
  }
}
