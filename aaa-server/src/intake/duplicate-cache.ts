// RFC 5080 §2.2.2 duplicate detection: a retransmitted request gets the cached response and is
// not processed twice; one still in progress (accounting waiting on disk) is simply dropped.

/** How long a response is remembered; NAS retransmit windows are a few seconds (RFC 5080 §2.2.2). */
export const DUPLICATE_WINDOW_MS = 5_000;
/** Entries at most; at 5 s and 20,000 requests/s that is the whole window. When full the oldest go. */
export const DUPLICATE_ENTRIES_MAX = 100_000;

const IN_PROGRESS = 0 as const;

interface Entry {
  expiresAtMs: number;
  response: Buffer | typeof IN_PROGRESS;
}

export type DuplicateLookup =
  | { kind: 'new' }
  | { kind: 'in_progress' }
  | { kind: 'answered'; response: Buffer };

/** The key of a request: source, port, code, identifier and the Request Authenticator. */
export function duplicateKey(
  address: string,
  port: number,
  code: number,
  identifier: number,
  authenticator: Buffer,
) {
  return `${address}|${port}|${code}|${identifier}|${authenticator.toString('latin1')}`;
}

export class DuplicateCache {
  /** Insertion-ordered, and every entry lives the same time: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs = DUPLICATE_WINDOW_MS,
    private readonly entriesMax = DUPLICATE_ENTRIES_MAX,
  ) {}

  /** Looks the request up and, when new, marks it in progress. */
  begin(key: string, nowMs: number): DuplicateLookup {
    this.evictExpired(nowMs);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAtMs > nowMs) {
      return entry.response === IN_PROGRESS
        ? { kind: 'in_progress' }
        : { kind: 'answered', response: entry.response };
    }
    if (entry) this.entries.delete(key);
    while (this.entries.size >= this.entriesMax) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { expiresAtMs: nowMs + this.windowMs, response: IN_PROGRESS });
    return { kind: 'new' };
  }

  complete(key: string, response: Buffer): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = response;
  }

  /** The request was dropped without an answer: forget it so a retransmission is processed. */
  abandon(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evictExpired(nowMs: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAtMs > nowMs) return;
      this.entries.delete(key);
    }
  }
}
