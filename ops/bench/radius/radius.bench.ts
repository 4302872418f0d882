// Benchmark: Kiunga's AAA server and stock FreeRADIUS on the same voucher logins; requests/s and CPU µs each.
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { PacketCode } from '@kiunga/dictionaries';
import { readProcessCpuMicroseconds } from './cpu';
import { type FreeRadiusReply, isFreeRadiusInstalled, startFreeRadius } from './freeradius';
import { type KiungaServer, startKiunga } from './kiunga';
import {
  driveLoad,
  IN_FLIGHT_MAX,
  type LoadRequest,
  type LoadRequestCode,
  type LoadStats,
  REQUESTS_MAX,
  RETRIES_MAX,
} from './load-generator';
import { buildAccessRequests, buildAccountingRequests, makeVoucherCodes } from './request-stream';

const VOUCHERS_DEFAULT = 1_000;
const REQUESTS_DEFAULT = 20_000;
/** The target: nothing lost with 200 requests outstanding, as a busy hotspot produces. */
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

/**
 * `auth`: the login stream once after warm-up; with fresh vouchers it includes each one's first login, which
 * Kiunga records (first_used_at, a synchronous SQLite write). `auth-repeat`: the same stream again, every
 * voucher already used: the steady state of a hotspot. `acct`: Start, Interim-Update and Stop records.
 */
type RunName = 'auth' | 'auth-repeat' | 'acct';

interface Measurement {
  readonly target: string;
  readonly run: RunName;
  readonly stats: LoadStats;
  readonly cpuMicrosecondsPerRequest: number;
}

/** Kiunga on a scratch data directory seeded with `vouchers` demo vouchers; see ./kiunga.ts. */
export async function startKiungaTarget(options: { vouchers: number }): Promise<KiungaServer> {
  return startKiunga(options);
}

/** A UDP port free right now on loopback; the server binds it moments later. */
async function freeUdpPort(host: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: host, port: 0 }, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function startFreeRadiusTarget(codes: readonly string[]): Promise<BenchTarget> {
  const host = '127.0.0.1';
  const authPort = await freeUdpPort(host);
  let acctPort = await freeUdpPort(host);
  if (acctPort === authPort) acctPort = await freeUdpPort(host);
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

async function measure(
  target: BenchTarget,
  run: RunName,
  requests: readonly LoadRequest[],
  options: RunOptions,
): Promise<Measurement> {
  const isAccounting = run === 'acct';
  const code: LoadRequestCode = isAccounting ? PacketCode.AccountingRequest : PacketCode.AccessRequest;
  const port = isAccounting ? target.acctPort : target.authPort;
  const load = { host: target.host, port, secret: target.secret, code, sourceAddress: target.sourceAddress };
  // A repeat pass follows a measured pass of the same stream: the server is warm already.
  if (run !== 'auth-repeat') {
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
    stats,
    cpuMicrosecondsPerRequest: cpuMicroseconds / requests.length,
  };
  printMeasurement(measurement);
  return measurement;
}

function printMeasurement(measurement: Measurement): void {
  const { stats } = measurement;
  console.log(
    `${measurement.target} ${measurement.run}: ${stats.sent} sent, ${stats.accepted} accepted, ` +
      `${stats.rejected} rejected, ${stats.accountingResponses} accounting responses, ${stats.timedOut} lost, ` +
      `${stats.retransmits} retransmits, ${stats.staleOrInvalidResponses} stale/invalid; ` +
      `${stats.requestsPerSecond.toFixed(0)} requests/s, ${measurement.cpuMicrosecondsPerRequest.toFixed(1)} µs CPU/request, ` +
      `latency p50 ${stats.latencyP50Ms.toFixed(2)} ms p99 ${stats.latencyP99Ms.toFixed(2)} ms`,
  );
}

/** Runs the login benchmark (and, for Kiunga, the accounting one), always stopping the server. */
async function benchTarget(
  target: BenchTarget,
  options: RunOptions,
  withAccounting: boolean,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  try {
    const logins = buildAccessRequests(target.codes, options.requests);
    measurements.push(await measure(target, 'auth', logins, options));
    measurements.push(await measure(target, 'auth-repeat', logins, options));
    if (withAccounting) {
      // One session per three requests, so the accounting run sends about as many packets as the login run.
      const sessions = Math.max(1, Math.floor(options.requests / 3));
      measurements.push(
        await measure(target, 'acct', buildAccountingRequests(target.codes, sessions), options),
      );
    }
  } finally {
    await target.stop();
  }
  return measurements;
}

function printTable(measurements: readonly Measurement[]): void {
  console.log('\ntarget      run          requests  requests/s  CPU µs/request  lost  retransmits  p99 ms');
  for (const { target, run, stats, cpuMicrosecondsPerRequest } of measurements) {
    console.log(
      `${target.padEnd(11)} ${run.padEnd(12)} ${String(stats.sent).padStart(8)}  ${stats.requestsPerSecond.toFixed(0).padStart(10)}` +
        `  ${cpuMicrosecondsPerRequest.toFixed(1).padStart(14)}  ${String(stats.timedOut).padStart(4)}` +
        `  ${String(stats.retransmits).padStart(11)}  ${stats.latencyP99Ms.toFixed(2).padStart(6)}`,
    );
  }
  console.log('');
  const ratios = (['auth', 'auth-repeat'] as const).map((run) => printRatio(measurements, run));
  const steadyCpuRatio = ratios[1];
  if (steadyCpuRatio === undefined) return;
  console.log(
    `target CPU ≤ FreeRADIUS on repeat logins (reach for ×0.5): ${steadyCpuRatio <= 1 ? 'met' : 'NOT met'}`,
  );
  const kiungaLost = measurements
    .filter((item) => item.target === 'kiunga' && item.run !== 'acct')
    .reduce((sum, item) => sum + item.stats.timedOut, 0);
  console.log(
    `target no request lost at ${IN_FLIGHT_DEFAULT} in flight: ${kiungaLost === 0 ? 'met' : 'NOT met'}`,
  );
}

/** Prints Kiunga against FreeRADIUS for one login pass; returns the CPU ratio, if both ran it. */
function printRatio(measurements: readonly Measurement[], run: RunName): number | undefined {
  const kiunga = measurements.find((item) => item.target === 'kiunga' && item.run === run);
  const freeradius = measurements.find((item) => item.target === 'freeradius' && item.run === run);
  if (kiunga === undefined || freeradius === undefined) return undefined;
  const cpuRatio = kiunga.cpuMicrosecondsPerRequest / freeradius.cpuMicrosecondsPerRequest;
  const rateRatio = kiunga.stats.requestsPerSecond / freeradius.stats.requestsPerSecond;
  console.log(
    `kiunga/freeradius, Access-Request (${run}): CPU per request ×${cpuRatio.toFixed(2)}, requests/s ×${rateRatio.toFixed(2)}`,
  );
  return cpuRatio;
}

function parsePositiveInteger(text: string, flag: string, maximum: number): number {
  const value = Number.parseInt(text, 10);
  if (!Number.isInteger(value) || value < 1 || value > maximum)
    throw new Error(`${flag} must be 1..${maximum}`);
  return value;
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
  return { target, vouchers: parsePositiveInteger(values.vouchers, '--vouchers', VOUCHERS_MAX), run };
}

async function main(): Promise<void> {
  const options = parseOptions();
  console.log(
    `RADIUS benchmark: ${options.vouchers} vouchers, ${options.run.requests} requests, ` +
      `${options.run.inFlight} in flight, timeout ${options.run.timeoutMs} ms × ${options.run.retries + 1} tries`,
  );
  const measurements: Measurement[] = [];
  let codes: readonly string[] = makeVoucherCodes(options.vouchers);
  if (options.target !== 'freeradius') {
    try {
      const kiunga = await startKiungaTarget({ vouchers: options.vouchers });
      codes = kiunga.codes;
      measurements.push(...(await benchTarget({ name: 'kiunga', ...kiunga }, options.run, true)));
    } catch (error) {
      console.log(`kiunga: skipped (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (options.target !== 'kiunga') {
    if (isFreeRadiusInstalled()) {
      // Same codes as Kiunga's seed, so both servers get the very same stream of logins.
      measurements.push(...(await benchTarget(await startFreeRadiusTarget(codes), options.run, false)));
    } else {
      console.log('freeradius: skipped (`which freeradius` found nothing; apt-get install freeradius)');
    }
  }
  printTable(measurements);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
