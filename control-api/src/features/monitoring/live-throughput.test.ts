import type { LiveSessionView } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { advanceInterimMarks, nasLiveTotals } from './live-throughput';

const session = (
  sessionId: string,
  nasId: string,
  lastUpdateMs: number,
  inputOctets: number,
  outputOctets: number,
): LiveSessionView => ({
  sessionId,
  tenantId: 'ten_a',
  nasId,
  acctSessionId: sessionId,
  username: sessionId,
  subjectKind: 'voucher',
  subjectId: `vch_${sessionId}`,
  callingStationId: '',
  framedIp: null,
  // Started a minute before the first look: every look below is at an interim, not at the Start.
  startedAtMs: -60_000,
  lastUpdateMs,
  inputOctets,
  outputOctets,
});

describe('advanceInterimMarks', () => {
  it('gives a rate only once a second interim arrives, and keeps it until the next', () => {
    const first = advanceInterimMarks(new Map(), [session('a', 'nas_1', 0, 0, 0)]);
    expect(first.get('a')).toMatchObject({ inBitsPerSecond: null, outBitsPerSecond: null });
    // 300 s later: 3,750,000 octets in (100 kb/s), 37,500,000 out (1 Mb/s).
    const second = advanceInterimMarks(first, [session('a', 'nas_1', 300_000, 3_750_000, 37_500_000)]);
    expect(second.get('a')).toMatchObject({ inBitsPerSecond: 100_000, outBitsPerSecond: 1_000_000 });
    const unchanged = advanceInterimMarks(second, [session('a', 'nas_1', 300_000, 3_750_000, 37_500_000)]);
    expect(unchanged.get('a')).toMatchObject({ inBitsPerSecond: 100_000, outBitsPerSecond: 1_000_000 });
  });

  it('takes no rate from a look at the Start: the first interim after it gives none, the second does', () => {
    const atStart = { ...session('a', 'nas_1', 0, 0, 0), startedAtMs: 0 };
    const firstInterim = advanceInterimMarks(advanceInterimMarks(new Map(), [atStart]), [
      { ...session('a', 'nas_1', 200, 1_000_000, 5_000_000), startedAtMs: 0 },
    ]);
    expect(firstInterim.get('a')).toMatchObject({ inBitsPerSecond: null, outBitsPerSecond: null });
    const secondInterim = advanceInterimMarks(firstInterim, [
      { ...session('a', 'nas_1', 60_200, 1_750_000, 12_500_000), startedAtMs: 0 },
    ]);
    expect(secondInterim.get('a')).toMatchObject({ inBitsPerSecond: 100_000, outBitsPerSecond: 1_000_000 });
  });

  it('gives no rate when counters went back (a restarted session) and forgets sessions gone', () => {
    const first = advanceInterimMarks(new Map(), [
      session('a', 'nas_1', 0, 500, 500),
      session('b', 'nas_1', 0, 0, 0),
    ]);
    const next = advanceInterimMarks(first, [session('a', 'nas_1', 60_000, 100, 100)]);
    expect(next.get('a')).toMatchObject({ inBitsPerSecond: null });
    expect(next.has('b')).toBe(false);
  });
});

describe('nasLiveTotals', () => {
  it('sums clients, octets and known rates per NAS', () => {
    const sessions = [
      session('a', 'nas_1', 300_000, 3_750_000, 37_500_000),
      session('b', 'nas_1', 300_000, 10, 20),
      session('c', 'nas_2', 300_000, 5, 5),
    ];
    const marks = advanceInterimMarks(
      advanceInterimMarks(new Map(), [session('a', 'nas_1', 0, 0, 0)]),
      sessions,
    );
    expect(nasLiveTotals(sessions, marks)).toEqual([
      {
        nasId: 'nas_1',
        sessions: 2,
        inputOctets: 3_750_010,
        outputOctets: 37_500_020,
        inBitsPerSecond: 100_000,
        outBitsPerSecond: 1_000_000,
      },
      {
        nasId: 'nas_2',
        sessions: 1,
        inputOctets: 5,
        outputOctets: 5,
        inBitsPerSecond: 0,
        outBitsPerSecond: 0,
      },
    ]);
  });
});
