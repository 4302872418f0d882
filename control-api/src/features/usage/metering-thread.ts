// The main thread's side of the usage metering worker (metering.worker.ts): one long-lived Worker per
// job runner, started on first use, sent one tenant at a time; it ends when the runner stops. A worker
// that fails or exits fails the runs it had (the job logs them) and the next run starts a new one.
import { Worker } from 'node:worker_threads';
import {
  type Databases,
  releaseThreadWriteGatesOf,
  SqliteDatabases,
  tenantDatabasePath,
  threadWriteGateBuffer,
  walFramesNotCheckpointed,
} from '@kiunga/schemas';
import type { MeteringCounts } from './core/index';

export interface MeteringThreadRequest {
  requestId: number;
  /** meter: a metering run; checkpoint: copy the shard's WAL into the database file (PASSIVE). */
  kind: 'meter' | 'checkpoint';
  dataDir: string;
  tenantId: string;
  nowMs: number;
}

/** What a checkpoint did: SQLite's `PRAGMA wal_checkpoint` answer (frames in the WAL, frames copied). */
export interface ShardCheckpoint {
  walFrames: number;
  checkpointedFrames: number;
}

/**
 * How often the metering thread checkpoints the shards it meters. Left to SQLite, the checkpoint runs
 * inside whichever COMMIT crosses 1,000 WAL pages, mostly the AAA server's accounting commits on the
 * main thread: at 20,000 records/s it grew to ~390 ms a second of the event loop as the shard grew
 * (scattered page writes and an fsync of the database file). Here it runs beside the loop; at 20,000
 * records/s half a second is ~20 MB of WAL, under the AAA connection's own bound
 * (TENANT_WAL_AUTOCHECKPOINT_PAGES, schemas database.ts).
 */
export const SHARD_CHECKPOINT_INTERVAL_MS = 500;

/** What the worker starts with: the process's write gates (schemas thread-write-gate.ts). */
export interface MeteringWorkerData {
  writeGates: SharedArrayBuffer;
}

export type MeteringThreadReply =
  | {
      requestId: number;
      rows: number;
      counts: MeteringCounts;
      touchedSubjects: string[];
      writeLockHeldMaxMs: number;
      threadId: number;
    }
  | { requestId: number; checkpoint: ShardCheckpoint }
  | { requestId: number; error: string };

/** A run's result as metered on the worker (metering.job.ts MeteringRunResult), with the worker's threadId. */
export interface ThreadMeteringResult {
  rows: number;
  counts: MeteringCounts;
  touchedSubjects: Set<string>;
  writeLockHeldMaxMs: number;
  threadId: number;
}

/**
 * How to start the worker. From a compiled build: bin/metering-worker.mjs beside bin/kiunga.mjs
 * (ops/src/cli/build.ts builds it as a second entry point; every module of a build shares the bundle's
 * import.meta.url). From source (tsx, vitest): a small evaluated script that loads metering.worker.ts
 * through tsx's tsImport; on Node 20 a Worker given `--import tsx` still refuses a .ts entry file.
 */
function workerStart(): { entry: string | URL; isEval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { entry: new URL('./metering-worker.mjs', import.meta.url), isEval: false };
  // vitest has no import.meta.resolve; the bare name then resolves from the working directory (the checkout).
  const tsxApi =
    typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const workerUrl = new URL('./metering.worker.ts', import.meta.url).href;
  const script = `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(import.meta.url)}))`;
  return { entry: script, isEval: true };
}

type SuccessReply = Exclude<MeteringThreadReply, { error: string }>;

export class MeteringThread {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: SuccessReply) => void; reject: (error: Error) => void }
  >();
  /** The tenants metered so far: their shards are checkpointed here (SHARD_CHECKPOINT_INTERVAL_MS). */
  private readonly meteredTenants = new Set<string>();
  private checkpointTimer: NodeJS.Timeout | undefined;

  constructor(private readonly dataDir: string) {}

  /** Whether a worker is running now (tests: it ends with the runner). */
  get isRunning(): boolean {
    return this.worker !== null;
  }

  async meterTenant(tenantId: string, nowMs: number): Promise<ThreadMeteringResult> {
    this.meteredTenants.add(tenantId);
    if (this.checkpointTimer === undefined) {
      this.checkpointTimer = setInterval(() => this.checkpointMeteredTenants(), SHARD_CHECKPOINT_INTERVAL_MS);
      // Never keeps a stopping process alive; stop() clears it.
      this.checkpointTimer.unref();
    }
    const reply = await this.ask('meter', tenantId, nowMs);
    if (!('rows' in reply)) throw new Error('metering worker: a metering run answered as a checkpoint');
    return { ...reply, touchedSubjects: new Set(reply.touchedSubjects) };
  }

  /** Copies the tenant shard's WAL into its database file on the worker thread (PASSIVE: writers go on). */
  async checkpointTenant(tenantId: string): Promise<ShardCheckpoint> {
    const reply = await this.ask('checkpoint', tenantId, 0);
    if (!('checkpoint' in reply)) throw new Error('metering worker: a checkpoint answered as a metering run');
    return reply.checkpoint;
  }

  /**
   * Checkpoints on the worker every metered shard with WAL frames left to copy (the timer's tick, public
   * for tests); returns how many it asked for.
   */
  checkpointMeteredTenants(): number {
    let asked = 0;
    for (const tenantId of this.meteredTenants) {
      // An idle shard has nothing to copy: one read of its -shm instead of a connection on the worker
      // (opening one parses the schema: ~3 ms, twice a second per tenant, while nothing happens).
      if (walFramesNotCheckpointed(tenantDatabasePath(this.dataDir, tenantId)) === 0) continue;
      asked++;
      this.checkpointTenant(tenantId).catch(() => {
        // Archived since (its file moved) or the worker stopped: the next metering run adds it again.
        this.meteredTenants.delete(tenantId);
      });
    }
    return asked;
  }

  private ask(kind: MeteringThreadRequest['kind'], tenantId: string, nowMs: number): Promise<SuccessReply> {
    const worker = this.worker ?? this.start();
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      worker.postMessage({
        requestId,
        kind,
        dataDir: this.dataDir,
        tenantId,
        nowMs,
      } satisfies MeteringThreadRequest);
    });
  }

  /** Ends the worker (a run in flight fails); resolves once it has exited. */
  async stop(): Promise<void> {
    clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.meteredTenants.clear();
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    this.failPending(new Error('the metering worker was stopped'));
  }

  private start(): Worker {
    const start = workerStart();
    const worker = new Worker(start.entry, {
      eval: start.isEval,
      workerData: { writeGates: threadWriteGateBuffer() } satisfies MeteringWorkerData,
    });
    const workerThreadId = worker.threadId;
    // The runner's stop ends it; until then it must not keep a stopping process alive by itself.
    worker.unref();
    worker.on('message', (reply: MeteringThreadReply) => {
      const waiting = this.pending.get(reply.requestId);
      if (waiting === undefined) return;
      this.pending.delete(reply.requestId);
      if ('error' in reply) waiting.reject(new Error(`metering worker: ${reply.error}`));
      else waiting.resolve(reply);
    });
    worker.on('error', (error) => this.forgetWorker(worker, error));
    worker.on('exit', (code) => {
      // Terminated mid-batch: its connection (and SQLite's lock) went with it; so must its gate.
      releaseThreadWriteGatesOf(workerThreadId);
      this.forgetWorker(worker, new Error(`the metering worker exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private forgetWorker(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    this.failPending(error);
  }

  private failPending(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** Embedded (SQLite): a metering thread for the tenants' shard files; PostgreSQL: none (meters in process). */
export function meteringThreadFor(databases: Databases | undefined): MeteringThread | null {
  return databases instanceof SqliteDatabases ? new MeteringThread(databases.shards.dataDir) : null;
}
