// Sustained Interim-Updates against the running server: the compiled `kiunga start` (AAA, API and jobs in
// one process, as shipped) takes paced accounting over loopback UDP while voucher logins keep the
// decision log writing and the usage metering job meters what was stored. Prints answered/s, durable
// rows/s, the metering job's rate and lag, and the server's CPU. Figures are printed; nothing is asserted.
// The interims leave pre-encoded (pre-encoded-load.ts) unless --classic-client asks for the general
// load generator, which builds, signs and checks every packet as it goes (about 30 µs of client CPU each).
// Run: node --openssl-legacy-provider --import tsx ops/bench/metering/interims.bench.ts
//        [--rate 20000] [--seconds 30] [--sessions 20000] [--logins-per-second 500] [--classic-client]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PacketCode } from '@kiunga/dictionaries';
import Database from 'better-sqlite3';
import { readProcessCpuMicroseconds } from '../radius/cpu';
import { type KiungaNode, seedDemo, sleep, startKiungaNode } from '../radius/kiunga';
import { driveLoad, IN_FLIGHT_MAX, type LoadRequest, type LoadStats } from '../radius/load-generator';
import { buildAccessRequests, buildAccountingRequests, buildInterimRequest } from '../radius/request-stream';
import { drivePreEncodedLoad, encodeRequests, type PreEncodedLoadStats } from './pre-encoded-load';

/** The target: 20,000 Interim-Updates per second, durable. */
const RATE_DEFAULT = 20_000;
const SECONDS_DEFAULT = 30;
/** Distinct sessions the interims cycle through (each voucher carries several, as a shared hotspot). */
const SESSIONS_DEFAULT = 20_000;
/** Vouchers seeded by `kiunga demo`: seeding grows with this; sessions share them. */
const VOUCHERS = 5_000;
/** Logins alongside the accounting so the decision log writes throughout (issue 12: "decision logging on"). */
const LOGINS_PER_SECOND_DEFAULT = 500;
/** As the RADIUS bench: a paced run keeps its schedule through a server stall this long. */
const PACED_STALL_SECONDS = 0.25;
/** A MikroTik's default: 3 s per try, two retries. */
const TIMEOUT_MS = 3_000;
const RETRIES = 2;
/** Session ids of this bench, clear of any the demo made. */
const FIRST_SESSION_INDEX = 20_000_000;
/** The job runs every minute and leaves rows 60 s to settle: three minutes is ample to catch up. */
const CATCH_UP_TIMEOUT_MS = 240_000;
const POLL_INTERVAL_MS = 1_000;
const CURSOR_NAME = 'accounting_log';

interface MeterProgress {
  readonly atMs: number;
  readonly lastLogId: number;
  readonly meteredUpTo: number;
}

/** The demo tenant's shard: the one holding the bench's vouchers (read-only; the server writes it). */
function openTenantShard(dataDirectory: string, code: string): Database.Database {
  for (const file of readdirSync(join(dataDirectory, 'tenants')).filter((name) => name.endsWith('.db'))) {
    const shard = new Database(join(dataDirectory, 'tenants', file), { readonly: true });
    if (shard.prepare('SELECT 1 FROM vouchers WHERE code = ?').get(code) !== undefined) return shard;
    shard.close();
  }
  throw new Error(`no tenant shard holds voucher ${code}`);
}

function progressOf(shard: Database.Database): MeterProgress {
  const last = shard.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM accounting_log').get() as { id: number };
  const cursor = shard
    .prepare('SELECT last_log_id AS id FROM usage_meter_cursor WHERE name = ?')
    .get(CURSOR_NAME) as { id: number } | undefined;
  return { atMs: performance.now(), lastLogId: last.id, meteredUpTo: cursor?.id ?? 0 };
}

/**
 * `rounds` Interim-Updates for each of `sessionCount` sessions, built as the load generator asks for
 * them (a million prepared requests would take gigabytes): round r is every session's r-th interim.
 */
function lazyInterims(
  codes: readonly string[],
  sessionCount: number,
  rounds: number,
): readonly LoadRequest[] {
  const length = sessionCount * rounds;
  return new Proxy([] as LoadRequest[], {
    get(target, property) {
      if (property === 'length') return length;
      if (typeof property === 'string' && /^\d+$/.test(property)) {
        const index = Number(property);
        const session = index % sessionCount;
        const round = Math.floor(index / sessionCount) + 1;
        return buildInterimRequest(codes, FIRST_SESSION_INDEX + session, round);
      }
      return Reflect.get(target, property);
    },
  });
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: String(RATE_DEFAULT) },
      seconds: { type: 'string', default: String(SECONDS_DEFAULT) },
      sessions: { type: 'string', default: String(SESSIONS_DEFAULT) },
      'logins-per-second': { type: 'string', default: String(LOGINS_PER_SECOND_DEFAULT) },
      'classic-client': { type: 'boolean', default: false },
    },
  });
  return {
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    sessions: Number(values.sessions),
    loginsPerSecond: Number(values['logins-per-second']),
    isClassicClient: values['classic-client'] === true,
  };
}

/** The pre-encoded run's figures in the general load generator's terms, for one way of printing. */
function asLoadStats(stats: PreEncodedLoadStats): LoadStats {
  return {
    sent: stats.sent,
    accepted: 0,
    rejected: 0,
    accountingResponses: stats.accountingResponses,
    otherResponses: stats.answered - stats.accountingResponses,
    timedOut: stats.lost,
    retransmits: stats.retransmits,
    staleOrInvalidResponses: stats.stale,
    socketErrors: 0,
    wallTimeMs: stats.wallTimeMs,
    requestsPerSecond: stats.requestsPerSecond,
    latencyP50Ms: stats.latencyP50Ms,
    latencyP99Ms: stats.latencyP99Ms,
  };
}

function describe(what: string, stats: LoadStats): string {
  return (
    `${what}: sent ${stats.sent.toLocaleString('en')}, answered ${(stats.accountingResponses + stats.accepted + stats.rejected).toLocaleString('en')} ` +
    `(${Math.round(stats.requestsPerSecond).toLocaleString('en')}/s), retransmits ${stats.retransmits}, lost ${stats.timedOut}, ` +
    `p50 ${stats.latencyP50Ms.toFixed(1)} ms, p99 ${stats.latencyP99Ms.toFixed(1)} ms`
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  const dataDirectory = mkdtempSync(join(tmpdir(), 'kiunga-interims-bench-'));
  let server: KiungaNode | undefined;
  try {
    const { secret, codes } = await seedDemo(dataDirectory, VOUCHERS);
    server = await startKiungaNode(dataDirectory);
    const shard = openTenantShard(dataDirectory, codes[0]!);
    const target = {
      host: server.host,
      port: server.acctPort,
      secret,
      timeoutMs: TIMEOUT_MS,
      retries: RETRIES,
    };
    const inFlight = Math.min(IN_FLIGHT_MAX, Math.ceil(options.rate * PACED_STALL_SECONDS));
    // Every session starts first (not timed), as a router's sessions do before their interims.
    const starts = Array.from(
      { length: options.sessions },
      (_, session) => buildAccountingRequests(codes, 1, 0, FIRST_SESSION_INDEX + session)[0]!,
    );
    await driveLoad({ ...target, code: PacketCode.AccountingRequest, requests: starts, inFlight: 500 });
    const rounds = Math.max(1, Math.ceil((options.rate * options.seconds) / options.sessions));
    const interimCount = options.sessions * rounds;
    // The stream's counters are 32-bit without Gigawords: a long run needs more sessions, fewer rounds each.
    try {
      buildInterimRequest(codes, FIRST_SESSION_INDEX, rounds);
    } catch (error) {
      throw new Error(`${rounds} interims per session overflow a 32-bit counter: raise --sessions`, {
        cause: error,
      });
    }
    /** Interim i is round ⌊i / sessions⌋ + 1 of session i mod sessions: every session's r-th, then the next. */
    const interimAttributes = (index: number) =>
      buildInterimRequest(
        codes,
        FIRST_SESSION_INDEX + (index % options.sessions),
        Math.floor(index / options.sessions) + 1,
      ).attributes;
    const preEncodedOptions = {
      ...target,
      attributesOf: interimAttributes,
      count: interimCount,
      ratePerSecond: options.rate,
      inFlight,
    };
    const encoded = options.isClassicClient ? undefined : encodeRequests(preEncodedOptions);
    const logins = buildAccessRequests(codes, Math.ceil(options.loginsPerSecond * options.seconds));
    const before = progressOf(shard);
    const cpuBefore = readProcessCpuMicroseconds(server.pid);
    // The bench client shares the machine's cores with the server: its own CPU is printed beside.
    const clientCpuBefore = process.cpuUsage();
    const [accounting, access] = await Promise.all([
      encoded === undefined
        ? driveLoad({
            ...target,
            code: PacketCode.AccountingRequest,
            requests: lazyInterims(codes, options.sessions, rounds),
            inFlight,
            ratePerSecond: options.rate,
          })
        : drivePreEncodedLoad(preEncodedOptions, encoded).then(asLoadStats),
      driveLoad({
        ...target,
        port: server.authPort,
        code: PacketCode.AccessRequest,
        requests: logins,
        inFlight: 200,
        ratePerSecond: options.loginsPerSecond,
      }),
    ]);
    const loadEnd = progressOf(shard);
    const cpuLoad = readProcessCpuMicroseconds(server.pid) - cpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuMicroseconds = clientCpu.user + clientCpu.system;
    const durable = (
      shard.prepare('SELECT COUNT(*) AS count FROM accounting_log WHERE id > ?').get(before.lastLogId) as {
        count: number;
      }
    ).count;
    console.log(
      `server: kiunga start (AAA + API + jobs, SQLite); ${options.sessions.toLocaleString('en')} sessions, ` +
        `offered ${options.rate.toLocaleString('en')} interims/s for ${options.seconds} s with ${options.loginsPerSecond} logins/s; ` +
        `${options.isClassicClient ? 'classic' : 'pre-encoded'} client`,
    );
    console.log(describe('interims', accounting));
    console.log(describe('logins', access));
    console.log(
      `durable: ${durable.toLocaleString('en')} new accounting_log rows (${Math.round((durable * 1000) / accounting.wallTimeMs).toLocaleString('en')}/s over the run); ` +
        `server CPU ${(cpuLoad / 1e6).toFixed(1)} s = ${(cpuLoad / (accounting.sent + access.sent)).toFixed(1)} µs per request (metering included when it ran)`,
    );
    console.log(
      `client CPU ${(clientCpuMicroseconds / 1e6).toFixed(1)} s over ${(accounting.wallTimeMs / 1000).toFixed(1)} s = ` +
        `${(clientCpuMicroseconds / (accounting.sent + access.sent)).toFixed(1)} µs per request sent; load average ${loadavg()
          .map((value) => value.toFixed(1))
          .join(' ')}`,
    );
    // Metering: the job runs every minute and leaves rows younger than 60 s (METERING_SETTLE_MS).
    const samples: MeterProgress[] = [loadEnd];
    let caughtUp: MeterProgress | undefined;
    while (performance.now() - loadEnd.atMs < CATCH_UP_TIMEOUT_MS) {
      await sleep(POLL_INTERVAL_MS);
      const sample = progressOf(shard);
      samples.push(sample);
      if (sample.meteredUpTo >= loadEnd.lastLogId) {
        caughtUp = sample;
        break;
      }
    }
    const cpuTotal = readProcessCpuMicroseconds(server.pid) - cpuBefore;
    const moving = samples.filter(
      (sample, index) => index > 0 && sample.meteredUpTo > samples[index - 1]!.meteredUpTo,
    );
    const meteredRows = (caughtUp ?? samples[samples.length - 1]!).meteredUpTo - before.meteredUpTo;
    const activeSeconds = moving.length * (POLL_INTERVAL_MS / 1000);
    console.log(
      caughtUp
        ? `metering: caught up ${((caughtUp.atMs - loadEnd.atMs) / 1000).toFixed(0)} s after the load ended (60 s settle + the minute's run included); ` +
            `${meteredRows.toLocaleString('en')} rows metered in ~${activeSeconds} s of job time (≈${Math.round(meteredRows / Math.max(1, activeSeconds)).toLocaleString('en')}/s)`
        : `metering: NOT caught up within ${CATCH_UP_TIMEOUT_MS / 1000} s (${meteredRows.toLocaleString('en')} of ${durable.toLocaleString('en')} rows)`,
    );
    console.log(
      `server CPU, load and metering: ${(cpuTotal / 1e6).toFixed(1)} s = ${(cpuTotal / Math.max(1, durable)).toFixed(1)} µs per durable interim`,
    );
    shard.close();
  } finally {
    await server?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

await main();
