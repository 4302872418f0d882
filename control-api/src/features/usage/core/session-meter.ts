// Turns one session's cumulative accounting counters into usage deltas, exactly once each.
//
// A NAS reports cumulative counters; usage is their increase. What the network does to records is
// undone here: duplicates and retransmissions count nothing; an interim arriving after a later one
// counts nothing (the later one already holds its octets); a 32-bit counter that wrapped without
// Gigawords is unwrapped; a NAS that restarted and reused an Acct-Session-Id starts a new "run" whose
// counters begin at zero; a session whose Stop was lost simply keeps what its last interim said.
//
// Runs are told apart by their anchor, the instant the session (re)started on the NAS: event time −
// Acct-Session-Time. Records of one run share it (within ANCHOR_TOLERANCE_MS); a run after a restart
// has a later one, since a NAS takes longer than the tolerance to reboot. Within a run, records are
// ordered by Acct-Session-Time, which the NAS counts itself.
import {
  COUNTER32_MODULUS,
  combinedOctets,
  isMeterable,
  type MeteredAccountingRecord,
} from './accounting-record';

/**
 * Records of one run differ in anchor by Acct-Session-Time's whole-second truncation (1 s),
 * Acct-Delay-Time's whole seconds (1 s) and transit; a RouterOS reboot takes far longer than 5 s.
 */
export const ANCHOR_TOLERANCE_MS = 5_000;
/** Runs remembered per session key: a NAS reusing one Acct-Session-Id more often is not plausible. */
export const RUNS_KEPT_MAX = 4;

export interface MeteredRun {
  /** Event time − session time: when this run started on the NAS. */
  readonly anchorMs: number;
  readonly sessionSeconds: number;
  readonly eventTimeMs: number;
  /** Cumulative octets since the run started, unwrapped. */
  readonly inputOctets: number;
  readonly outputOctets: number;
  /** The last counted record's raw Gigawords × 2^32 + Octets, to recognise its retransmission. */
  readonly lastRawInputOctets: number;
  readonly lastRawOutputOctets: number;
  readonly isStopped: boolean;
}

/** What is stored per session key between batches (JSON-safe). */
export interface SessionMeterState {
  /** Ascending by anchor, at most RUNS_KEPT_MAX. */
  readonly runs: readonly MeteredRun[];
  readonly lastEventTimeMs: number;
}

/** Usage counted from one record, over the time it accrued: [fromMs, toMs]. */
export interface MeteredUsage {
  readonly fromMs: number;
  readonly toMs: number;
  readonly inputOctets: number;
  readonly outputOctets: number;
  readonly sessionSeconds: number;
}

export type MeterOutcome =
  | 'counted'
  /** The same counters again (a retransmission). */
  | 'duplicate'
  /** Older than what was already counted for its run. */
  | 'late'
  /** From a run older than every run still remembered. */
  | 'stale'
  /** Not a well-formed record (see isMeterable). */
  | 'invalid';

export interface MeterResult {
  readonly outcome: MeterOutcome;
  readonly state: SessionMeterState | null;
  readonly usage: MeteredUsage | null;
}

export function meterRecord(state: SessionMeterState | null, record: MeteredAccountingRecord): MeterResult {
  if (!isMeterable(record)) return { outcome: 'invalid', state, usage: null };
  const rawInput = combinedOctets(record.inputOctets, record.inputGigawords);
  const rawOutput = combinedOctets(record.outputOctets, record.outputGigawords);
  const anchorMs = record.eventTimeMs - record.sessionSeconds * 1000;
  const runs = state?.runs ?? [];
  const runIndex = runs.findIndex((run) => Math.abs(run.anchorMs - anchorMs) <= ANCHOR_TOLERANCE_MS);
  if (runIndex === -1) return startRun(state, record, anchorMs, rawInput, rawOutput);
  const run = runs[runIndex]!;
  if (record.sessionSeconds === run.sessionSeconds) {
    if (rawInput === run.lastRawInputOctets && rawOutput === run.lastRawOutputOctets) {
      return { outcome: 'duplicate', state, usage: null };
    }
    // Two records in the same second: the one with smaller counters is the older.
    if (rawInput < run.lastRawInputOctets || rawOutput < run.lastRawOutputOctets) {
      return { outcome: 'late', state, usage: null };
    }
  }
  if (record.sessionSeconds < run.sessionSeconds) return { outcome: 'late', state, usage: null };
  const inputOctets = unwrap(run.inputOctets, rawInput);
  const outputOctets = unwrap(run.outputOctets, rawOutput);
  const fromMs = Math.min(run.eventTimeMs, record.eventTimeMs);
  const next: MeteredRun = {
    anchorMs: run.anchorMs,
    sessionSeconds: record.sessionSeconds,
    eventTimeMs: Math.max(run.eventTimeMs, record.eventTimeMs),
    inputOctets,
    outputOctets,
    lastRawInputOctets: rawInput,
    lastRawOutputOctets: rawOutput,
    isStopped: run.isStopped || record.status === 'stop',
  };
  return {
    outcome: 'counted',
    state: withRun(state, runs.with(runIndex, next), record.eventTimeMs),
    usage: {
      fromMs,
      toMs: record.eventTimeMs,
      inputOctets: inputOctets - run.inputOctets,
      outputOctets: outputOctets - run.outputOctets,
      sessionSeconds: record.sessionSeconds - run.sessionSeconds,
    },
  };
}

/**
 * The smallest value at or above `previous` that the NAS could mean by `raw`. A NAS with Gigawords
 * never goes back within a run, so `raw` is taken as it is; a 32-bit counter without Gigawords that
 * went back wrapped: it is counted modulo 2^32 (one wrap between two counted records at most, which
 * Gigawords exist to lift: RFC 2869 section 5.1).
 */
function unwrap(previous: number, raw: number): number {
  if (raw >= previous) return raw;
  const increase = (((raw - previous) % COUNTER32_MODULUS) + COUNTER32_MODULUS) % COUNTER32_MODULUS;
  return previous + increase;
}

function startRun(
  state: SessionMeterState | null,
  record: MeteredAccountingRecord,
  anchorMs: number,
  rawInput: number,
  rawOutput: number,
): MeterResult {
  const runs = state?.runs ?? [];
  const oldest = runs[0];
  if (runs.length >= RUNS_KEPT_MAX && oldest !== undefined && anchorMs < oldest.anchorMs) {
    return { outcome: 'stale', state, usage: null };
  }
  const run: MeteredRun = {
    anchorMs,
    sessionSeconds: record.sessionSeconds,
    eventTimeMs: record.eventTimeMs,
    inputOctets: rawInput,
    outputOctets: rawOutput,
    lastRawInputOctets: rawInput,
    lastRawOutputOctets: rawOutput,
    isStopped: record.status === 'stop',
  };
  const sorted = [...runs, run].sort((left, right) => left.anchorMs - right.anchorMs);
  return {
    outcome: 'counted',
    state: withRun(state, sorted.slice(-RUNS_KEPT_MAX), record.eventTimeMs),
    // A new run's counters started at zero when the session (re)started: at its anchor.
    usage: {
      fromMs: anchorMs,
      toMs: record.eventTimeMs,
      inputOctets: rawInput,
      outputOctets: rawOutput,
      sessionSeconds: record.sessionSeconds,
    },
  };
}

function withRun(
  state: SessionMeterState | null,
  runs: readonly MeteredRun[],
  eventTimeMs: number,
): SessionMeterState {
  return { runs, lastEventTimeMs: Math.max(state?.lastEventTimeMs ?? eventTimeMs, eventTimeMs) };
}

/**
 * Meter state is kept a week after a session's last record: longer than any NAS holds back
 * accounting while the RADIUS server is unreachable, so a late record still finds its run.
 */
export const SESSION_STATE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export function isSessionStateExpired(state: SessionMeterState, nowMs: number): boolean {
  return nowMs - state.lastEventTimeMs > SESSION_STATE_RETENTION_MS;
}
