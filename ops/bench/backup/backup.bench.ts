// Backup, restore and migrate-to-postgres figures for a demo platform of a given size.
//
//   node --import tsx ops/bench/backup/backup.bench.ts [--vouchers 10000] [--subscribers 1000] [--runs 3]
//     [--postgres] [--keep]
//
// Seeds `./kiunga demo --seed-only` with that many extra vouchers for the first ISP, adds that many PPPoE
// subscribers to it (copies of its first one), then times, in this process, `runs` embedded backups
// (online copy, integrity check, SHA-256, manifest) and as many restores into fresh data dirs, and
// prints each backup's size. --postgres also times migrate-to-postgres into a throwaway PostgreSQL and
// a scaled backup (pg_dump per schema) of the result. --keep leaves the seeded data dir and prints it,
// for timing the whole `./kiunga backup` command from outside.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { backupEmbedded, backupPostgres, type Clock, restoreBackup, ShardRegistry } from '@kiunga/schemas';
import { migrateToPostgres } from '../../src/backup/migrate-to-postgres';

const execFileAsync = promisify(execFile);
const REPOSITORY_ROOT = resolve(import.meta.dirname, '../../..');
const BYTES_PER_MEBIBYTE = 1024 * 1024;
/** Each backup in a run gets its own folder name: the clock moves a second per read. */
const CLOCK_STEP_MS = 1_000;

function steppingClock(): Clock {
  let nowMs = Date.UTC(2030, 2, 14, 2, 0, 0);
  return { now: () => (nowMs += CLOCK_STEP_MS) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function seed(dataDir: string, vouchers: number, subscribers: number): Promise<string> {
  const { stdout } = await execFileAsync(
    join(REPOSITORY_ROOT, 'kiunga'),
    ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', String(vouchers)],
    { cwd: REPOSITORY_ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  const tenantId = (JSON.parse(stdout) as { tenants: { id: string }[] }).tenants[0]?.id ?? '';
  const shards = new ShardRegistry({ dataDir });
  const shard = shards.forTenant(tenantId).sqlite;
  const template = shard.prepare('SELECT * FROM subscribers ORDER BY id LIMIT 1').get() as Record<
    string,
    unknown
  >;
  const columns = Object.keys(template);
  const insert = shard.prepare(
    `INSERT INTO subscribers (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`,
  );
  shard.transaction(() => {
    for (let index = 0; index < subscribers; index++) {
      const suffix = String(index).padStart(5, '0');
      insert.run({
        ...template,
        id: `sub_bench${suffix}`,
        username: `bench${suffix}`,
        account_number: `B${suffix}`,
      });
    }
  })();
  shards.closeAll();
  return tenantId;
}

async function timed<Result>(work: () => Promise<Result>): Promise<{ result: Result; ms: number }> {
  const startedAt = performance.now();
  const result = await work();
  return { result, ms: performance.now() - startedAt };
}

async function benchPostgres(dataDir: string, root: string, clock: Clock): Promise<void> {
  const { startPostgresServer } = await import('../../../schemas/src/db/testing/postgres-server');
  const server = await startPostgresServer();
  try {
    const databaseUrl = await server.createDatabase('bench');
    const moved = await timed(() => migrateToPostgres({ dataDir, databaseUrl, force: false, clock }));
    const { rows, tables, ledgerAccounts } = moved.result.verified;
    console.log(
      `migrate-to-postgres: ${(moved.ms / 1000).toFixed(2)} s (snapshot, copy, verify ${tables} tables, ${rows} rows, ${ledgerAccounts} ledger accounts)`,
    );
    const dumped = await timed(() => backupPostgres({ databaseUrl, root: join(root, 'scaled'), clock }));
    const bytes = dumped.result.manifest.files.reduce((total, file) => total + file.size, 0);
    console.log(
      `scaled backup (pg_dump per schema): ${(dumped.ms / 1000).toFixed(2)} s, ${(bytes / BYTES_PER_MEBIBYTE).toFixed(2)} MiB`,
    );
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vouchers: { type: 'string', default: '10000' },
      subscribers: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '3' },
      postgres: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const root = mkdtempSync(join(tmpdir(), 'kiunga-backup-bench-'));
  const dataDir = join(root, 'data');
  const clock = steppingClock();
  try {
    await seed(dataDir, Number(values.vouchers), Number(values.subscribers));
    console.log(
      `demo with ${values.vouchers} extra vouchers and ${values.subscribers} extra subscribers in ${dataDir}`,
    );
    const backupMs: number[] = [];
    const restoreMs: number[] = [];
    for (let run = 0; run < Number(values.runs); run++) {
      const backup = await timed(() => backupEmbedded({ dataDir, root: join(root, 'backups'), clock }));
      backupMs.push(backup.ms);
      const files = backup.result.manifest.files;
      const bytes = files.reduce((total, file) => total + file.size, 0);
      const sizes = files
        .map((file) => `${file.path} ${(file.size / BYTES_PER_MEBIBYTE).toFixed(2)}`)
        .join(', ');
      console.log(
        `backup ${run + 1}: ${backup.ms.toFixed(0)} ms, ${(bytes / BYTES_PER_MEBIBYTE).toFixed(2)} MiB (${sizes} MiB)`,
      );
      const target = join(root, `restored-${run}`);
      restoreMs.push(
        (await timed(() => restoreBackup({ from: backup.result.directory, dataDir: target, clock }))).ms,
      );
    }
    console.log(`embedded backup, median of ${backupMs.length}: ${median(backupMs).toFixed(0)} ms`);
    console.log(
      `restore (verify, copy, migrate), median of ${restoreMs.length}: ${median(restoreMs).toFixed(0)} ms`,
    );
    if (values.postgres) await benchPostgres(dataDir, root, clock);
  } finally {
    if (values.keep) console.log(`kept ${dataDir}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

await main();
