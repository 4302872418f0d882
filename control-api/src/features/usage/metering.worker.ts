// The usage metering worker thread (embedded mode, SQLite): meters a tenant's accounting_log on its own
// connection to the tenant's shard file, so the metering CPU runs beside the AAA server's event loop
// instead of on it. Started once by metering-thread.ts; answers one request at a time.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import {
  openExistingTenantConnection,
  SqliteDatabase,
  ThreadWriteGate,
  tenantDatabasePath,
  useThreadWriteGateBuffer,
} from '@kiunga/schemas';
import { MeterStateCache } from './meter-state-cache';
import { METERING_WORKER_BATCH_MAX, meterTenantAccounting } from './metering.job';
import type { MeteringThreadReply, MeteringThreadRequest, MeteringWorkerData } from './metering-thread';

// The main thread's write gates: its accounting commits and this thread's batches take turns per shard.
useThreadWriteGateBuffer((workerData as MeteringWorkerData).writeGates);

/** The meter states this thread last committed, per tenant: they live where the metering runs. */
const stateCaches = new Map<string, MeterStateCache>();

function stateCacheOf(tenantId: string): MeterStateCache {
  let cache = stateCaches.get(tenantId);
  if (cache === undefined) {
    cache = new MeterStateCache();
    stateCaches.set(tenantId, cache);
  }
  return cache;
}

async function meter(request: MeteringThreadRequest): Promise<MeteringThreadReply> {
  // Opened per run and closed after: the main thread may archive the tenant (moving the file) between
  // runs, and a run a minute makes the open (no migration: the server opened the shard first) negligible.
  const connection = openExistingTenantConnection(request.dataDir, request.tenantId);
  try {
    const gate = new ThreadWriteGate(tenantDatabasePath(request.dataDir, request.tenantId));
    const result = await meterTenantAccounting(new SqliteDatabase(connection, gate), request.nowMs, {
      stateCache: stateCacheOf(request.tenantId),
      isReadBeforeWriteLock: true,
      batchMax: METERING_WORKER_BATCH_MAX,
    });
    return {
      requestId: request.requestId,
      rows: result.rows,
      counts: result.counts,
      touchedSubjects: [...result.touchedSubjects],
      writeLockHeldMaxMs: result.writeLockHeldMaxMs ?? 0,
      threadId,
    };
  } finally {
    connection.close();
  }
}

/** A PASSIVE checkpoint of the shard on this thread's own short-lived connection (metering-thread.ts). */
function checkpoint(request: MeteringThreadRequest): MeteringThreadReply {
  const connection = openExistingTenantConnection(request.dataDir, request.tenantId);
  try {
    const [result] = connection.pragma('wal_checkpoint(PASSIVE)') as Array<{
      log: number;
      checkpointed: number;
    }>;
    return {
      requestId: request.requestId,
      checkpoint: { walFrames: result?.log ?? 0, checkpointedFrames: result?.checkpointed ?? 0 },
    };
  } finally {
    connection.close();
  }
}

parentPort?.on('message', (request: MeteringThreadRequest) => {
  const answer =
    request.kind === 'checkpoint' ? Promise.resolve().then(() => checkpoint(request)) : meter(request);
  answer.then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) =>
      parentPort?.postMessage({
        requestId: request.requestId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies MeteringThreadReply),
  );
});
