// Tests of RFC 5080 duplicate detection.
import { describe, expect, it } from 'vitest';
import { DuplicateCache, type DuplicateRequest } from './duplicate-cache';

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

describe('DuplicateCache', () => {
  it('answers a retransmission with the cached response within the window', () => {
    const cache = new DuplicateCache(5_000, 10);
    const first = begin(cache, {}, 1_000);
    expect(first.kind).toBe('new');
    expect(begin(cache, {}, 1_001)).toEqual({ kind: 'in_progress' });
    if (first.kind === 'new') cache.complete(first, Buffer.from('reply'));
    // The same bytes arrive again, in a new buffer.
    expect(begin(cache, { authenticator: Buffer.from(authenticator) }, 2_000)).toEqual({
      kind: 'answered',
      response: Buffer.from('reply'),
    });
    expect(begin(cache, {}, 6_001).kind).toBe('new');
  });

  it('tells requests apart by NAS, address, port, code, identifier and authenticator', () => {
    const cache = new DuplicateCache(5_000, 10);
    begin(cache, {}, 0);
    expect(begin(cache, { nasId: 'nas_2' }, 0).kind).toBe('new');
    expect(begin(cache, { port: 40001 }, 0).kind).toBe('new');
    expect(begin(cache, { code: 4 }, 0).kind).toBe('new');
    expect(begin(cache, { identifier: 10 }, 0).kind).toBe('new');
    expect(begin(cache, { authenticator: Buffer.alloc(16, 8) }, 0).kind).toBe('new');
    // A NAS known by identifier that moved address: not a retransmission of the old request.
    expect(begin(cache, { address: '127.0.0.5', authenticator: Buffer.alloc(16, 8) }, 0).kind).toBe('new');
  });

  it('stays within its bound by dropping the oldest entries', () => {
    const cache = new DuplicateCache(5_000, 3);
    for (let identifier = 0; identifier < 10; identifier += 1) begin(cache, { identifier }, 0);
    expect(cache.size).toBe(3);
    expect(begin(cache, { identifier: 9 }, 0).kind).toBe('in_progress');
    expect(begin(cache, { identifier: 0 }, 0).kind).toBe('new');
  });

  it('expires entries in arrival order, however many came and went', () => {
    const cache = new DuplicateCache(1_000, 1_000);
    for (let step = 0; step < 5_000; step += 1) begin(cache, { identifier: step % 256, port: step }, step);
    // Only the last second's requests are remembered.
    expect(cache.size).toBe(1_000);
    expect(begin(cache, { identifier: 4_999 % 256, port: 4_999 }, 5_000).kind).toBe('in_progress');
  });

  it('forgets an abandoned request so its retransmission is processed', () => {
    const cache = new DuplicateCache();
    const first = begin(cache, { code: 4 }, 0);
    if (first.kind === 'new') cache.abandon(first);
    expect(begin(cache, { code: 4 }, 1).kind).toBe('new');
  });

  it('keeps a newer request that reused the identifier when the older one expires', () => {
    const cache = new DuplicateCache(1_000, 10);
    begin(cache, {}, 0);
    const newer = begin(cache, { authenticator: Buffer.alloc(16, 9) }, 500);
    expect(newer.kind).toBe('new');
    // At 1,000 the first entry expires; the newer one (same key) must survive it.
    expect(begin(cache, { authenticator: Buffer.alloc(16, 9) }, 1_000).kind).toBe('in_progress');
  });
});
