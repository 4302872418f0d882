// Tests of RFC 5080 duplicate detection.
import { describe, expect, it } from 'vitest';
import {
  DuplicateCache,
  type DuplicateEntry,
  type DuplicateRequest,
  type DuplicateSeen,
  isNewRequest,
} from './duplicate-cache';

const authenticator = Buffer.alloc(16, 7);
const request = (overrides: Partial<DuplicateRequest> = {}): DuplicateRequest => ({
  nasId: 'nas_1',
  address: '127.0.0.1',
  port: 40000,
  code: 1,
  identifier: 9,
  authenticator,
  ...overrides,
});

function begin(cache: DuplicateCache, overrides: Partial<DuplicateRequest>, nowMs: number) {
  return cache.begin(request(overrides), nowMs);
}

/** 'new' for a request seen for the first time, else what the cache says of the retransmission. */
function kindOf(seen: DuplicateEntry | DuplicateSeen): string {
  return isNewRequest(seen) ? 'new' : seen.kind;
}

describe('DuplicateCache', () => {
  it('answers a retransmission with the cached response within the window', () => {
    const cache = new DuplicateCache(5_000, 10);
    const first = begin(cache, {}, 1_000);
    expect(kindOf(first)).toBe('new');
    expect(begin(cache, {}, 1_001)).toEqual({ kind: 'in_progress' });
    if (isNewRequest(first)) cache.complete(first, Buffer.from('reply'));
    // The same bytes arrive again, in a new buffer.
    expect(begin(cache, { authenticator: Buffer.from(authenticator) }, 2_000)).toEqual({
      kind: 'answered',
      response: Buffer.from('reply'),
    });
    expect(kindOf(begin(cache, {}, 6_001))).toBe('new');
  });

  it('tells requests apart by NAS, address, port, code, identifier and authenticator', () => {
    const cache = new DuplicateCache(5_000, 10);
    begin(cache, {}, 0);
    expect(kindOf(begin(cache, { nasId: 'nas_2' }, 0))).toBe('new');
    expect(kindOf(begin(cache, { port: 40001 }, 0))).toBe('new');
    expect(kindOf(begin(cache, { code: 4 }, 0))).toBe('new');
    expect(kindOf(begin(cache, { identifier: 10 }, 0))).toBe('new');
    expect(kindOf(begin(cache, { authenticator: Buffer.alloc(16, 8) }, 0))).toBe('new');
    // A NAS known by identifier that moved address: not a retransmission of the old request.
    expect(kindOf(begin(cache, { address: '127.0.0.5', authenticator: Buffer.alloc(16, 8) }, 0))).toBe('new');
  });

  it('stays within its bound by dropping the oldest entries', () => {
    const cache = new DuplicateCache(5_000, 3);
    for (let identifier = 0; identifier < 10; identifier += 1) begin(cache, { identifier }, 0);
    expect(cache.size).toBe(3);
    expect(kindOf(begin(cache, { identifier: 9 }, 0))).toBe('in_progress');
    expect(kindOf(begin(cache, { identifier: 0 }, 0))).toBe('new');
  });

  it('expires entries in arrival order, however many came and went', () => {
    const cache = new DuplicateCache(1_000, 1_000);
    for (let step = 0; step < 5_000; step += 1) begin(cache, { identifier: step % 256, port: step }, step);
    // Only the last second's requests are remembered.
    expect(cache.size).toBe(1_000);
    expect(kindOf(begin(cache, { identifier: 4_999 % 256, port: 4_999 }, 5_000))).toBe('in_progress');
  });

  it('forgets an abandoned request so its retransmission is processed', () => {
    const cache = new DuplicateCache();
    const first = begin(cache, { code: 4 }, 0);
    if (isNewRequest(first)) cache.abandon(first);
    expect(kindOf(begin(cache, { code: 4 }, 1))).toBe('new');
  });

  it('keeps a newer request that reused the identifier when the older one expires', () => {
    const cache = new DuplicateCache(1_000, 10);
    begin(cache, {}, 0);
    const newer = begin(cache, { authenticator: Buffer.alloc(16, 9) }, 500);
    expect(kindOf(newer)).toBe('new');
    // At 1,000 the first entry expires; the newer one (same key) must survive it.
    expect(kindOf(begin(cache, { authenticator: Buffer.alloc(16, 9) }, 1_000))).toBe('in_progress');
  });

  it('answers with the octets of the request repeated, never those of a later one written over them', () => {
    const cache = new DuplicateCache(60_000, 100);
    const first = begin(cache, { identifier: 0 }, 0);
    if (isNewRequest(first)) cache.complete(first, Buffer.alloc(4_096, 1));
    // Replies of the largest size until the response ring has gone round once.
    for (let identifier = 1; identifier <= 20; identifier += 1) {
      const entry = begin(cache, { identifier }, 0);
      if (isNewRequest(entry)) cache.complete(entry, Buffer.alloc(4_096, identifier + 1));
    }
    // The first reply's octets are gone: its retransmission is dropped as in progress (the NAS tries again).
    expect(begin(cache, { identifier: 0 }, 1)).toEqual({ kind: 'in_progress' });
    expect(begin(cache, { identifier: 20 }, 1)).toEqual({
      kind: 'answered',
      response: Buffer.alloc(4_096, 21),
    });
  });

  it('keeps its own copy of a response, and ignores answers for entries already dropped', () => {
    const cache = new DuplicateCache(5_000, 2);
    const response = Buffer.from('first reply');
    const first = begin(cache, { identifier: 1 }, 0);
    if (isNewRequest(first)) cache.complete(first, response);
    response.fill(0);
    expect(begin(cache, { identifier: 1 }, 1)).toEqual({
      kind: 'answered',
      response: Buffer.from('first reply'),
    });
    const second = begin(cache, { identifier: 2 }, 2);
    // A third request drops the oldest entry and takes its place in the ring.
    const third = begin(cache, { identifier: 3 }, 3);
    expect([kindOf(second), kindOf(third)]).toEqual(['new', 'new']);
    // A late answer to the dropped first request must not become the third one's.
    if (isNewRequest(first)) cache.complete(first, Buffer.from('late'));
    if (isNewRequest(first)) cache.abandon(first);
    expect(begin(cache, { identifier: 3 }, 4)).toEqual({ kind: 'in_progress' });
  });
});
