// Times the durable metering path on SQLite: the usage metering job over accounting_log rows as the
// AAA server writes them (rollups, meter states and cursor committed per batch), and GET /api/v1/usage's
// query over a year of hourly rollups. Figures are printed; nothing is asserted.
// Run: node --import tsx ops/bench/metering/durable.bench.ts [interimCount=200000] [--postgres]
// (--postgres: a throwaway PostgreSQL server with fsync on, as a production one)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  METERING_SETTLE_MS,
  MeterStateCache,
  meterTenantAccounting,
  usageSeriesOf,
} from '@kiunga/control-api/features/usage/durable';
import { openDatabases, type SqlDatabase } from '@kiunga/schemas';
import { startPostgresServer } from '../../../schemas/src/db/testing/postgres-server';
import { postgresCpuMicroseconds, postmasterPid } from '../radius/cpu';

const INTERIM_COUNT_DEFAULT = 200_000;
/** Sessions online at once in one ISP: a large ISP's evening peak. */
const SESSION_COUNT = 5_000;
const INTERIM_INTERVAL_SECONDS = 300;
const ROWS_PER_INSERT = 500;
const START_MS = Date.UTC(2030, 2, 1, 6);
const HOUR_MS = 3_600_000;
const HOURS_PER_YEAR = 8_760;
const QUERY_REPEATS = 21;

async function seedAccounting(database: SqlDatabase, interimCount: number): Promise<number> {
  for (let session = 0; session < SESSION_COUNT; session += 1) {
    await database.run(
      `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, started_at,
                             updated_at, interim_interval_seconds) VALUES (?, ?, ?, ?, 'voucher', ?, ?, ?, 300)`,
      [
        `ses_${session}`,
        `nas_${session % 20}`,
        `acct-${session}`,
        `code-${session}`,
        `vch_${session}`,
        START_MS,
        START_MS,
      ],
    );
  }
  let lastMs = START_MS;
  for (let start = 0; start < interimCount; start += ROWS_PER_INSERT) {
    const rows: Array<number | string> = [];
    const count = Math.min(ROWS_PER_INSERT, interimCount - start);
    for (let offset = 0; offset < count; offset += 1) {
      const index = start + offset;
      const session = index % SESSION_COUNT;
      const round = Math.floor(index / SESSION_COUNT) + 1;
      const seconds = round * INTERIM_INTERVAL_SECONDS;
      lastMs = START_MS + seconds * 1000 + (session % 300);
      rows.push(
        lastMs,
        `nas_${session % 20}`,
        3,
        `acct-${session}`,
        `code-${session}`,
        round * 3_000_000,
        round * 30_000_000,
        seconds,
      );
    }
    await database.run(
      `INSERT INTO accounting_log (received_at, nas_id, status_type, acct_session_id, username, input_octets,
                                   output_octets, session_time_seconds)
       VALUES ${new Array(count).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows,
    );
  }
  return lastMs;
}

async function main(): Promise<void> {
  const interimCount = Number(
    process.argv.slice(2).find((argument) => !argument.startsWith('--')) ?? INTERIM_COUNT_DEFAULT,
  );
  const postgres = process.argv.includes('--postgres')
    ? await startPostgresServer({ isDurable: true })
    : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-metering-bench-'));
  const databases = await openDatabases({ dataDir, databaseUrl: postgres?.url });
  try {
    await databases.createTenant('ten_bench');
    const database = databases.forTenant('ten_bench');
    const lastMs = await seedAccounting(database, interimCount);
    // PostgreSQL's own CPU (postmaster and backends) is printed beside Node's: on a loaded machine the
    // wall time says little, the CPU of both processes says what the job costs.
    const postmaster = postgres === null ? null : postmasterPid(postgres.port);
    const postgresCpuBefore = postmaster === null ? 0 : postgresCpuMicroseconds(postmaster);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    // As the job runs it: remembering the meter states it committed from batch to batch; on SQLite as
    // the metering worker thread does, reading each batch before taking the write lock.
    const metered = await meterTenantAccounting(database, lastMs + METERING_SETTLE_MS, {
      stateCache: new MeterStateCache(),
      isReadBeforeWriteLock: postgres === null,
    });
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const postgresCpuMs =
      postmaster === null ? null : (postgresCpuMicroseconds(postmaster) - postgresCpuBefore) / 1000;
    console.log(
      `${databases.platform.dialect} metering job: ${metered.rows} interims in ${wallMs.toFixed(0)} ms wall (${Math.round((metered.rows / wallMs) * 1000)}/s), ` +
        `${cpuMs.toFixed(0)} ms CPU (${Math.round((metered.rows / cpuMs) * 1000)}/s)` +
        (postgresCpuMs === null ? '' : `, PostgreSQL ${postgresCpuMs.toFixed(0)} ms CPU`) +
        `; counted ${metered.counts.counted}; write lock held at most ${(metered.writeLockHeldMaxMs ?? 0).toFixed(1)} ms per batch` +
        `; load average ${loadavg()
          .map((value) => value.toFixed(1))
          .join(' ')}`,
    );

    const yearStartMs = START_MS - (START_MS % HOUR_MS);
    for (let start = 0; start < HOURS_PER_YEAR; start += ROWS_PER_INSERT) {
      const count = Math.min(ROWS_PER_INSERT, HOURS_PER_YEAR - start);
      const rows = Array.from({ length: count }, (_, offset) => [
        'hour',
        'subscriber',
        'sub_year',
        yearStartMs + (start + offset) * HOUR_MS,
        1_000_000,
        10_000_000,
        3_600,
      ]).flat();
      await database.run(
        `INSERT INTO usage_rollups (granularity, dimension, dimension_id, bucket_start, input_octets, output_octets,
                                    session_seconds) VALUES ${new Array(count).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows,
      );
    }
    await database.run(
      `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES ('plan_year', 'Year', 'pppoe', 100000, 1000, 1000, 0, 0)`,
    );
    await database.run(
      `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, created_at, updated_at)
       VALUES ('sub_year', 'year', 'x', 'plan_year', '1', 'pppoe', 0, 0)`,
    );
    const query = {
      subject: { kind: 'subscriber' as const, id: 'sub_year' },
      range: { fromMs: yearStartMs, toMs: yearStartMs + HOURS_PER_YEAR * HOUR_MS },
      granularity: 'hour' as const,
    };
    const timings: number[] = [];
    let points = 0;
    for (let repeat = 0; repeat < QUERY_REPEATS; repeat += 1) {
      const before = performance.now();
      points = (await usageSeriesOf(database, query)).items.length;
      timings.push(performance.now() - before);
    }
    timings.sort((left, right) => left - right);
    console.log(
      `${databases.platform.dialect} usage query: a year of hourly rollups (${points} points), median ${timings[Math.floor(QUERY_REPEATS / 2)]?.toFixed(1)} ms of ${QUERY_REPEATS}`,
    );
  } finally {
    await databases.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
