// Benchmark: Kiunga's AAA server and stock FreeRADIUS on the same voucher logins; requests/s and CPU µs each.
import { parseArgs } from 'node:util';
import { PacketCode } from '@kiunga/dictionaries';
import { readProcessCpuMicroseconds } from './cpu';
import { type FreeRadiusReply, isFreeRadiusInstalled, startFreeRadius } from './freeradius';
import { freeUdpPorts, type KiungaServer, startKiunga } from './kiunga';
import {
  driveLoad,
  IN_FLIGHT_MAX,
  type LoadRequest,
  type LoadRequestCode,
  type LoadStats,
  RATE_PER_SECOND_MAX,
  REQUESTS_MAX,
  RETRIES_MAX,
} from './load-generator';
import { startNodeFloor } from './node-floor';
import { buildAccessRequests, buildAccountingRequests, makeVoucherCodes } from './request-stream';

const VOUCHERS_DEFAULT = 1_000;
const REQUESTS_DEFAULT = 20_000;
/** The issue's target: nothing lost with 200 requests outstanding, as a busy hotspot produces. */
const IN_FLIGHT_DEFAULT = 200;
/** A MikroTik waits about this long per try by default; the server answers in well under a millisecond. */
const TIMEOUT_MS_DEFAULT = 3_000;
const RETRIES_DEFAULT = 2;
/** Enough to fill caches and let V8 optimise the hot path before measuring; capped for short runs. */
const WARMUP_REQUESTS_MAX = 2_000;
const VOUCHERS_MAX = 1_000_000;
/** A minute per try is already far beyond any NAS setting. */
const TIMEOUT_MS_MAX = 60_000;
const BENCH_SECRET = 'kiunga-bench-secret';
/** The issue's measurement: real routers' rates, one login stream each; where fixed per-packet costs show. */
const PACED_RATES_DEFAULT = [2_000, 10_000];
/** 30,000 logins per paced run, as in the issue: 15 s at 2,000/s, enough for CPU ticks (10 ms) to average out. */
const PACED_REQUESTS_DEFAULT = 30_000;
/** Rounds per paced run; the median is reported. Three is the fewest with a median that ignores one outlier. */
const PACED_ROUNDS_DEFAULT = 3;
const PACED_ROUNDS_MAX = 100;
/** The issue's accounting measurement: 2,000 sessions × (Start, 8 interims, Stop) = 20,000 records at ~15,000/s. */
const ACCOUNTING_RATE_DEFAULT = 15_000;
const ACCOUNTING_SESSIONS_DEFAULT = 2_000;
const INTERIMS_PER_SESSION_DEFAULT = 8;
const INTERIMS_PER_SESSION_MAX = 1_000;
/** A paced run keeps the schedule through a server stall this long (see pacedInFlight). */
const PACED_STALL_SECONDS = 0.25;
/** Below this share of the offered rate a target did not keep up, and its figure is not comparable. */
const ACHIEVED_SHARE_MIN = 0.95;
/** Paced accounting sessions are numbered from here, clear of the unpaced run's, so every round stores new ones. */
const PACED_ACCOUNTING_FIRST_SESSION = 10_000_000;
/** The paced runs' third target with --node-floor: a bare Node server, what Kiunga cannot go below. */
const NODE_FLOOR_TARGET = 'node-floor';
/** What Kiunga answers a voucher login with, so FreeRADIUS builds the same reply. */
const FREERADIUS_REPLY: FreeRadiusReply = [
  ['Session-Timeout', '3600'],
  ['Idle-Timeout', '300'],
  ['Acct-Interim-Interval', '300'],
  ['Mikrotik-Rate-Limit', '"2M/5M"'],
];

export interface BenchTarget {
  readonly name: string;
  readonly pid: number;
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  readonly secret: string;
  /** Voucher codes the server knows; each logs in with its code as password. */
  readonly codes: readonly string[];
  /** Where requests come from, when the server knows its NAS by a particular loopback address. */
  readonly sourceAddress?: string;
  stop(): Promise<void>;
}

interface RunOptions {
  readonly requests: number;
  readonly inFlight: number;
  readonly timeoutMs: number;
  readonly retries: number;
}

/** The fixed-rate runs: what real routers send, where a packet's fixed costs are not amortised. */
interface PacedOptions {
  /** Offered Access-Request rates, per second; each gets its own `auth-repeat` run. */
  readonly rates: readonly number[];
  readonly requests: number;
  /** Each paced run is repeated this often and reported as the median (and the range). */
  readonly rounds: number;
  readonly accountingRate: number;
  readonly accountingSessions: number;
  readonly interimsPerSession: number;
}

/**
 * `auth`: the login stream once after warm-up; with fresh vouchers it includes each one's first login, which
 * Kiunga records (first_used_at, a synchronous SQLite write). `auth-repeat`: the same stream again, every
 * voucher already used: the steady state of a hotspot. `acct`: Start, Interim-Update and Stop records.
 */
type RunName = 'auth' | 'auth-repeat' | 'acct';

interface Measurement {
  readonly target: string;
  readonly run: RunName;
  /** Offered requests per second; null when each answer released the next request (as fast as it goes). */
  readonly ratePerSecond: number | null;
  readonly stats: LoadStats;
  readonly cpuMicrosecondsPerRequest: number;
}

/** Several rounds of one paced run: the median is the figure, the range says how noisy the machine was. */
interface PacedSummary {
  readonly target: string;
  readonly run: RunName;
  readonly ratePerSecond: number;
  readonly cpuMicroseconds: { readonly median: number; readonly min: number; readonly max: number };
  readonly achievedRatePerSecond: number;
  readonly lost: number;
}

/** Kiunga on a scratch data directory seeded with `vouchers` demo vouchers; see ./kiunga.ts. */
export async function startKiungaTarget(options: { vouchers: number }): Promise<KiungaServer> {
  return startKiunga(options);
}

/** A UDP port free right now on loopback; the server binds it moments later. */
async function startFreeRadiusTarget(codes: readonly string[]): Promise<BenchTarget> {
  const host = '127.0.0.1';
  const [authPort, acctPort] = await freeUdpPorts(host);
  const users = codes.map((code) => ({ username: code, password: code }));
  const server = await startFreeRadius({
    host,
    authPort,
    acctPort,
    secret: BENCH_SECRET,
    users,
    reply: FREERADIUS_REPLY,
  });
  return { name: 'freeradius', codes, ...server };
}

/** The floor (node-floor-server.ts): Node's own cost of a signed reply, on the same paced stream. */
async function startNodeFloorTarget(codes: readonly string[]): Promise<BenchTarget> {
  const host = '127.0.0.1';
  const [authPort, acctPort] = await freeUdpPorts(host);
  const server = await startNodeFloor({ authPort, acctPort, secret: BENCH_SECRET });
  return { name: NODE_FLOOR_TARGET, codes, secret: BENCH_SECRET, ...server };
}

async function measure(
  target: BenchTarget,
  run: RunName,
  requests: readonly LoadRequest[],
  options: RunOptions & { readonly ratePerSecond?: number; readonly isWarm?: boolean },
): Promise<Measurement> {
  const isAccounting = run === 'acct';
  const code: LoadRequestCode = isAccounting ? PacketCode.AccountingRequest : PacketCode.AccessRequest;
  const port = isAccounting ? target.acctPort : target.authPort;
  const load = { host: target.host, port, secret: target.secret, code, sourceAddress: target.sourceAddress };
  // A repeat pass follows a measured pass of the same stream: the server is warm already.
  if (run !== 'auth-repeat' && options.isWarm !== true) {
    await driveLoad({
      ...load,
      requests: requests.slice(0, Math.min(WARMUP_REQUESTS_MAX, requests.length)),
      inFlight: options.inFlight,
      timeoutMs: options.timeoutMs,
      retries: 0,
    });
  }
  const windowStartMicroseconds = process.hrtime.bigint() / 1000n;
  const cpuBefore = readProcessCpuMicroseconds(target.pid);
  const stats = await driveLoad({
    ...load,
    requests,
    inFlight: options.inFlight,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    ratePerSecond: options.ratePerSecond,
  });
  const cpuMicroseconds = readProcessCpuMicroseconds(target.pid) - cpuBefore;
  if (process.env.KIUNGA_BENCH_PROFILE === '1') {
    // CLOCK_MONOTONIC µs, the clock of V8's .cpuprofile timestamps: the window to sum a profile over.
    const windowEndMicroseconds = process.hrtime.bigint() / 1000n;
    console.log(`profile window ${target.name} ${run}: ${windowStartMicroseconds} ${windowEndMicroseconds}`);
  }
  const measurement = {
    target: target.name,
    run,
    ratePerSecond: options.ratePerSecond ?? null,
    stats,
    cpuMicrosecondsPerRequest: cpuMicroseconds / requests.length,
  };
  printMeasurement(measurement);
  return measurement;
}

function printMeasurement(measurement: Measurement): void {
  const { stats } = measurement;
  const offered = measurement.ratePerSecond === null ? '' : ` @${measurement.ratePerSecond}/s`;
  console.log(
    `${measurement.target} ${measurement.run}${offered}: ${stats.sent} sent, ${stats.accepted} accepted, ` +
      `${stats.rejected} rejected, ${stats.accountingResponses} accounting responses, ${stats.timedOut} lost, ` +
      `${stats.retransmits} retransmits, ${stats.staleOrInvalidResponses} stale/invalid; ` +
      `${stats.requestsPerSecond.toFixed(0)} requests/s, ${measurement.cpuMicrosecondsPerRequest.toFixed(1)} µs CPU/request, ` +
      `latency p50 ${stats.latencyP50Ms.toFixed(2)} ms p99 ${stats.latencyP99Ms.toFixed(2)} ms`,
  );
}

/** The closed-loop runs: the login stream twice, then accounting, as fast as answers come back. */
async function benchUnpaced(target: BenchTarget, options: RunOptions): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const logins = buildAccessRequests(target.codes, options.requests);
  measurements.push(await measure(target, 'auth', logins, options));
  measurements.push(await measure(target, 'auth-repeat', logins, options));
  // One session per three requests, so the accounting run sends about as many packets as the login run.
  const sessions = Math.max(1, Math.floor(options.requests / 3));
  measurements.push(await measure(target, 'acct', buildAccountingRequests(target.codes, sessions), options));
  return measurements;
}

/** One paced run: what it sends at which rate, the same for every target. */
interface PacedRun {
  readonly run: RunName;
  readonly ratePerSecond: number;
  readonly requests: (target: BenchTarget, round: number) => readonly LoadRequest[];
}

function pacedRuns(paced: PacedOptions): PacedRun[] {
  const runs: PacedRun[] = paced.rates.map((ratePerSecond) => ({
    run: 'auth-repeat',
    ratePerSecond,
    requests: (target) => buildAccessRequests(target.codes, paced.requests),
  }));
  runs.push({
    run: 'acct',
    ratePerSecond: paced.accountingRate,
    // Fresh sessions each round (a Start for a session already stored is an update, not a new record).
    requests: (target, round) =>
      buildAccountingRequests(
        target.codes,
        paced.accountingSessions,
        paced.interimsPerSession,
        PACED_ACCOUNTING_FIRST_SESSION + round * paced.accountingSessions,
      ),
  });
  return runs;
}

/**
 * The paced runs, round by round with the targets taking turns, so that a shared machine's drift
 * in load falls on every target alike; each figure is the median of its rounds.
 */
async function benchPaced(
  targets: readonly BenchTarget[],
  options: RunOptions,
  paced: PacedOptions,
): Promise<PacedSummary[]> {
  const summaries: PacedSummary[] = [];
  for (const pacedRun of pacedRuns(paced)) {
    const rounds = new Map<BenchTarget, Measurement[]>(targets.map((target) => [target, []]));
    for (let round = 0; round < paced.rounds; round++) {
      for (const target of targets) {
        const requests = pacedRun.requests(target, round);
        const measurement = await measure(target, pacedRun.run, requests, {
          ...options,
          inFlight: pacedInFlight(options.inFlight, pacedRun.ratePerSecond),
          ratePerSecond: pacedRun.ratePerSecond,
          isWarm: true,
        });
        rounds.get(target)?.push(measurement);
      }
    }
    for (const target of targets) {
      summaries.push(summarise(target.name, pacedRun, rounds.get(target) ?? []));
    }
  }
  return summaries;
}

/**
 * Outstanding requests a paced run allows: enough for PACED_STALL_SECONDS of the offered rate, so a
 * server that stalls (a busy machine, an fsync) meets the schedule's backlog, as from real routers,
 * instead of slowing the offer down.
 */
function pacedInFlight(inFlight: number, ratePerSecond: number): number {
  return Math.min(IN_FLIGHT_MAX, Math.max(inFlight, Math.ceil(ratePerSecond * PACED_STALL_SECONDS)));
}

function summarise(targetName: string, pacedRun: PacedRun, rounds: readonly Measurement[]): PacedSummary {
  const cpu = rounds.map((item) => item.cpuMicrosecondsPerRequest).sort((left, right) => left - right);
  const rates = rounds.map((item) => item.stats.requestsPerSecond).sort((left, right) => left - right);
  return {
    target: targetName,
    run: pacedRun.run,
    ratePerSecond: pacedRun.ratePerSecond,
    cpuMicroseconds: { median: median(cpu), min: cpu[0] ?? 0, max: cpu[cpu.length - 1] ?? 0 },
    achievedRatePerSecond: median(rates),
    lost: rounds.reduce((sum, item) => sum + item.stats.timedOut, 0),
  };
}

function median(sortedValues: readonly number[]): number {
  if (sortedValues.length === 0) return 0;
  const middle = Math.floor(sortedValues.length / 2);
  return sortedValues.length % 2 === 1
    ? sortedValues[middle]!
    : (sortedValues[middle - 1]! + sortedValues[middle]!) / 2;
}

function printTable(measurements: readonly Measurement[], summaries: readonly PacedSummary[]): void {
  console.log('\ntarget      run          requests  requests/s  CPU µs/request  lost  retransmits  p99 ms');
  for (const { target, run, stats, cpuMicrosecondsPerRequest } of measurements) {
    console.log(
      `${target.padEnd(11)} ${run.padEnd(12)} ${String(stats.sent).padStart(8)}  ${stats.requestsPerSecond.toFixed(0).padStart(10)}` +
        `  ${cpuMicrosecondsPerRequest.toFixed(1).padStart(14)}  ${String(stats.timedOut).padStart(4)}` +
        `  ${String(stats.retransmits).padStart(11)}  ${stats.latencyP99Ms.toFixed(2).padStart(6)}`,
    );
  }
  console.log('');
  const ratios = (['auth', 'auth-repeat', 'acct'] as const).map((run) => printRatio(measurements, run));
  const steadyCpuRatio = ratios[1];
  if (steadyCpuRatio !== undefined) {
    console.log(
      `target CPU ≤ FreeRADIUS on repeat logins (reach for ×0.5): ${steadyCpuRatio <= 1 ? 'met' : 'NOT met'}`,
    );
  }
  const kiungaLost = measurements
    .filter((item) => item.target === 'kiunga' && item.run !== 'acct')
    .reduce((sum, item) => sum + item.stats.timedOut, 0);
  console.log(
    `target no request lost at ${IN_FLIGHT_DEFAULT} in flight: ${kiungaLost === 0 ? 'met' : 'NOT met'}`,
  );
  printPacedTable(summaries);
}

/** The fixed-rate runs: server CPU per request, median of the rounds (min–max), and Kiunga against FreeRADIUS. */
function printPacedTable(summaries: readonly PacedSummary[]): void {
  if (summaries.length === 0) return;
  console.log('\nfixed offered rate (median of rounds; CPU of the whole server process over the run)');
  console.log('target      run          offered/s  achieved/s  CPU µs/request (min–max)  lost');
  for (const summary of summaries) {
    const { median: middle, min, max } = summary.cpuMicroseconds;
    console.log(
      `${summary.target.padEnd(11)} ${summary.run.padEnd(12)} ${String(summary.ratePerSecond).padStart(9)}` +
        `  ${summary.achievedRatePerSecond.toFixed(0).padStart(10)}` +
        `  ${`${middle.toFixed(1)} (${min.toFixed(1)}–${max.toFixed(1)})`.padStart(24)}  ${String(summary.lost).padStart(4)}`,
    );
  }
  console.log('');
  for (const kiunga of summaries.filter((item) => item.target === 'kiunga')) {
    const freeradius = summaries.find(
      (item) =>
        item.target === 'freeradius' &&
        item.run === kiunga.run &&
        item.ratePerSecond === kiunga.ratePerSecond,
    );
    if (freeradius === undefined) continue;
    const ratio = kiunga.cpuMicroseconds.median / freeradius.cpuMicroseconds.median;
    const behind = [kiunga, freeradius].filter(
      (item) => item.achievedRatePerSecond < ACHIEVED_SHARE_MIN * item.ratePerSecond,
    );
    const verdict =
      behind.length > 0
        ? `not comparable: ${behind.map((item) => item.target).join(' and ')} did not keep up (machine busy?)`
        : `target below FreeRADIUS ${ratio < 1 ? 'met' : 'NOT met'}`;
    console.log(
      `kiunga/freeradius, ${kiunga.run} @${kiunga.ratePerSecond}/s: CPU per request ×${ratio.toFixed(2)} ` +
        `(${kiunga.cpuMicroseconds.median.toFixed(1)} vs ${freeradius.cpuMicroseconds.median.toFixed(1)} µs): ${verdict}`,
    );
  }
  printAboveFloor(summaries);
}

/** With --node-floor: how far each server is above what Node itself costs at that rate. */
function printAboveFloor(summaries: readonly PacedSummary[]): void {
  for (const floor of summaries.filter((item) => item.target === NODE_FLOOR_TARGET)) {
    const others = summaries.filter(
      (item) =>
        item.target !== NODE_FLOOR_TARGET &&
        item.run === floor.run &&
        item.ratePerSecond === floor.ratePerSecond,
    );
    const above = others.map(
      (item) =>
        `${item.target} +${(item.cpuMicroseconds.median - floor.cpuMicroseconds.median).toFixed(1)} µs`,
    );
    console.log(
      `above the node floor, ${floor.run} @${floor.ratePerSecond}/s (floor ${floor.cpuMicroseconds.median.toFixed(1)} µs): ${above.join(', ')}`,
    );
  }
}

/** Prints Kiunga against FreeRADIUS for one unpaced pass; returns the CPU ratio, if both ran it. */
function printRatio(measurements: readonly Measurement[], run: RunName): number | undefined {
  const kiunga = measurements.find((item) => item.target === 'kiunga' && item.run === run);
  const freeradius = measurements.find((item) => item.target === 'freeradius' && item.run === run);
  if (kiunga === undefined || freeradius === undefined) return undefined;
  const cpuRatio = kiunga.cpuMicrosecondsPerRequest / freeradius.cpuMicrosecondsPerRequest;
  const rateRatio = kiunga.stats.requestsPerSecond / freeradius.stats.requestsPerSecond;
  console.log(
    `kiunga/freeradius, ${run}: CPU per request ×${cpuRatio.toFixed(2)}, requests/s ×${rateRatio.toFixed(2)}`,
  );
  return cpuRatio;
}

function parsePositiveInteger(text: string, flag: string, maximum: number): number {
  const value = Number.parseInt(text, 10);
  if (!Number.isInteger(value) || value < 1 || value > maximum)
    throw new Error(`${flag} must be 1..${maximum}`);
  return value;
}

function parseRates(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((item) => parsePositiveInteger(item.trim(), '--rates', RATE_PER_SECOND_MAX));
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      vouchers: { type: 'string', default: String(VOUCHERS_DEFAULT) },
      requests: { type: 'string', default: String(REQUESTS_DEFAULT) },
      'in-flight': { type: 'string', default: String(IN_FLIGHT_DEFAULT) },
      'timeout-ms': { type: 'string', default: String(TIMEOUT_MS_DEFAULT) },
      retries: { type: 'string', default: String(RETRIES_DEFAULT) },
      target: { type: 'string', default: 'both' },
      rates: { type: 'string', default: PACED_RATES_DEFAULT.join(',') },
      'paced-requests': { type: 'string', default: String(PACED_REQUESTS_DEFAULT) },
      rounds: { type: 'string', default: String(PACED_ROUNDS_DEFAULT) },
      'acct-rate': { type: 'string', default: String(ACCOUNTING_RATE_DEFAULT) },
      'acct-sessions': { type: 'string', default: String(ACCOUNTING_SESSIONS_DEFAULT) },
      interims: { type: 'string', default: String(INTERIMS_PER_SESSION_DEFAULT) },
      'node-floor': { type: 'boolean', default: false },
    },
  });
  const target = values.target;
  if (target !== 'both' && target !== 'kiunga' && target !== 'freeradius') {
    throw new Error('--target must be both, kiunga or freeradius');
  }
  const run: RunOptions = {
    requests: parsePositiveInteger(values.requests, '--requests', REQUESTS_MAX),
    inFlight: parsePositiveInteger(values['in-flight'], '--in-flight', IN_FLIGHT_MAX),
    timeoutMs: parsePositiveInteger(values['timeout-ms'], '--timeout-ms', TIMEOUT_MS_MAX),
    retries: Number.parseInt(values.retries, 10),
  };
  if (!Number.isInteger(run.retries) || run.retries < 0 || run.retries > RETRIES_MAX) {
    throw new Error(`--retries must be 0..${RETRIES_MAX}`);
  }
  const interimsPerSession = Number.parseInt(values.interims, 10);
  if (
    !Number.isInteger(interimsPerSession) ||
    interimsPerSession < 0 ||
    interimsPerSession > INTERIMS_PER_SESSION_MAX
  ) {
    throw new Error(`--interims must be 0..${INTERIMS_PER_SESSION_MAX}`);
  }
  const paced: PacedOptions = {
    rates: parseRates(values.rates),
    requests: parsePositiveInteger(values['paced-requests'], '--paced-requests', REQUESTS_MAX),
    rounds: parsePositiveInteger(values.rounds, '--rounds', PACED_ROUNDS_MAX),
    accountingRate: parsePositiveInteger(values['acct-rate'], '--acct-rate', RATE_PER_SECOND_MAX),
    accountingSessions: parsePositiveInteger(values['acct-sessions'], '--acct-sessions', REQUESTS_MAX),
    interimsPerSession,
  };
  return {
    target,
    vouchers: parsePositiveInteger(values.vouchers, '--vouchers', VOUCHERS_MAX),
    run,
    paced,
    isNodeFloorRun: values['node-floor'] === true,
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  console.log(
    `RADIUS benchmark: ${options.vouchers} vouchers, ${options.run.requests} requests, ` +
      `${options.run.inFlight} in flight, timeout ${options.run.timeoutMs} ms × ${options.run.retries + 1} tries; ` +
      `paced: ${options.paced.requests} logins at ${options.paced.rates.join(', ')}/s and ` +
      `${options.paced.accountingSessions} sessions × ${options.paced.interimsPerSession + 2} accounting records ` +
      `at ${options.paced.accountingRate}/s, ${options.paced.rounds} rounds each, targets taking turns`,
  );
  const measurements: Measurement[] = [];
  const targets: BenchTarget[] = [];
  try {
    let codes: readonly string[] = makeVoucherCodes(options.vouchers);
    if (options.target !== 'freeradius') {
      try {
        const kiunga = { name: 'kiunga', ...(await startKiungaTarget({ vouchers: options.vouchers })) };
        targets.push(kiunga);
        codes = kiunga.codes;
        measurements.push(...(await benchUnpaced(kiunga, options.run)));
      } catch (error) {
        console.log(`kiunga: skipped (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (options.target !== 'kiunga') {
      if (isFreeRadiusInstalled()) {
        // Same codes as Kiunga's seed, so both servers get the very same stream of logins.
        const freeradius = await startFreeRadiusTarget(codes);
        targets.push(freeradius);
        measurements.push(...(await benchUnpaced(freeradius, options.run)));
      } else {
        console.log('freeradius: skipped (`which freeradius` found nothing; apt-get install freeradius)');
      }
    }
    // Paced runs only: the floor answers every request alike, so its unpaced figures would say nothing more.
    if (options.isNodeFloorRun) targets.push(await startNodeFloorTarget(codes));
    const summaries = await benchPaced(targets, options.run, options.paced);
    printTable(measurements, summaries);
  } finally {
    for (const target of targets) await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
