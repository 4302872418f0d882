// RFC 5080 §2.2.2 duplicate detection: a retransmitted request gets the cached response and is
// not processed twice; one still in progress (accounting waiting on disk) is simply dropped.
//
// On the path of every request, so it builds no strings and keeps no object per request: requests are
// keyed per NAS by a number made of source port, code and identifier, and what an entry must remember
// (source address, Request Authenticator, expiry, where its response is) sits in typed arrays indexed
// by the entry's place in a ring; responses are copied into one byte ring. Each request's entry lives
// the whole window (5 s), long enough for V8 to move a per-request object (and the reply Buffer it held)
// into the old generation, where only a full collection frees it: at 2,000 logins/s that was ~4 µs of
// each Access-Request's CPU in collections (issue 8 item 15). Expiry is first-in first-out through the
// ring, so no Map is iterated past its deleted entries.

/** How long a response is remembered; NAS retransmit windows are a few seconds (RFC 5080 §2.2.2). */
export const DUPLICATE_WINDOW_MS = 5_000;
/** Entries at most; at 5 s and 20,000 requests/s that is the whole window. When full the oldest go. */
export const DUPLICATE_ENTRIES_MAX = 100_000;
/**
 * Response octets kept per entry on average: an Access-Accept with MPPE keys, a rate limit and a Class
 * is about 230 octets, a voucher's Accept about 110, an Accounting-Response 20. A full window of larger
 * replies overwrites the oldest responses before their entries expire; a retransmission of such a
 * request is then dropped like one in progress (the NAS tries again, and after the window it is
 * processed anew), never answered with another request's bytes.
 */
export const DUPLICATE_RESPONSE_OCTETS_PER_ENTRY = 256;
/** The byte ring holds at least a few of the largest RADIUS packets (RFC 2865 §3: 4096 octets). */
const RESPONSE_RING_OCTETS_MIN = 16 * 4096;

const PORT_FACTOR = 0x1_0000;
const CODE_FACTOR = 0x100;
const AUTHENTICATOR_WORDS = 4;
/** responseStart of an entry not answered yet. */
const NOT_ANSWERED = -1;

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
 * A request seen for the first time: a number (its sequence in the cache) to answer with `complete` or
 * give up with `abandon`. A number, not an object, so that nothing is allocated per request and kept.
 */
export type DuplicateEntry = number;

export type DuplicateSeen =
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'answered'; response: Buffer };

const IN_PROGRESS: DuplicateSeen = { kind: 'in_progress' };

/** One NAS's requests by key, and the source address they came from (one string kept, not one per request). */
interface Bucket {
  readonly entries: Map<number, DuplicateEntry>;
  address: string;
}

export function isNewRequest(seen: DuplicateEntry | DuplicateSeen): seen is DuplicateEntry {
  return typeof seen === 'number';
}

export class DuplicateCache {
  private readonly buckets = new Map<string, Bucket>();
  /** Per ring slot: the sequence number of the entry there (a handle from before a wrap no longer matches). */
  private readonly sequenceAt: Float64Array;
  private readonly expiresAtMs: Float64Array;
  private readonly keyAt: Float64Array;
  private readonly authenticatorAt: Int32Array;
  /** Absolute position of the entry's response in the byte ring, or NOT_ANSWERED. */
  private readonly responseStart: Float64Array;
  private readonly responseLength: Int32Array;
  private readonly bucketAt: Array<Bucket | undefined>;
  private readonly addressAt: string[];
  private readonly responses: Buffer;
  /** Octets ever written to the byte ring (its write position, before wrapping). */
  private responsesWritten = 0;
  /** Sequence of the oldest entry still in the ring, and of the next one. */
  private oldest = 0;
  private next = 0;

  constructor(
    private readonly windowMs = DUPLICATE_WINDOW_MS,
    private readonly entriesMax = DUPLICATE_ENTRIES_MAX,
  ) {
    this.sequenceAt = new Float64Array(entriesMax).fill(-1);
    this.expiresAtMs = new Float64Array(entriesMax);
    this.keyAt = new Float64Array(entriesMax);
    this.authenticatorAt = new Int32Array(entriesMax * AUTHENTICATOR_WORDS);
    this.responseStart = new Float64Array(entriesMax);
    this.responseLength = new Int32Array(entriesMax);
    this.bucketAt = new Array<Bucket | undefined>(entriesMax).fill(undefined);
    this.addressAt = new Array<string>(entriesMax).fill('');
    // Pages never written are never touched, so an idle server does not hold the whole ring.
    this.responses = Buffer.allocUnsafeSlow(
      Math.max(RESPONSE_RING_OCTETS_MIN, entriesMax * DUPLICATE_RESPONSE_OCTETS_PER_ENTRY),
    );
  }

  /** A new request's entry, or what to do with a retransmission of one already seen. */
  begin(request: DuplicateRequest, nowMs: number): DuplicateEntry | DuplicateSeen {
    this.evictExpired(nowMs);
    let bucket = this.buckets.get(request.nasId);
    if (bucket === undefined) {
      bucket = { entries: new Map(), address: request.address };
      this.buckets.set(request.nasId, bucket);
    }
    const key = request.port * PORT_FACTOR + request.code * CODE_FACTOR + request.identifier;
    const seen = bucket.entries.get(key);
    if (seen !== undefined && this.isSameRequest(seen, request.address, request.authenticator)) {
      return this.answerOf(seen);
    }
    if (this.next - this.oldest >= this.entriesMax) this.evictOldest();
    // A NAS nearly always sends from one address: keep that one string rather than each packet's copy.
    if (bucket.address !== request.address) bucket.address = request.address;
    const entry = this.next;
    this.next += 1;
    const slot = entry % this.entriesMax;
    this.sequenceAt[slot] = entry;
    this.expiresAtMs[slot] = nowMs + this.windowMs;
    this.keyAt[slot] = key;
    this.bucketAt[slot] = bucket;
    this.addressAt[slot] = bucket.address;
    const words = slot * AUTHENTICATOR_WORDS;
    const authenticator = request.authenticator;
    this.authenticatorAt[words] = authenticator.readInt32LE(0);
    this.authenticatorAt[words + 1] = authenticator.readInt32LE(4);
    this.authenticatorAt[words + 2] = authenticator.readInt32LE(8);
    this.authenticatorAt[words + 3] = authenticator.readInt32LE(12);
    this.responseStart[slot] = NOT_ANSWERED;
    this.responseLength[slot] = 0;
    bucket.entries.set(key, entry);
    return entry;
  }

  /** Remembers the response (a copy of its octets) for retransmissions of the entry's request. */
  complete(entry: DuplicateEntry, response: Buffer): void {
    const slot = this.slotOf(entry);
    if (slot === undefined) return;
    const ringLength = this.responses.length;
    let start = this.responsesWritten;
    // A response is never split across the ring's end: skip to the start of the next lap.
    if ((start % ringLength) + response.length > ringLength) start += ringLength - (start % ringLength);
    response.copy(this.responses, start % ringLength);
    this.responsesWritten = start + response.length;
    this.responseStart[slot] = start;
    this.responseLength[slot] = response.length;
  }

  /** The request was dropped without an answer: forget it so a retransmission is processed. */
  abandon(entry: DuplicateEntry): void {
    const slot = this.slotOf(entry);
    if (slot === undefined) return;
    const entries = this.bucketAt[slot]?.entries;
    const key = this.keyAt[slot]!;
    if (entries?.get(key) === entry) entries.delete(key);
  }

  get size(): number {
    return this.next - this.oldest;
  }

  /** The entry's ring slot while it is still there, else undefined. */
  private slotOf(entry: DuplicateEntry): number | undefined {
    const slot = entry % this.entriesMax;
    return this.sequenceAt[slot] === entry ? slot : undefined;
  }

  private isSameRequest(entry: DuplicateEntry, address: string, authenticator: Buffer): boolean {
    const slot = this.slotOf(entry);
    if (slot === undefined) return false;
    const words = slot * AUTHENTICATOR_WORDS;
    return (
      this.addressAt[slot] === address &&
      this.authenticatorAt[words] === authenticator.readInt32LE(0) &&
      this.authenticatorAt[words + 1] === authenticator.readInt32LE(4) &&
      this.authenticatorAt[words + 2] === authenticator.readInt32LE(8) &&
      this.authenticatorAt[words + 3] === authenticator.readInt32LE(12)
    );
  }

  /** A copy of the cached response (the ring is written on), or in progress when there is none (any more). */
  private answerOf(entry: DuplicateEntry): DuplicateSeen {
    const slot = entry % this.entriesMax;
    const start = this.responseStart[slot]!;
    const length = this.responseLength[slot]!;
    const ringLength = this.responses.length;
    // Overwritten once later responses reached a whole lap past its start.
    if (start === NOT_ANSWERED || this.responsesWritten - start > ringLength) return IN_PROGRESS;
    const offset = start % ringLength;
    return { kind: 'answered', response: Buffer.from(this.responses.subarray(offset, offset + length)) };
  }

  private evictExpired(nowMs: number): void {
    while (this.next > this.oldest && this.expiresAtMs[this.oldest % this.entriesMax]! <= nowMs) {
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const entry = this.oldest;
    const slot = entry % this.entriesMax;
    // A newer request may have taken the key (identifier reuse); that one stays.
    this.abandon(entry);
    this.sequenceAt[slot] = -1;
    this.bucketAt[slot] = undefined;
    this.addressAt[slot] = '';
    this.oldest += 1;
  }
}
