// Network report: traffic, sessions and uptime per NAS over a range.
import type { TimeRange } from '../../../kernel/time-range';

/** A NAS's traffic and sessions over the range. */
interface NetworkNasTraffic {
  readonly nasId: string;
  readonly name: string;
  /** From the NAS's usage rollups over the range (input = from clients, output = to clients). */
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly sessionSeconds: number;
  /** Sessions that started on it in the range. */
  readonly sessionsStarted: number;
}

export interface NetworkNasFacts extends NetworkNasTraffic {
  /** When it was quiet (from its alerts: raised → cleared; null: still quiet). */
  readonly quietIntervals: ReadonlyArray<{ readonly fromMs: number; readonly toMs: number | null }>;
}

export interface NetworkRow extends NetworkNasTraffic {
  readonly downMinutes: number;
  /** Hundredths of a percent, floored: 99.99 means at least 99.99 %. */
  readonly uptimePercent: number;
}

export interface NetworkReport {
  readonly rows: NetworkRow[];
  readonly totals: Omit<NetworkRow, 'nasId' | 'name'>;
}

const MINUTE_MS = 60_000;
const BASIS_POINTS = 10_000;

/** Milliseconds of the range covered by the union of the intervals (overlaps counted once). */
export function coveredMs(intervals: NetworkNasFacts['quietIntervals'], range: TimeRange): number {
  const clipped = intervals
    .map(
      (interval) =>
        [Math.max(interval.fromMs, range.fromMs), Math.min(interval.toMs ?? range.toMs, range.toMs)] as const,
    )
    .filter(([fromMs, toMs]) => toMs > fromMs)
    .sort((left, right) => left[0] - right[0]);
  let covered = 0;
  let reachedMs = range.fromMs;
  for (const [fromMs, toMs] of clipped) {
    const startMs = Math.max(fromMs, reachedMs);
    if (toMs > startMs) covered += toMs - startMs;
    reachedMs = Math.max(reachedMs, toMs);
  }
  return covered;
}

function uptimePercent(downMs: number, totalMs: number): number {
  if (totalMs <= 0) return 100;
  return Math.floor(((totalMs - downMs) * BASIS_POINTS) / totalMs) / 100;
}

export function buildNetworkReport(nasList: readonly NetworkNasFacts[], range: TimeRange): NetworkReport {
  const rangeMs = range.toMs - range.fromMs;
  let downMsTotal = 0;
  const rows = nasList.map((nas) => {
    const downMs = coveredMs(nas.quietIntervals, range);
    downMsTotal += downMs;
    return {
      nasId: nas.nasId,
      name: nas.name,
      inputOctets: nas.inputOctets,
      outputOctets: nas.outputOctets,
      sessionSeconds: nas.sessionSeconds,
      sessionsStarted: nas.sessionsStarted,
      downMinutes: Math.round(downMs / MINUTE_MS),
      uptimePercent: uptimePercent(downMs, rangeMs),
    };
  });
  const sum = (pick: (row: NetworkRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    rows,
    totals: {
      inputOctets: sum((row) => row.inputOctets),
      outputOctets: sum((row) => row.outputOctets),
      sessionSeconds: sum((row) => row.sessionSeconds),
      sessionsStarted: sum((row) => row.sessionsStarted),
      downMinutes: Math.round(downMsTotal / MINUTE_MS),
      // The network's uptime: the share of NAS-time up, over all NAS together.
      uptimePercent: uptimePercent(downMsTotal, rangeMs * rows.length),
    },
  };
}
