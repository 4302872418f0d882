// Backups of a running ./kiunga, end to end: `kiunga backup` taken in its own process while the server
// takes RADIUS accounting (radclient) and payments (M-Pesa C2B through the Daraja simulator, cash
// through the API); `kiunga restore` into a new data dir; the restored server starts and serves; every
// record acknowledged before the backup began is in it, and its ledgers are the source's up to one
// instant. Then the refusals an operator relies on: a tampered byte, a wrong or missing passphrase.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { startDemoDaraja } from './support/demo-daraja';
import {
  type DemoJson,
  type MpesaDemoTenant,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  runKiunga,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { radclient } from './support/radclient';

/** Records acknowledged before the backup starts; enough that the copy is taken mid-stream. */
const ACCOUNTING_BEFORE_BACKUP_MIN = 6;
const PAYMENTS_BEFORE_BACKUP_MIN = 3;
const POLL_MS = 50;
const PASSPHRASE = 'correct horse battery staple';

let workDir: string;
let sourceDir: string;
let backupRoot: string;
let passphraseFile: string;
let demo: DemoJson;
let daraja: DarajaSimulator;
let source: RunningKiunga;

const first = () => demo.tenants[0]! as MpesaDemoTenant;
const second = () => demo.tenants[1]!;

beforeAll(async () => {
  workDir = makeDataDir();
  sourceDir = join(workDir, 'source');
  backupRoot = join(workDir, 'backups');
  passphraseFile = join(workDir, 'passphrase');
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  demo = await seedDemo(sourceDir);
  daraja = await startDemoDaraja(demo);
  source = await startKiunga(sourceDir, { KIUNGA_MPESA_BASE_URL: daraja.baseUrl });
});

afterAll(async () => {
  if (source?.process.exitCode === null) await source.stop();
  await daraja?.stop();
  removeDataDir(workDir);
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

interface Acknowledged {
  accounting: { sessionId: string; statusType: number }[];
  /** M-Pesa receipts and cash idempotency keys whose payment was acknowledged. */
  payments: string[];
}

/** Accounting for the first ISP's vouchers, as fast as radclient goes, until told to stop. */
async function sendAccounting(acknowledged: Acknowledged, isRunning: () => boolean): Promise<void> {
  const { secret } = first().nas[0]!;
  for (let sequence = 0; isRunning(); sequence++) {
    const sessionId = `bk${String(sequence).padStart(6, '0')}`;
    const voucher = first().vouchers[sequence % first().vouchers.length]!;
    for (const [statusType, name] of [
      [1, 'Start'],
      [2, 'Stop'],
    ] as const) {
      const reply = await radclient({
        server: `127.0.0.1:${source.acctPort}`,
        command: 'acct',
        secret,
        attributes: {
          'User-Name': voucher.code,
          'Acct-Session-Id': sessionId,
          'Acct-Status-Type': name,
          'Calling-Station-Id': `02:00:00:00:${String(sequence % 100).padStart(2, '0')}:01`,
          ...(name === 'Stop' ? { 'Acct-Session-Time': 30, 'Acct-Terminate-Cause': 'User-Request' } : {}),
        },
      });
      if (reply.code === 'Accounting-Response') acknowledged.accounting.push({ sessionId, statusType });
    }
  }
}

/** C2B payments to the first ISP's subscriber and cash payments at the second ISP, alternating. */
async function sendPayments(acknowledged: Acknowledged, isRunning: () => boolean): Promise<void> {
  const subscriber = first().subscribers.find((candidate) => candidate.status === 'active')!;
  const cashSubscriber = second().subscribers.find((candidate) => candidate.status === 'active')!;
  const owner = await login(source.baseUrl, second().owner);
  for (let sequence = 0; isRunning(); sequence++) {
    const payment = await daraja.payC2b({
      shortcode: first().mpesa.shortcode,
      msisdn: '254712345678',
      amount: 100 + sequence,
      billRefNumber: subscriber.accountNumber,
    });
    const answered = payment.confirmations.at(-1)?.responseBody as { ResultCode?: unknown } | undefined;
    if (payment.outcome === 'confirmed' && String(answered?.ResultCode) === '0') {
      acknowledged.payments.push(payment.transId);
    }
    const key = `backup-cash-${sequence}`;
    const cash = await owner.post('/api/v1/payments', {
      subscriberId: cashSubscriber.id,
      amountCents: 10_000 + sequence * 100,
      method: 'cash',
      idempotencyKey: key,
    });
    if (cash.status === 201) acknowledged.payments.push(key);
  }
}

function openReadOnly(dataDir: string, relativePath: string): Database.Database {
  return new Database(join(dataDir, relativePath), { readonly: true, fileMustExist: true });
}

function rows<Row>(dataDir: string, relativePath: string, sql: string): Row[] {
  const database = openReadOnly(dataDir, relativePath);
  try {
    return database.prepare(sql).all() as Row[];
  } finally {
    database.close();
  }
}

/** A table's rows by id, for the prefix comparison: the copy is the source as of one instant. */
function assertPrefixOf(restoredDir: string, relativePath: string, table: string): number {
  const restored = rows<{ id: number }>(restoredDir, relativePath, `SELECT * FROM ${table} ORDER BY id`);
  const lastId = restored.at(-1)?.id ?? 0;
  const original = rows<{ id: number }>(sourceDir, relativePath, `SELECT * FROM ${table} ORDER BY id`);
  expect(restored).toEqual(original.filter((row) => row.id <= lastId));
  return restored.length;
}

const BALANCES_SQL = `SELECT account, SUM(debit) AS debits, SUM(credit) AS credits FROM (
    SELECT debit_account AS account, amount_cents AS debit, 0 AS credit FROM ledger_entries
    UNION ALL SELECT credit_account, 0, amount_cents FROM ledger_entries) GROUP BY account ORDER BY account`;

describe('backup while running, restore, start', () => {
  const restoredDir = () => join(workDir, 'restored');

  it('keeps every record acknowledged before the backup, and the ledgers as of one instant', async () => {
    await waitFor(
      () => daraja.state().c2bRegistrations.some((item) => item.shortcode === first().mpesa.shortcode),
      'C2B URL registration',
    );
    const acknowledged: Acknowledged = { accounting: [], payments: [] };
    let isRunning = true;
    const load = Promise.all([
      sendAccounting(acknowledged, () => isRunning),
      sendPayments(acknowledged, () => isRunning),
    ]);
    let backupOutput: string;
    let before: Acknowledged;
    try {
      await waitFor(
        () =>
          acknowledged.accounting.length >= ACCOUNTING_BEFORE_BACKUP_MIN &&
          acknowledged.payments.length >= PAYMENTS_BEFORE_BACKUP_MIN,
        'load to flow',
      );
      before = { accounting: [...acknowledged.accounting], payments: [...acknowledged.payments] };
      const backup = await runKiunga([
        'backup',
        '--to',
        backupRoot,
        '--data-dir',
        sourceDir,
        '--include-key',
        '--passphrase-file',
        passphraseFile,
      ]);
      backupOutput = backup.stdout;
    } finally {
      isRunning = false;
      await load;
    }
    expect(backupOutput).toMatch(
      /backed up the embedded installation to .*: platform, 2 tenant\(s\), 0 archived, master key \(encrypted\)/,
    );
    // The load went on while the backup ran: more was acknowledged than the backup can have seen.
    expect(acknowledged.accounting.length).toBeGreaterThan(before.accounting.length);

    const restore = await runKiunga([
      'restore',
      '--from',
      backupRoot,
      '--data-dir',
      restoredDir(),
      '--passphrase-file',
      passphraseFile,
    ]);
    expect(restore.stdout).toContain("every file's size and SHA-256 match its manifest");
    expect(restore.stdout).toContain('master key: restored from the backup');
    expect(restore.stdout).toContain('the master key opens the NAS secrets');
    expect(readFileSync(join(restoredDir(), 'master.key'), 'utf8')).toBe(
      readFileSync(join(sourceDir, 'master.key'), 'utf8'),
    );

    // Compared with the source once it has stopped (nothing moves under the comparison).
    expect(await source.stop()).toBe(0);
    const shard = `tenants/${first().id}.db`;
    const restoredAccounting = rows<{ acct_session_id: string; status_type: number }>(
      restoredDir(),
      shard,
      `SELECT acct_session_id, status_type FROM accounting_log`,
    ).map((row) => `${row.acct_session_id}/${row.status_type}`);
    for (const record of before.accounting) {
      expect(restoredAccounting).toContain(`${record.sessionId}/${record.statusType}`);
    }
    assertPrefixOf(restoredDir(), shard, 'accounting_log');
    const receipts = rows<{ provider_transaction_id: string }>(
      restoredDir(),
      shard,
      `SELECT provider_transaction_id FROM payments`,
    ).map((row) => row.provider_transaction_id);
    const cashKeys = rows<{ provider_transaction_id: string }>(
      restoredDir(),
      `tenants/${second().id}.db`,
      `SELECT provider_transaction_id FROM payments`,
    ).map((row) => row.provider_transaction_id);
    for (const payment of before.payments) {
      expect([...receipts, ...cashKeys].some((id) => id.includes(payment))).toBe(true);
    }
    for (const tenant of [first(), second()]) {
      const path = `tenants/${tenant.id}.db`;
      expect(assertPrefixOf(restoredDir(), path, 'ledger_entries')).toBeGreaterThan(0);
      const restoredBalances = rows(restoredDir(), path, BALANCES_SQL);
      const lastId = rows<{ id: number }>(restoredDir(), path, 'SELECT MAX(id) AS id FROM ledger_entries')[0]!
        .id;
      const sourceBalances = rows(
        sourceDir,
        path,
        BALANCES_SQL.replaceAll('FROM ledger_entries', `FROM ledger_entries WHERE id <= ${lastId}`),
      );
      expect(restoredBalances).toEqual(sourceBalances);
    }
    assertPrefixOf(restoredDir(), 'platform.db', 'platform_ledger_entries');
  });

  it('starts on the restored data dir and serves it: RADIUS with its NAS secrets, the API with its payments', async () => {
    // A voucher with no session left open by the load: the backup may fall between a Start and its
    // Stop, and that open session (another MAC) rightly holds the voucher's one device slot.
    const openNames = new Set(
      rows<{ username: string }>(
        restoredDir(),
        `tenants/${first().id}.db`,
        `SELECT username FROM sessions WHERE status = 'open'`,
      ).map((row) => row.username),
    );
    const voucher = first().vouchers.find((candidate) => !openNames.has(candidate.code))!;
    const restored = await startKiunga(restoredDir());
    try {
      const reply = await radclient({
        server: `127.0.0.1:${restored.authPort}`,
        command: 'auth',
        secret: first().nas[0]!.secret,
        attributes: {
          'User-Name': voucher.code,
          'User-Password': voucher.code,
          'Calling-Station-Id': '02:00:00:00:99:01',
        },
      });
      expect(reply.code).toBe('Access-Accept');
      const owner = await login(restored.baseUrl, first().owner);
      const payments = await owner.get('/api/v1/payments?limit=100');
      const stored = rows<{ count: number }>(
        restoredDir(),
        `tenants/${first().id}.db`,
        'SELECT COUNT(*) AS count FROM payments',
      );
      expect(payments.body.items.length).toBe(Math.min(100, stored[0]!.count));
    } finally {
      expect(await restored.stop()).toBe(0);
    }
  });
});

describe('refusals', () => {
  const newestBackup = () => {
    const [name] = readdirSync(backupRoot).sort().reverse();
    return join(backupRoot, name!);
  };

  it('refuses a backup with one byte changed, names the file, and writes nothing', async () => {
    const tampered = join(workDir, 'tampered');
    cpSync(newestBackup(), tampered, { recursive: true });
    const path = join(tampered, 'tenants', `${second().id}.db`);
    const bytes = readFileSync(path);
    bytes[4096] = (bytes[4096] ?? 0) ^ 0x20;
    writeFileSync(path, bytes);
    const target = join(workDir, 'from-tampered');
    const refusal = await runKiunga([
      'restore',
      '--from',
      tampered,
      '--data-dir',
      target,
      '--passphrase-file',
      passphraseFile,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(refusal).toMatchObject({ code: 2 });
    expect((refusal as { stderr: string }).stderr).toContain(
      `tenants/${second().id}.db: SHA-256 differs from the manifest`,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a wrong passphrase and a missing one before writing anything', async () => {
    const wrong = join(workDir, 'wrong-passphrase');
    writeFileSync(wrong, 'not the passphrase at all\n', { mode: 0o600 });
    const target = join(workDir, 'from-wrong-passphrase');
    const refused = await runKiunga([
      'restore',
      '--from',
      newestBackup(),
      '--data-dir',
      target,
      '--passphrase-file',
      wrong,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('the passphrase does not open the master key');
    const missing = await runKiunga(['restore', '--from', newestBackup(), '--data-dir', target]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((missing as { stderr: string }).stderr).toContain('this backup holds the master key, encrypted');
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to restore over a data directory that holds data', async () => {
    const refused = await runKiunga([
      'restore',
      '--from',
      newestBackup(),
      '--data-dir',
      sourceDir,
      '--without-key',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/is not empty .*pass --force to move it aside/);
  });
});
