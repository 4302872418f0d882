// A first-come first-served async lock: what serialises transactions on one database in one process.

/**
 * Callers waiting for one lock at once. A transaction holds a database for well under a
 * millisecond of work, so thousands waiting means the process is overloaded: refuse rather than
 * grow a queue whose tail would time out anyway.
 */
export const LOCK_WAITERS_MAX = 10_000;

export class LockQueueFullError extends Error {
  constructor() {
    super(`more than ${LOCK_WAITERS_MAX} calls are waiting for this database: refused (overloaded)`);
    this.name = 'LockQueueFullError';
  }
}

export class AsyncMutex {
  private isHeld = false;
  private readonly waiters: Array<() => void> = [];

  /** True while someone holds the lock (and so also while anyone waits for it). */
  get isBusy(): boolean {
    return this.isHeld;
  }

  acquire(): Promise<void> {
    if (!this.isHeld) {
      this.isHeld = true;
      return Promise.resolve();
    }
    if (this.waiters.length >= LOCK_WAITERS_MAX) return Promise.reject(new LockQueueFullError());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock straight to the longest waiter, so nobody arriving later can overtake it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.isHeld = false;
  }

  async runExclusive<Result>(work: () => Promise<Result> | Result): Promise<Result> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

/** One mutex per key, kept only while held: the map holds the busy keys, not every key ever seen. */
export class KeyedMutexes {
  private readonly mutexes = new Map<string, AsyncMutex>();

  /** The mutex of a key while it is held (its identity is stable for that long), else undefined. */
  held(key: string): AsyncMutex | undefined {
    return this.mutexes.get(key);
  }

  async acquire(key: string): Promise<AsyncMutex> {
    let mutex = this.mutexes.get(key);
    if (!mutex) {
      mutex = new AsyncMutex();
      this.mutexes.set(key, mutex);
    }
    await mutex.acquire();
    return mutex;
  }

  release(key: string, mutex: AsyncMutex): void {
    mutex.release();
    if (!mutex.isBusy) this.mutexes.delete(key);
  }
}
