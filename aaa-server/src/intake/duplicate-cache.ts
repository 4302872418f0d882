// RFC 5080 §2.2.2 duplicate detection: a retransmitted request gets the cached response and is
// not processed twice; one still in progress (accounting waiting on disk) is simply dropped.
//
// On the path of every request, so it builds no strings: requests are keyed per NAS by a number made
// of source port, code and identifier, and the entry keeps the source address and Request
// Authenticator to compare (a different authenticator is a new request reusing the identifier).
// Expiry is first-in first-out through a ring, so no Map is iterated past its deleted entries.

/** How long a response is remembered; NAS retransmit windows are a few seconds (RFC 5080 §2.2.2). */
export const DUPLICATE_WINDOW_MS = 5_000;
/** Entries at most; at 5 s and 20,000 requests/s that is the whole window. When full the oldest go. */
export const DUPLICATE_ENTRIES_MAX = 100_000;

const PORT_FACTOR = 0x1_0000;
const CODE_FACTOR = 0x100;

export interface DuplicateRequest {
  readonly nasId: string;
  readonly address: string;
  readonly port: number;
  readonly code: number;
  readonly identifier: number;
  /** The Request Authenticator: 16 octets (read, never kept). */
  readonly authenticator: Buffer;
}

/**
 * A request seen for the first time: answer it with `complete`, or `abandon` it. The authenticator is
 * kept as four numbers: a reference to it would keep the whole received datagram alive for the window,
 * and with it an external buffer in the old generation for every request.
 */
export class DuplicateEntry {
  readonly kind = 'new' as const;
  response: Buffer | null = null;
  private readonly authenticator0: number;
  private readonly authenticator1: number;
  private readonly authenticator2: number;
  private readonly authenticator3: number;

  constructor(
    readonly bucket: Map<number, DuplicateEntry>,
    readonly key: number,
    readonly address: string,
    authenticator: Buffer,
    readonly expiresAtMs: number,
  ) {
    this.authenticator0 = authenticator.readInt32LE(0);
    this.authenticator1 = authenticator.readInt32LE(4);
    this.authenticator2 = authenticator.readInt32LE(8);
    this.authenticator3 = authenticator.readInt32LE(12);
  }

  isSameRequest(address: string, authenticator: Buffer): boolean {
    return (
      this.address === address &&
      this.authenticator0 === authenticator.readInt32LE(0) &&
      this.authenticator1 === authenticator.readInt32LE(4) &&
      this.authenticator2 === authenticator.readInt32LE(8) &&
      this.authenticator3 === authenticator.readInt32LE(12)
    );
  }
}

export type DuplicateSeen =
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'answered'; response: Buffer };

const IN_PROGRESS: DuplicateSeen = { kind: 'in_progress' };

export class DuplicateCache {
  private readonly buckets = new Map<string, Map<number, DuplicateEntry>>();
  /** Every entry in the order it was made, which is also expiry order (all live the same time). */
  private readonly ring: Array<DuplicateEntry | undefined> = [];
  private head = 0;
  private count = 0;

  constructor(
    private readonly windowMs = DUPLICATE_WINDOW_MS,
    private readonly entriesMax = DUPLICATE_ENTRIES_MAX,
  ) {}

  /** A new request's entry, or what to do with a retransmission of one already seen. */
  begin(request: DuplicateRequest, nowMs: number): DuplicateEntry | DuplicateSeen {
    this.evictExpired(nowMs);
    let bucket = this.buckets.get(request.nasId);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(request.nasId, bucket);
    }
    const key = request.port * PORT_FACTOR + request.code * CODE_FACTOR + request.identifier;
    const seen = bucket.get(key);
    if (seen?.isSameRequest(request.address, request.authenticator)) {
      return seen.response === null ? IN_PROGRESS : { kind: 'answered', response: seen.response };
    }
    if (this.count >= this.entriesMax) this.evictOldest();
    const entry = new DuplicateEntry(
      bucket,
      key,
      request.address,
      request.authenticator,
      nowMs + this.windowMs,
    );
    bucket.set(key, entry);
    this.ring[(this.head + this.count) % this.entriesMax] = entry;
    this.count += 1;
    return entry;
  }

  complete(entry: DuplicateEntry, response: Buffer): void {
    entry.response = response;
  }

  /** The request was dropped without an answer: forget it so a retransmission is processed. */
  abandon(entry: DuplicateEntry): void {
    if (entry.bucket.get(entry.key) === entry) entry.bucket.delete(entry.key);
  }

  get size(): number {
    return this.count;
  }

  private evictExpired(nowMs: number): void {
    while (this.count > 0 && (this.ring[this.head]?.expiresAtMs ?? 0) <= nowMs) this.evictOldest();
  }

  private evictOldest(): void {
    const entry = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.entriesMax;
    this.count -= 1;
    // A newer request may have taken the key (identifier reuse); that one stays.
    if (entry !== undefined) this.abandon(entry);
  }
}
