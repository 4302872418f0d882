// Measures what the async SqlDatabase wrapper costs over calling better-sqlite3 directly: a point
// lookup by primary key, and a transaction inserting 1,000 rows (on a WAL file, synchronous=FULL).
// The two paths alternate over several rounds and the medians are printed, wall time and CPU time
// (CPU is steadier on a shared machine; wall time of a transaction includes its fsync).
// Run: node --import tsx ops/bench/database/sql-database.bench.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabases } from '@kiunga/schemas';

/** Point lookups per timed run: microseconds each, so a stable mean within a second or two. */
const LOOKUPS = 100_000;
/** Alternating rounds of each path, so that drift in the machine's speed hits both alike. */
const ROUNDS = 5;
/** Rows per insert transaction, the size the brief asks about. */
const ROWS_PER_TRANSACTION = 1_000;
/** Transactions timed per path and round (each ends in an fsync). */
const TRANSACTIONS = 10;
/** Rows the lookups pick from. */
const SEEDED_ROWS = 10_000;

const LOOKUP_SQL = 'SELECT id, amount_cents, status FROM items WHERE id = ?';
const INSERT_SQL = 'INSERT INTO items (id, amount_cents, status) VALUES (?, ?, ?)';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Timing {
  wallNs: number;
  cpuNs: number;
}

/** Wall and CPU nanoseconds of `work`, divided by `count`. */
async function timed(count: number, work: () => Promise<void>): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const wallNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuBefore);
  return { wallNs: wallNs / count, cpuNs: ((cpu.user + cpu.system) * 1e3) / count };
}

/** Runs each path ROUNDS times, alternating, and returns each path's median wall and CPU time. */
async function alternate(paths: Array<() => Promise<Timing>>): Promise<Timing[]> {
  const results: Timing[][] = paths.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, path] of paths.entries()) results[index]?.push(await path());
  }
  return results.map((timings) => ({
    wallNs: median(timings.map((timing) => timing.wallNs)),
    cpuNs: median(timings.map((timing) => timing.cpuNs)),
  }));
}

function describe(label: string, direct: Timing, wrapped: Timing, unit: number, unitName: string): string {
  const format = (ns: number) => (ns / unit).toFixed(2);
  return (
    `${label}: better-sqlite3 ${format(direct.wallNs)} ${unitName} wall / ${format(direct.cpuNs)} cpu; ` +
    `SqlDatabase ${format(wrapped.wallNs)} wall / ${format(wrapped.cpuNs)} cpu; ` +
    `overhead ${format(wrapped.wallNs - direct.wallNs)} wall / ${format(wrapped.cpuNs - direct.cpuNs)} cpu`
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-sql-bench-'));
  const databases = new SqliteDatabases({ dataDir });
  try {
    await databases.createTenant('ten_bench');
    const database = databases.forTenant('ten_bench');
    const connection = databases.shards.forTenant('ten_bench').sqlite;
    await database.run(
      'CREATE TABLE items (id TEXT PRIMARY KEY, amount_cents INTEGER NOT NULL, status TEXT NOT NULL)',
    );
    await database.transaction(async (transaction) => {
      for (let index = 0; index < SEEDED_ROWS; index++) {
        await transaction.run(INSERT_SQL, [`item${index}`, index, 'open']);
      }
    });

    const direct = connection.prepare(LOOKUP_SQL);
    let sink = 0;
    const lookupDirect = () =>
      timed(LOOKUPS, async () => {
        for (let index = 0; index < LOOKUPS; index++)
          sink += direct.get(`item${index % SEEDED_ROWS}`) ? 1 : 0;
      });
    const lookupWrapped = () =>
      timed(LOOKUPS, async () => {
        for (let index = 0; index < LOOKUPS; index++) {
          sink += (await database.get(LOOKUP_SQL, [`item${index % SEEDED_ROWS}`])) ? 1 : 0;
        }
      });
    // One untimed run of each lets V8 optimise both paths first.
    await lookupDirect();
    await lookupWrapped();
    const [directLookup, wrappedLookup] = await alternate([lookupDirect, lookupWrapped]);

    const insert = connection.prepare(INSERT_SQL);
    let batch = 0;
    const insertBatchDirect = connection.transaction((prefix: string) => {
      for (let row = 0; row < ROWS_PER_TRANSACTION; row++) insert.run(`${prefix}_${row}`, row, 'open');
    });
    const insertDirect = () =>
      timed(TRANSACTIONS, async () => {
        for (let index = 0; index < TRANSACTIONS; index++) insertBatchDirect.immediate(`direct${batch++}`);
      });
    const insertWrapped = () =>
      timed(TRANSACTIONS, async () => {
        for (let index = 0; index < TRANSACTIONS; index++) {
          const prefix = `wrapped${batch++}`;
          await database.transaction(async (transaction) => {
            for (let row = 0; row < ROWS_PER_TRANSACTION; row++) {
              await transaction.run(INSERT_SQL, [`${prefix}_${row}`, row, 'open']);
            }
          });
        }
      });
    const [directInsert, wrappedInsert] = await alternate([insertDirect, insertWrapped]);

    console.log(describe('point lookup', directLookup as Timing, wrappedLookup as Timing, 1e3, 'µs'));
    console.log(
      describe('1,000-row insert transaction', directInsert as Timing, wrappedInsert as Timing, 1e6, 'ms'),
    );
    if (sink < 0) console.log('unreachable');
  } finally {
    await databases.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
