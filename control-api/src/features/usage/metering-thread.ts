// The main thread's side of the usage metering worker (metering.worker.ts): one long-lived Worker per
// job runner, started on first use, sent one tenant at a time; it ends when the runner stops. A worker
// that fails or exits fails the runs it had (the job logs them) and the next run starts a new one.
import { Worker } from 'node:worker_threads';
import {
  type Databases,
  releaseThreadWriteGatesOf,
  SqliteDatabases,
  threadWriteGateBuffer,
} from '@kiunga/schemas';
import type { MeteringCounts } from './core/index';

export interface MeteringThreadRequest {
  requestId: number;
  dataDir: string;
  tenantId: string;
  nowMs: number;
}

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

export class MeteringThread {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: ThreadMeteringResult) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly dataDir: string) {}

  /** Whether a worker is running now (tests: it ends with the runner). */
  get isRunning(): boolean {
    return this.worker !== null;
  }

  meterTenant(tenantId: string, nowMs: number): Promise<ThreadMeteringResult> {
    const worker = this.worker ?? this.start();
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      worker.postMessage({
        requestId,
        dataDir: this.dataDir,
        tenantId,
        nowMs,
      } satisfies MeteringThreadRequest);
    });
  }

  /** Ends the worker (a run in flight fails); resolves once it has exited. */
  async stop(): Promise<void> {
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
      else waiting.resolve({ ...reply, touchedSubjects: new Set(reply.touchedSubjects) });
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
