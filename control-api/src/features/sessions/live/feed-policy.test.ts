import type { SessionOutput } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, snapshotFingerprint } from './feed-policy';

const publicUrl = 'https://wifi.example.co.ke';

describe('isAllowedOrigin', () => {
  it("accepts the page's own origin and the public URL's", () => {
    expect(isAllowedOrigin('http://127.0.0.1:8080', '127.0.0.1:8080', publicUrl)).toBe(true);
    expect(isAllowedOrigin('https://wifi.example.co.ke', 'kiunga-internal:3000', publicUrl)).toBe(true);
  });

  it('refuses another site, a missing or malformed Origin, and other schemes', () => {
    expect(isAllowedOrigin('https://evil.example', '127.0.0.1:8080', publicUrl)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:9999', '127.0.0.1:8080', publicUrl)).toBe(false);
    expect(isAllowedOrigin(undefined, '127.0.0.1:8080', publicUrl)).toBe(false);
    expect(isAllowedOrigin('null', '127.0.0.1:8080', publicUrl)).toBe(false);
    expect(isAllowedOrigin('file://127.0.0.1:8080', '127.0.0.1:8080', publicUrl)).toBe(false);
  });
});

const session = (id: string, inputOctets: number, uptimeSeconds: number): SessionOutput => ({
  id,
  nasId: 'nas_1',
  acctSessionId: id,
  username: 'alice',
  subjectKind: 'voucher',
  subjectId: 'vch_1',
  callingStationId: '02:00:00:00:00:01',
  framedIp: '10.0.0.2',
  status: 'open',
  startedAt: 0,
  updatedAt: 0,
  stoppedAt: null,
  uptimeSeconds,
  inputOctets,
  outputOctets: 0,
  terminateCause: null,
});

describe('snapshotFingerprint', () => {
  it('ignores uptime alone but sees bytes, sessions and the total change', () => {
    const base = snapshotFingerprint([session('a', 10, 5)], 1);
    expect(snapshotFingerprint([session('a', 10, 65)], 1)).toBe(base);
    expect(snapshotFingerprint([session('a', 11, 5)], 1)).not.toBe(base);
    expect(snapshotFingerprint([session('b', 10, 5)], 1)).not.toBe(base);
    expect(snapshotFingerprint([session('a', 10, 5)], 2)).not.toBe(base);
    expect(snapshotFingerprint([], 0)).not.toBe(base);
  });
});
