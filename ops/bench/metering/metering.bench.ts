// Times the pure metering and report cores: rollups of random interim updates, a sales report over a
// million payments, a year of hourly usage as a series. Figures are printed; nothing is asserted.
// Run: node --import tsx ops/bench/metering/metering.bench.ts [interimCount] [paymentCount]
// The durable path (SQLite upserts in the accounting writer's transaction) is timed when it is wired in.
import { performance } from 'node:perf_hooks';
import { buildSalesReport, SALES_CHANNELS, type SaleRecord } from '@kiunga/control-api/features/reports';
import {
  buildUsageSeries,
  HOUR_MS,
  type MeteredAccountingRecord,
  meterAccountingBatch,
  type SessionMeterState,
  type UsageRow,
} from '@kiunga/control-api/features/usage';

const INTERIM_COUNT_DEFAULT = 1_000_000;
const PAYMENT_COUNT_DEFAULT = 1_000_000;
/** The AAA accounting writer's batch (ACCOUNTING_BATCH_MAX in aaa-server/src/store/accounting-writer.ts). */
const BATCH_SIZE = 1_000;
/** Sessions online at once across the platform's NAS: a few hundred ISPs' evening peak. */
const SESSION_COUNT = 20_000;
const NAS_COUNT = 200;
const PLAN_COUNT = 50;
/** RouterOS's interim interval as Kiunga sets it by default (Acct-Interim-Interval 300). */
const INTERIM_INTERVAL_SECONDS = 300;
const START_MS = Date.UTC(2030, 2, 1, 6);
const DAY_MS = 86_400_000;
const SERIES_REPEATS = 21;

/** Deterministic (mulberry32), so two runs time the same work. */
let randomState = 0x6d657465;
function random(): number {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let mixed = Math.imul(randomState ^ (randomState >>> 15), 1 | randomState);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = (count: number) => Math.floor(random() * count);

/** Wall and CPU milliseconds of `work`: the machine is shared, so CPU time is the steadier figure. */
function timed<Result>(work: () => Result): { result: Result; wallMs: number; cpuMs: number } {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = work();
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Interim updates of SESSION_COUNT sessions, in arrival order, each advancing its counters. */
function makeInterims(count: number): MeteredAccountingRecord[] {
  const sessions = Array.from({ length: SESSION_COUNT }, (_, index) => ({
    nasId: `nas_${index % NAS_COUNT}`,
    acctSessionId: `81a${index.toString(16).padStart(5, '0')}`,
    subject: { kind: index % 3 === 0 ? ('subscriber' as const) : ('voucher' as const), id: `sub_${index}` },
    planId: `pln_${index % PLAN_COUNT}`,
    offsetSeconds: pick(INTERIM_INTERVAL_SECONDS),
    input: 0,
    output: 0,
  }));
  return Array.from({ length: count }, (_, position) => {
    const session = sessions[position % SESSION_COUNT]!;
    const round = Math.floor(position / SESSION_COUNT) + 1;
    session.input += pick(50_000_000);
    session.output += pick(500_000_000);
    const sessionSeconds = round * INTERIM_INTERVAL_SECONDS;
    return {
      nasId: session.nasId,
      acctSessionId: session.acctSessionId,
      subject: session.subject,
      planId: session.planId,
      status: 'interim',
      inputOctets: session.input % 2 ** 32,
      inputGigawords: Math.floor(session.input / 2 ** 32),
      outputOctets: session.output % 2 ** 32,
      outputGigawords: Math.floor(session.output / 2 ** 32),
      sessionSeconds,
      eventTimeMs: START_MS + (session.offsetSeconds + sessionSeconds) * 1000,
    };
  });
}

function benchRollups(count: number): void {
  const records = makeInterims(count);
  const states = new Map<string, SessionMeterState>();
  const {
    result: increments,
    wallMs,
    cpuMs,
  } = timed(() => {
    let incrementCount = 0;
    for (let start = 0; start < records.length; start += BATCH_SIZE) {
      const result = meterAccountingBatch(records.slice(start, start + BATCH_SIZE), states);
      for (const [key, state] of result.sessionStates) states.set(key, state);
      incrementCount += result.increments.length;
    }
    return incrementCount;
  });
  const perSecond = (ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en');
  console.log(
    `rollups: ${count.toLocaleString('en')} interim updates of ${SESSION_COUNT.toLocaleString('en')} sessions in batches of ${BATCH_SIZE}: ` +
      `${wallMs.toFixed(0)} ms wall (${perSecond(wallMs)} updates/s), ${cpuMs.toFixed(0)} ms CPU (${perSecond(cpuMs)} updates/s), ` +
      `${(increments / (count / BATCH_SIZE)).toFixed(0)} rollup upserts per batch`,
  );
}

function benchSalesReport(count: number): void {
  const month = { fromMs: Date.UTC(2030, 1, 28, 21), toMs: Date.UTC(2030, 2, 31, 21) };
  const sales: SaleRecord[] = Array.from({ length: count }, () => ({
    atMs: month.fromMs + pick(month.toMs - month.fromMs),
    amountCents: (1 + pick(300)) * 100,
    planId: random() < 0.1 ? null : `pln_${pick(PLAN_COUNT)}`,
    channel: SALES_CHANNELS[pick(SALES_CHANNELS.length)]!,
  }));
  const { result: report, wallMs, cpuMs } = timed(() => buildSalesReport(sales, month));
  console.log(
    `sales report: ${count.toLocaleString('en')} payments over a month → ${report.rows.length.toLocaleString('en')} rows ` +
      `in ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (total ${report.totals.count.toLocaleString('en')} sales)`,
  );
}

function benchUsageSeries(): void {
  const year = {
    fromMs: START_MS - (START_MS % HOUR_MS),
    toMs: START_MS - (START_MS % HOUR_MS) + 365 * DAY_MS,
  };
  const rows: UsageRow[] = Array.from({ length: 365 * 24 }, (_, hour) => ({
    bucketStartMs: year.fromMs + hour * HOUR_MS,
    inputOctets: pick(1e9),
    outputOctets: pick(1e10),
    sessionSeconds: pick(3_600),
  }));
  // One query is a few milliseconds: the median of several, so a pause elsewhere does not decide it.
  const timesMs = Array.from({ length: SERIES_REPEATS }, () => {
    const startedAt = performance.now();
    buildUsageSeries(rows, year, 'hour');
    return performance.now() - startedAt;
  }).sort((left, right) => left - right);
  const medianMs = timesMs[Math.floor(SERIES_REPEATS / 2)] ?? 0;
  console.log(
    `usage series: a year of hourly rollups (${rows.length.toLocaleString('en')} points), median of ${SERIES_REPEATS}: ${medianMs.toFixed(1)} ms`,
  );
}

const [interimArgument, paymentArgument] = process.argv.slice(2);
benchRollups(Number(interimArgument ?? INTERIM_COUNT_DEFAULT));
benchSalesReport(Number(paymentArgument ?? PAYMENT_COUNT_DEFAULT));
benchUsageSeries();
