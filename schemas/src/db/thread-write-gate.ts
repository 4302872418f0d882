// One writer at a time per tenant shard file between the threads of this process, waited for without
// blocking. SQLite lets one connection write at a time and makes the others wait in its busy handler,
// which sleeps the calling thread: when the usage metering worker (features/usage/metering.worker.ts)
// held a shard's write lock for a batch, the AAA server's accounting commit on the main thread slept
// with it, and no datagram was read meanwhile. With this gate taken before BEGIN IMMEDIATE, the main
// thread awaits the worker's batch (Atomics.waitAsync) and keeps serving; the worker awaits the main
// thread's commits the same way. The gate only orders this process's threads: SQLite's own lock (and
// its busy timeout) still orders everything else, so a gate not obtained in time is simply skipped.
import { threadId } from 'node:worker_threads';

/** Gate words shared by the threads: shard files hash onto them (a collision only orders two shards). */
export const WRITE_GATE_SLOTS = 64;
/**
 * How long a writer waits for the gate before going on without it (SQLite's lock still holds it off).
 * Far above any metering batch (~50 ms for 2,000 rows); reached only if the holder died mid-batch.
 */
export const WRITE_GATE_WAIT_MAX_MS = 2_000;

const FREE = 0;

/** Atomics.waitAsync (ES2024, in Node since 16): the project's TypeScript lib predates it. */
type WaitAsync = (
  words: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
let gateWords: Int32Array | null = null;

/** The process's gate words, made on first use; the main thread hands them to its workers. */
export function threadWriteGateBuffer(): SharedArrayBuffer {
  gateWords ??= new Int32Array(new SharedArrayBuffer(WRITE_GATE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  return gateWords.buffer as SharedArrayBuffer;
}

/** In a worker: share the main thread's gate words (from workerData) instead of making its own. */
export function useThreadWriteGateBuffer(buffer: SharedArrayBuffer): void {
  gateWords = new Int32Array(buffer);
}

/**
 * Frees every gate a thread that ended still held (a worker terminated mid-batch): its connection is
 * gone with it, so SQLite's lock is too.
 */
export function releaseThreadWriteGatesOf(endedThreadId: number): void {
  if (gateWords === null) return;
  for (let slot = 0; slot < WRITE_GATE_SLOTS; slot += 1) {
    if (
      Atomics.compareExchange(gateWords, slot, holderMark(endedThreadId), FREE) === holderMark(endedThreadId)
    )
      Atomics.notify(gateWords, slot);
  }
}

/** Marks the holder: 0 means free, so thread n holds with n + 1 (the main thread is 0). */
function holderMark(holderThreadId: number): number {
  return holderThreadId + 1;
}

/** The gate word a shard file hashes onto. */
export function writeGateSlotOf(path: string): number {
  let hash = 0;
  for (let index = 0; index < path.length; index += 1) hash = (hash * 31 + path.charCodeAt(index)) | 0;
  return (hash >>> 0) % WRITE_GATE_SLOTS;
}

export class ThreadWriteGate {
  private readonly words: Int32Array;
  private readonly slot: number;
  private readonly mark = holderMark(threadId);
  private isHeld = false;

  constructor(path: string) {
    threadWriteGateBuffer();
    this.words = gateWords as Int32Array;
    this.slot = writeGateSlotOf(path);
  }

  /** Takes the gate, awaiting (never blocking) another thread's write; after the longest wait, goes on. */
  async acquire(): Promise<void> {
    const deadlineMs = performance.now() + WRITE_GATE_WAIT_MAX_MS;
    for (;;) {
      const holder = Atomics.compareExchange(this.words, this.slot, FREE, this.mark);
      if (holder === FREE) {
        this.isHeld = true;
        return;
      }
      // This thread's own writer on another shard of the slot: the gate orders threads, not shards.
      if (holder === this.mark) return;
      const remainingMs = deadlineMs - performance.now();
      if (remainingMs <= 0) return;
      const waited = waitAsync(this.words, this.slot, holder, remainingMs);
      if (waited.async) await waited.value;
    }
  }

  /** Frees the gate if this writer holds it (safe to call twice, or after going on without it). */
  release(): void {
    if (!this.isHeld) return;
    this.isHeld = false;
    Atomics.store(this.words, this.slot, FREE);
    Atomics.notify(this.words, this.slot);
  }
}
