// Activity report: logins, unique devices, peak concurrent sessions and rejects by reason, per local day.
import type { TimeRange } from '../../../kernel/time-range';
import { isWithin, localDayIndexOf, localDayStartMs, localDaysOf, localDayText } from './local-days';

export interface AccessDecisionRecord {
  readonly atMs: number;
  readonly result: 'accept' | 'reject';
  /** An error catalogue code (`device_limit_reached`, …) for a reject; null for an accept. */
  readonly reasonCode: string | null;
  /** Calling-Station-Id as the NAS sent it; null when absent. */
  readonly mac: string | null;
  /** How many identical decisions this record stands for (the store groups them per day); 1 when absent. */
  readonly count?: number;
}

/** A session's life: [startMs, stopMs); stopMs null while it is open. */
export interface SessionInterval {
  readonly startMs: number;
  readonly stopMs: number | null;
}

export interface ActivityRow {
  readonly day: string;
  /** Accepted Access-Requests. */
  readonly logins: number;
  /** Distinct MAC addresses among the day's accepted logins. */
  readonly uniqueDevices: number;
  /** The most sessions open at one instant during the day. */
  readonly peakConcurrentSessions: number;
  readonly rejects: number;
}

export interface ActivityReport {
  readonly rows: ActivityRow[];
  readonly totals: {
    readonly logins: number;
    /** Distinct over the whole range (not the sum of the days). */
    readonly uniqueDevices: number;
    /** The highest of the days. */
    readonly peakConcurrentSessions: number;
    readonly rejects: number;
    readonly rejectsByReason: Record<string, number>;
  };
}

/** MAC addresses come as "aa:bb:…", "AA-BB-…" or "aabb.cc…": one device, one spelling. */
export function normalizeMac(mac: string): string {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.length === 12 ? (hex.match(/../g) ?? []).join('-') : mac.trim().toUpperCase();
}

export function buildActivityReport(
  decisions: Iterable<AccessDecisionRecord>,
  sessions: Iterable<SessionInterval>,
  range: TimeRange,
): ActivityReport {
  const days = localDaysOf(range);
  const perDay = new Map(days.map((day) => [day, { logins: 0, rejects: 0, devices: new Set<string>() }]));
  const allDevices = new Set<string>();
  const rejectsByReason: Record<string, number> = {};
  for (const decision of decisions) {
    if (!isWithin(range, decision.atMs)) continue;
    const day = perDay.get(localDayIndexOf(decision.atMs))!;
    const count = decision.count ?? 1;
    if (decision.result === 'reject') {
      day.rejects += count;
      const reason = decision.reasonCode ?? 'unknown';
      rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + count;
      continue;
    }
    day.logins += count;
    if (decision.mac !== null && decision.mac !== '') {
      const mac = normalizeMac(decision.mac);
      day.devices.add(mac);
      allDevices.add(mac);
    }
  }
  const peaks = peakConcurrentPerDay(sessions, range, days);
  const rows = days.map((dayIndex, position) => {
    const day = perDay.get(dayIndex)!;
    return {
      day: localDayText(dayIndex),
      logins: day.logins,
      uniqueDevices: day.devices.size,
      peakConcurrentSessions: peaks[position] ?? 0,
      rejects: day.rejects,
    };
  });
  return {
    rows,
    totals: {
      logins: rows.reduce((sum, row) => sum + row.logins, 0),
      uniqueDevices: allDevices.size,
      peakConcurrentSessions: Math.max(0, ...rows.map((row) => row.peakConcurrentSessions)),
      rejects: rows.reduce((sum, row) => sum + row.rejects, 0),
      rejectsByReason,
    },
  };
}

/**
 * One sweep over starts (+1) and stops (−1) in time order, a stop before a start at the same instant
 * (intervals are half-open: a session that ends as another begins does not overlap it). Each day's
 * peak starts from the sessions open at its midnight (or at the range's start).
 */
export function peakConcurrentPerDay(
  sessions: Iterable<SessionInterval>,
  range: TimeRange,
  days: readonly number[],
): number[] {
  const events: Array<[number, number]> = [];
  for (const session of sessions) {
    const stopMs = session.stopMs ?? Number.POSITIVE_INFINITY;
    if (stopMs <= range.fromMs || session.startMs >= range.toMs || stopMs <= session.startMs) continue;
    events.push([Math.max(session.startMs, range.fromMs), 1]);
    if (stopMs < range.toMs) events.push([stopMs, -1]);
  }
  events.sort((left, right) => left[0] - right[0] || left[1] - right[1]);
  const peaks: number[] = [];
  let open = 0;
  let next = 0;
  for (const dayIndex of days) {
    const dayEndMs = Math.min(localDayStartMs(dayIndex + 1), range.toMs);
    let peak = open;
    while (next < events.length && events[next]![0] < dayEndMs) {
      open += events[next]![1];
      peak = Math.max(peak, open);
      next += 1;
    }
    peaks.push(peak);
  }
  return peaks;
}
