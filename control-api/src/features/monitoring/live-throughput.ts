// Live per-client throughput and per-NAS totals for the ISP live view, from the AAA server's live
// sessions: a client's rate is its octets between two interim updates over the time between them.
import type { LiveSessionView } from '@kiunga/schemas';

const BITS_PER_OCTET = 8;
const MS_PER_SECOND = 1_000;

/** What is kept per session from one look to the next: its last interim and the rate it gave. */
export interface InterimMark {
  readonly lastUpdateMs: number;
  /** False for a session seen only at its Start: a rate is taken between two interims, never from a Start. */
  readonly isInterim: boolean;
  readonly inputOctets: number;
  readonly outputOctets: number;
  /** From the client (Acct-Input-Octets), per second; null until a second interim arrives. */
  readonly inBitsPerSecond: number | null;
  readonly outBitsPerSecond: number | null;
}

/**
 * The marks after this look: a session with a newer interim gets the rate over the interval since
 * the one before; the same interim keeps its rate; a new session, one seen before only at its Start
 * (the first interim follows a Start that the look happened to catch), or one whose counters went back
 * (a restarted session), has none yet. Sessions gone are dropped, so the map stays as big as the ISP.
 */
export function advanceInterimMarks(
  previous: ReadonlyMap<string, InterimMark>,
  sessions: Iterable<LiveSessionView>,
): Map<string, InterimMark> {
  const next = new Map<string, InterimMark>();
  for (const session of sessions) {
    const before = previous.get(session.sessionId);
    const intervalMs = before ? session.lastUpdateMs - before.lastUpdateMs : 0;
    const isNewer = before !== undefined && intervalMs > 0;
    // A Start sets lastUpdateMs to the session's start (intake/accounting-request.ts); any interim after it is later.
    const isInterim = session.lastUpdateMs > session.startedAtMs;
    const isCountingOn =
      isNewer &&
      before.isInterim &&
      session.inputOctets >= before.inputOctets &&
      session.outputOctets >= before.outputOctets;
    const rate = (now: number, then: number) =>
      Math.round(((now - then) * BITS_PER_OCTET * MS_PER_SECOND) / intervalMs);
    next.set(session.sessionId, {
      lastUpdateMs: session.lastUpdateMs,
      isInterim,
      inputOctets: session.inputOctets,
      outputOctets: session.outputOctets,
      inBitsPerSecond: isCountingOn
        ? rate(session.inputOctets, before.inputOctets)
        : before && !isNewer
          ? before.inBitsPerSecond
          : null,
      outBitsPerSecond: isCountingOn
        ? rate(session.outputOctets, before.outputOctets)
        : before && !isNewer
          ? before.outBitsPerSecond
          : null,
    });
  }
  return next;
}

export interface NasLiveTotals {
  readonly nasId: string;
  readonly sessions: number;
  readonly inputOctets: number;
  readonly outputOctets: number;
  /** The sum of its clients' known rates. */
  readonly inBitsPerSecond: number;
  readonly outBitsPerSecond: number;
}

/** Per NAS: clients online, their octets this session, and their summed rates; by NAS id. */
export function nasLiveTotals(
  sessions: Iterable<LiveSessionView>,
  marks: ReadonlyMap<string, InterimMark>,
): NasLiveTotals[] {
  const totals = new Map<string, { -readonly [Key in keyof NasLiveTotals]: NasLiveTotals[Key] }>();
  for (const session of sessions) {
    const total = totals.get(session.nasId) ?? {
      nasId: session.nasId,
      sessions: 0,
      inputOctets: 0,
      outputOctets: 0,
      inBitsPerSecond: 0,
      outBitsPerSecond: 0,
    };
    const mark = marks.get(session.sessionId);
    total.sessions += 1;
    total.inputOctets += session.inputOctets;
    total.outputOctets += session.outputOctets;
    total.inBitsPerSecond += mark?.inBitsPerSecond ?? 0;
    total.outBitsPerSecond += mark?.outBitsPerSecond ?? 0;
    totals.set(session.nasId, total);
  }
  return [...totals.values()].sort((left, right) => (left.nasId < right.nasId ? -1 : 1));
}
