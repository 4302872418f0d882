// Scaled mode end to end against a throwaway PostgreSQL: `kiunga migrate-to-postgres` moves a seeded
// demo (an archived ISP included) and verifies it; a target holding data is refused; a copy broken
// afterwards is refused by name (--verify-only); `kiunga backup` dumps each schema with pg_dump and
// `kiunga restore` brings them back into an empty database, which verifies against the source again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShardRegistry } from '@kiunga/schemas';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../schemas/src/db/testing/postgres-server';
import { type DemoJson, makeDataDir, removeDataDir, runKiunga, seedDemo } from './support/kiunga-process';

/** The scaled installation's master key (KIUNGA_MASTER_KEY), carried through the backup encrypted. */
const MASTER_KEY = 'scaled-mode-master-key-0123456789abcdef';
/** Extra vouchers for the first ISP: several insert batches per table. */
const EXTRA_VOUCHERS = 1_200;

let server: PostgresServer;
let workDir: string;
let dataDir: string;
let demo: DemoJson;
let targetUrl: string;

type CommandFailure = { code: number; stdout: string; stderr: string };
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the command succeeded');
    },
    (error: CommandFailure) => error,
  );

async function query<Row extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function sqliteCount(relativePath: string, table: string): number {
  const database = new Database(join(dataDir, relativePath), { readonly: true });
  try {
    return (database.prepare(`SELECT COUNT(*) AS count FROM ${table}`).get() as { count: number }).count;
  } finally {
    database.close();
  }
}

const first = () => demo.tenants[0]!;
const second = () => demo.tenants[1]!;

beforeAll(async () => {
  server = await startPostgresServer();
  workDir = makeDataDir();
  dataDir = join(workDir, 'data');
  demo = await seedDemo(dataDir, EXTRA_VOUCHERS);
  // Money in the first ISP's ledger: two customer payments and a charge, both sides of each transfer.
  const shards = new ShardRegistry({ dataDir });
  const ledger = shards.forTenant(first().id).sqlite.prepare(
    `INSERT INTO ledger_entries (transfer_id, debit_account, credit_account, amount_cents, kind, created_at)
       VALUES (?, ?, ?, ?, ?, 0)`,
  );
  ledger.run('pay:1', 'mpesa', 'subscriber:a', 150_000, 'payment');
  ledger.run('pay:2', 'cash', 'subscriber:b', 70_000, 'payment');
  ledger.run('chg:1', 'subscriber:a', 'revenue', 120_000, 'charge');
  // The second ISP leaves: its shard goes to tenants/archive/ (what archiving a tenant does).
  const platform = new Database(join(dataDir, 'platform.db'));
  platform.prepare(`UPDATE tenants SET status = 'archived' WHERE id = ?`).run(second().id);
  platform.close();
  shards.archive(second().id);
  shards.closeAll();
  targetUrl = await server.createDatabase('moved');
});

afterAll(async () => {
  await server?.stop();
  if (workDir) removeDataDir(workDir);
});

const inTarget = (url: string) => ({ KIUNGA_DATABASE_URL: url });

describe('kiunga migrate-to-postgres', () => {
  it('copies every table of the platform and every tenant, archived ones too, and verifies before it says so', async () => {
    const { stdout } = await runKiunga(['migrate-to-postgres', '--data-dir', dataDir], inTarget(targetUrl));
    expect(stdout).toMatch(
      /verified against the snapshot of .*: \d+ tables, \d+ rows and \d+ ledger accounts match/,
    );
    expect(stdout).toContain('PostgreSQL holds the installation');
    const firstSchema = `tenant_${first().id}`;
    const [vouchers] = await query<{ count: number }>(
      targetUrl,
      `SELECT COUNT(*)::int AS count FROM "${firstSchema}".vouchers`,
    );
    expect(vouchers?.count).toBe(sqliteCount(`tenants/${first().id}.db`, 'vouchers'));
    expect(vouchers?.count).toBeGreaterThan(EXTRA_VOUCHERS);
    const [archived] = await query<{ count: number }>(
      targetUrl,
      `SELECT COUNT(*)::int AS count FROM "archived_tenant_${second().id}".subscribers`,
    );
    expect(archived?.count).toBe(second().subscribers.length);
    const [platformLedger] = await query<{ count: number }>(
      targetUrl,
      'SELECT COUNT(*)::int AS count FROM platform.platform_ledger_entries',
    );
    expect(platformLedger?.count).toBe(sqliteCount('platform.db', 'platform_ledger_entries'));
    // Identities continue after the copied ids: a new ledger entry gets the next number.
    const [next] = await query<{ id: number }>(
      targetUrl,
      `INSERT INTO platform.platform_ledger_entries (transfer_id, tenant_id, amount_cents, description, at)
       VALUES ('test:next', 'x', 1, 'identity check', 0) RETURNING id::int AS id`,
    );
    expect(next?.id).toBe(sqliteCount('platform.db', 'platform_ledger_entries') + 1);
    await query(targetUrl, `DELETE FROM platform.platform_ledger_entries WHERE transfer_id = 'test:next'`);
  });

  it('refuses a target that already holds data unless --force', async () => {
    const refusal = await failureOf(
      runKiunga(['migrate-to-postgres', '--data-dir', dataDir], inTarget(targetUrl)),
    );
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toMatch(/the target already holds data \(platform\.\w+\).*--force/);
  });

  it('refuses a copy broken afterwards, naming the table and the ledger account, and --force repairs it', async () => {
    const schema = `"tenant_${first().id}"`;
    const [entry] = await query<{ account: string }>(
      targetUrl,
      `UPDATE ${schema}.ledger_entries SET amount_cents = amount_cents + 1
        WHERE id = (SELECT MIN(id) FROM ${schema}.ledger_entries) RETURNING debit_account AS account`,
    );
    await query(targetUrl, `DELETE FROM ${schema}.vouchers WHERE id = $1`, [first().vouchers.at(-1)!.id]);
    const refusal = await failureOf(
      runKiunga(['migrate-to-postgres', '--verify-only', '--data-dir', dataDir], inTarget(targetUrl)),
    );
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toContain('does not match the SQLite installation, do not switch to it');
    expect(refusal.stderr).toContain(
      `tenant ${first().id}: table vouchers: ${sqliteCount(`tenants/${first().id}.db`, 'vouchers')} rows in SQLite`,
    );
    expect(refusal.stderr).toContain(
      `tenant ${first().id}: table ledger_entries: same row count, different contents`,
    );
    expect(entry?.account).toBe('mpesa');
    expect(refusal.stderr).toContain(
      `tenant ${first().id}: ledger account mpesa: SQLite debits 150000, credits 0 cents in 1 transfer sides; PostgreSQL debits 150001`,
    );
    const { stdout } = await runKiunga(
      ['migrate-to-postgres', '--force', '--data-dir', dataDir],
      inTarget(targetUrl),
    );
    expect(stdout).toContain('PostgreSQL holds the installation');
  });
});

describe('scaled backup and restore', () => {
  const backupRoot = () => join(workDir, 'pg-backups');
  const passphraseFile = () => {
    const path = join(workDir, 'passphrase');
    writeFileSync(path, 'a passphrase for the scaled backup\n', { mode: 0o600 });
    return path;
  };

  it('dumps each schema with pg_dump under one manifest, and restores them into an empty database', async () => {
    const withKey = { KIUNGA_MASTER_KEY: MASTER_KEY };
    const { stdout } = await runKiunga(
      ['backup', '--to', backupRoot(), '--include-key', '--passphrase-file', passphraseFile()],
      { ...inTarget(targetUrl), ...withKey },
    );
    expect(stdout).toMatch(
      /backed up the scaled installation to .*: platform, 1 tenant\(s\), 1 archived, master key \(encrypted\)/,
    );
    const restoredUrl = await server.createDatabase('restored');
    const keyDir = join(workDir, 'scaled-data');
    const restore = await runKiunga(
      ['restore', '--from', backupRoot(), '--data-dir', keyDir, '--passphrase-file', passphraseFile()],
      inTarget(restoredUrl),
    );
    expect(restore.stdout).toContain('restored the scaled backup');
    expect(restore.stdout).toContain('master key: restored from the backup');
    expect(readFileSync(join(keyDir, 'master.key'), 'utf8')).toBe(`${MASTER_KEY}\n`);
    const [name] = await query<{ name: string }>(restoredUrl, `SELECT 1 AS name`);
    expect(name).toBeDefined();
    const manifestFolder = restore.stdout.match(/restoring its newest finished backup, (\S+)/)?.[1];
    const manifest = JSON.parse(readFileSync(join(backupRoot(), manifestFolder!, 'manifest.json'), 'utf8'));
    expect(manifest.mode).toBe('scaled');
    expect(manifest.files.map((file: { path: string }) => file.path).sort()).toEqual(
      [
        'master-key.json',
        'platform.dump',
        `tenants/${first().id}.dump`,
        `tenants/archive/${second().id}.dump`,
      ].sort(),
    );
    expect(manifest.engine.pgDump).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    // The restored database matches the SQLite source row for row and account for account.
    const verified = await runKiunga(
      ['migrate-to-postgres', '--verify-only', '--data-dir', dataDir],
      inTarget(restoredUrl),
    );
    expect(verified.stdout).toMatch(/tables, \d+ rows and \d+ ledger accounts match/);
    const refusal = await failureOf(
      runKiunga(['restore', '--from', backupRoot(), '--without-key'], inTarget(restoredUrl)),
    );
    expect(refusal.stderr).toMatch(/already holds Kiunga schemas .*--force/);
    expect(existsSync(join(workDir, 'data'))).toBe(true);
  });
});
