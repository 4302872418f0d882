// Scaled mode end to end, as issue 11 says it must hold across nodes: one PostgreSQL, one Redis, two
// `--role aaa` nodes and two `--role api` nodes (two, so that a job has two API nodes to run on). Device limits are exact when logins race over both AAA
// nodes and still hold after Redis restarts empty; a suspension acknowledged by the API is refused by
// both nodes; a start-up job runs once in the cluster (counted at the Daraja simulator); kill -9 of an
// AAA node mid accounting burst loses no acknowledged record while the other node goes on answering;
// a backup taken under load restores into a new database and data dir with every acknowledged record.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { createTestDatabaseUrl } from '@kiunga/schemas/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { type CountingProxy, startCountingProxy } from './support/counting-proxy';
import { startDemoDaraja } from './support/demo-daraja';
import {
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  runKiunga,
  startKiunga,
} from './support/kiunga-process';
import { radclient } from './support/radclient';
import { type AaaNode, type ScaledCluster, startScaledCluster } from './support/scaled-cluster';

/** The race: 50 logins for one single-device voucher, split over both AAA nodes. */
const RACING_LOGINS = 50;
/** Accounting records the first AAA node acknowledges before it is killed: the burst is well under way. */
const ACKNOWLEDGED_BEFORE_KILL_MIN = 30;
/** Records in the kill burst (Start and Stop of half as many sessions): it goes on well past the kill. */
const BURST_RECORDS = 160;
/** radclient processes sending at once, as several routers' accounting arrives together. */
const BURST_SENDERS = 8;
/**
 * How long a router waits for its primary before it tries the secondary; one try, as a NAS with a
 * secondary configured fails over instead of retrying a dead primary (RouterOS `/radius` timeout).
 */
const PRIMARY_TIMEOUT_SECONDS = 1;
/** Records acknowledged before the backup starts, so it is taken with load flowing. */
const ACCOUNTING_BEFORE_BACKUP_MIN = 10;
const PAYMENTS_BEFORE_BACKUP_MIN = 3;
const POLL_MS = 50;
/** A node's /healthz turns 200 again within moments of Redis coming back (ioredis reconnects at once). */
const HEALTH_RECOVERY_TIMEOUT_MS = 20_000;
const PASSPHRASE = 'a passphrase for the scaled cluster backup';

let cluster: ScaledCluster;
let daraja: DarajaSimulator;
let darajaProxy: CountingProxy;
let owner: ApiClient;
let planCount = 0;

const first = () => cluster.demo.tenants[0]!;
const second = () => cluster.demo.tenants[1]!;
const nasSecret = () => first().nas.find((nas) => nas.ip === '127.0.0.1')!.secret;
const macAddress = (prefix: number, index: number) =>
  `02:00:${prefix.toString(16).padStart(2, '0')}:00:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;

beforeAll(async () => {
  cluster = await startScaledCluster({
    apiNodes: 2,
    environment: { KIUNGA_LOG_LEVEL: 'debug' },
    beforeNodesStart: async (demo) => {
      daraja = await startDemoDaraja(demo);
      darajaProxy = await startCountingProxy(daraja.baseUrl);
      return { KIUNGA_MPESA_BASE_URL: darajaProxy.baseUrl };
    },
  });
  owner = await login(cluster.api.baseUrl, first().owner);
});

afterAll(async () => {
  const exitCodes = await cluster?.stop();
  if (process.env.KIUNGA_TEST_DEBUG) console.log(cluster?.output());
  await darajaProxy?.stop();
  await daraja?.stop();
  expect(exitCodes?.every((code) => code === 0)).toBe(true);
});

async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A new hotspot plan of the first ISP with `deviceLimit`, and one voucher of it, made through the API node. */
async function newVoucher(deviceLimit: number): Promise<{ id: string; code: string }> {
  planCount += 1;
  const plan = await owner.post('/api/v1/plans', {
    name: `Cluster ${planCount}`,
    kind: 'hotspot',
    priceCents: 5000,
    validitySeconds: 3600,
    deviceLimit,
    rateUpKbps: 1024,
    rateDownKbps: 2048,
  });
  expect(plan.status).toBe(201);
  const batch = await owner.post('/api/v1/vouchers', { planId: plan.body.id, count: 1 });
  expect(batch.status).toBe(201);
  return batch.body.items[0];
}

function voucherLogin(node: AaaNode, code: string, mac: string) {
  return radclient({
    server: node.authServer,
    command: 'auth',
    secret: nasSecret(),
    attributes: { 'User-Name': code, 'User-Password': code, 'Calling-Station-Id': mac },
  });
}

interface AccountingRecord {
  readonly sessionId: string;
  /** 1 Start, 2 Stop (RFC 2866 §5.1). */
  readonly statusType: 1 | 2;
  readonly userName: string;
  readonly mac: string;
}

function sendAccounting(server: string, record: AccountingRecord, timeoutSeconds?: number) {
  return radclient({
    server,
    command: 'acct',
    secret: nasSecret(),
    attributes: {
      'User-Name': record.userName,
      'Acct-Session-Id': record.sessionId,
      'Acct-Status-Type': record.statusType === 1 ? 'Start' : 'Stop',
      'Calling-Station-Id': record.mac,
      ...(record.statusType === 2 ? { 'Acct-Session-Time': 60, 'Acct-Terminate-Cause': 'User-Request' } : {}),
    },
    // radclient's -r counts tries, not retries: 1 is a single try.
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds, retries: 1 }),
  });
}

const recordKey = (sessionId: string, statusType: number) => `${sessionId}/${statusType}`;

/** Every (Acct-Session-Id, Acct-Status-Type) the first ISP's accounting log holds in the database at `url`. */
async function storedAccounting(url: string): Promise<Set<string>> {
  const rows = await query<{ acct_session_id: string; status_type: number }>(
    url,
    `SELECT acct_session_id, status_type FROM "tenant_${first().id}".accounting_log`,
  );
  return new Set(rows.map((row) => recordKey(row.acct_session_id, row.status_type)));
}

/** Each account's debits and credits in a tenant's ledger, up to entry `lastId`. */
function ledgerBalances(url: string, tenantId: string, lastId: number) {
  return query(
    url,
    `SELECT account, SUM(debit)::bigint AS debits, SUM(credit)::bigint AS credits FROM (
       SELECT debit_account AS account, amount_cents AS debit, 0 AS credit FROM "tenant_${tenantId}".ledger_entries
        WHERE id <= ${lastId}
       UNION ALL SELECT credit_account, 0, amount_cents FROM "tenant_${tenantId}".ledger_entries WHERE id <= ${lastId}
     ) AS sides GROUP BY account ORDER BY account`,
  );
}

async function healthStatus(node: RunningKiunga): Promise<number> {
  const response = await fetch(`${node.baseUrl}/healthz`);
  await response.body?.cancel();
  return response.status;
}

describe('device limits across AAA nodes', () => {
  it('lets exactly one device in when 50 logins for a single-device voucher race over both nodes', async () => {
    const voucher = await newVoucher(1);
    const replies = await Promise.all(
      Array.from({ length: RACING_LOGINS }, (_, index) =>
        voucherLogin(cluster.aaaNodes[index % 2]!, voucher.code, macAddress(0xa1, index)),
      ),
    );
    const accepted = replies.filter((reply) => reply.code === 'Access-Accept');
    expect(accepted).toHaveLength(1);
    const refused = replies.filter((reply) => reply.code === 'Access-Reject');
    expect(refused).toHaveLength(RACING_LOGINS - 1);
    for (const reply of refused)
      expect(reply.attributes['Reply-Message']).toMatch(/maximum number of devices/);
  });

  it('still holds after Redis restarts empty: the nodes rebuild the table from the open sessions', async () => {
    const voucher = await newVoucher(1);
    const [nodeA, nodeB] = cluster.aaaNodes as [AaaNode, AaaNode];
    const device = macAddress(0xa2, 1);
    expect((await voucherLogin(nodeA, voucher.code, device)).code).toBe('Access-Accept');
    const start = {
      sessionId: 'redis-restart-1',
      statusType: 1,
      userName: voucher.code,
      mac: device,
    } as const;
    expect((await sendAccounting(nodeA.acctServer, start)).code).toBe('Accounting-Response');

    await cluster.redis.restart();
    for (const node of [cluster.api, nodeA.kiunga, nodeB.kiunga]) {
      await waitFor(
        async () => (await healthStatus(node)) === 200,
        `${node.baseUrl} healthy again after the Redis restart`,
        HEALTH_RECOVERY_TIMEOUT_MS,
      );
    }
    // The open session holds the only slot on both nodes: other devices raced over both are refused...
    const others = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        voucherLogin(cluster.aaaNodes[index % 2]!, voucher.code, macAddress(0xa2, 100 + index)),
      ),
    );
    expect(others.map((reply) => reply.code)).toEqual(others.map(() => 'Access-Reject'));
    // ...while the device that holds it may come back through either node.
    expect((await voucherLogin(nodeB, voucher.code, device)).code).toBe('Access-Accept');
  });
});

describe('a change acknowledged by the API node', () => {
  it('a suspension is refused by both AAA nodes on their next request', async () => {
    const plan = await owner.post('/api/v1/plans', {
      name: 'Cluster PPPoE',
      kind: 'pppoe',
      priceCents: 150_000,
      rateUpKbps: 3000,
      rateDownKbps: 6000,
    });
    expect(plan.status).toBe(201);
    const password = 'cluster-pass-1';
    const created = await owner.post('/api/v1/subscribers', {
      username: 'cluster-1',
      password,
      planId: plan.body.id,
    });
    expect(created.status).toBe(201);
    const pppoeLogin = (node: AaaNode) =>
      radclient({
        server: node.authServer,
        command: 'auth',
        secret: nasSecret(),
        attributes: {
          'User-Name': 'cluster-1',
          'User-Password': password,
          'Framed-Protocol': 'PPP',
          'Calling-Station-Id': macAddress(0xb1, 1),
        },
      });
    for (const node of cluster.aaaNodes) expect((await pppoeLogin(node)).code).toBe('Access-Accept');
    expect((await owner.post(`/api/v1/subscribers/${created.body.id}/suspend`)).status).toBe(200);
    // No pause: both nodes' very next request.
    const replies = await Promise.all(cluster.aaaNodes.map(pppoeLogin));
    for (const reply of replies) {
      expect(reply.code).toBe('Access-Reject');
      expect(reply.attributes['Reply-Message']).toMatch(/suspended/);
    }
  });
});

describe('jobs in the cluster', () => {
  it('the start-up C2B URL registration runs once with two API nodes up: one registration reaches Daraja', async () => {
    const STARTED = 'job started';
    const FINISHED = 'job finished';
    const SKIPPED = 'job skipped: its lease is held elsewhere';
    const messages = (node: RunningKiunga) =>
      node
        .output()
        .split('\n')
        .filter((line) => line.includes('"job":"c2b_registration"'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
    /**
     * A node's first decision about the job, taken as it starts: it took the lease, or skipped. Logged
     * when taken: a cron tick at a 5-minute boundary during the start-up run logs its skip at once, before
     * that run's "finished", so the end of a run would misorder them (seen once in a full run).
     */
    const startupDecision = (node: RunningKiunga) =>
      messages(node).find((message) => message === STARTED || message === SKIPPED);
    // Every API node decides as it starts; AAA nodes run no jobs (their HTTP port is health and metrics).
    await waitFor(
      () => cluster.apiNodes.every((node) => startupDecision(node) !== undefined),
      'both API nodes to decide about the C2B registration',
    );
    expect(cluster.apiNodes.filter((node) => startupDecision(node) === STARTED)).toHaveLength(1);
    for (const node of cluster.apiNodes) expect([STARTED, SKIPPED]).toContain(startupDecision(node));
    const runner = cluster.apiNodes.find((node) => startupDecision(node) === STARTED)!;
    await waitFor(() => messages(runner).includes(FINISHED), 'the start-up registration to finish');
    for (const node of cluster.aaaNodes) expect(startupDecision(node.kiunga)).toBeUndefined();
    // Its effect, counted where it lands: one registration at Daraja from the whole cluster (a later
    // retry round finds nothing pending and registers nothing).
    const registrations =
      darajaProxy.count('/mpesa/c2b/v1/registerurl') + darajaProxy.count('/mpesa/c2b/v2/registerurl');
    expect(registrations).toBe(1);
  });
});

describe('an AAA node killed mid accounting burst', () => {
  it('loses no acknowledged record, and the other node answers what the router fails over to it', async () => {
    const [nodeA, nodeB] = cluster.aaaNodes as [AaaNode, AaaNode];
    const vouchers = first().vouchers;
    const records: AccountingRecord[] = [];
    for (let session = 0; session < BURST_RECORDS / 2; session++) {
      const voucher = vouchers[session % vouchers.length]!;
      const mac = macAddress(0xc1, session);
      for (const statusType of [1, 2] as const) {
        records.push({
          sessionId: `kill${String(session).padStart(4, '0')}`,
          statusType,
          userName: voucher.code,
          mac,
        });
      }
    }
    const acknowledged: Array<AccountingRecord & { node: 'A' | 'B' }> = [];
    const unanswered: AccountingRecord[] = [];
    let next = 0;
    let killed = false;
    let restarting: Promise<AaaNode> | undefined;
    const sender = async () => {
      for (let index = next++; index < records.length; index = next++) {
        const record = records[index]!;
        // The router's primary first, with one short try; on silence, its secondary.
        if (!killed) {
          const primary = await sendAccounting(nodeA.acctServer, record, PRIMARY_TIMEOUT_SECONDS);
          if (primary.code === 'Accounting-Response') {
            acknowledged.push({ ...record, node: 'A' });
            if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL_MIN && !killed) {
              killed = true;
              nodeA.kiunga.process.kill('SIGKILL');
              // The operator starts it again (on new ports) while the other node carries the load.
              restarting = cluster.restartAaaNode(0);
            }
            continue;
          }
        }
        const secondary = await sendAccounting(nodeB.acctServer, record);
        if (secondary.code === 'Accounting-Response') acknowledged.push({ ...record, node: 'B' });
        else unanswered.push(record);
      }
    };
    await Promise.all(Array.from({ length: BURST_SENDERS }, sender));
    expect(killed).toBe(true);
    expect(unanswered).toEqual([]);
    expect(acknowledged.filter((record) => record.node === 'B').length).toBeGreaterThan(0);
    const stored = await storedAccounting(cluster.databaseUrl);
    const lost = acknowledged.filter((record) => !stored.has(recordKey(record.sessionId, record.statusType)));
    expect(lost).toEqual([]);
    // The surviving node still lets users in.
    const voucher = await newVoucher(2);
    expect((await voucherLogin(nodeB, voucher.code, macAddress(0xc2, 1))).code).toBe('Access-Accept');
    // The killed node comes back on the same database and Redis and answers again.
    const restarted = await restarting!;
    expect((await voucherLogin(restarted, voucher.code, macAddress(0xc2, 1))).code).toBe('Access-Accept');
  });
});

describe('backup under load, restore into a new database and data dir', () => {
  let workDir: string;
  let restored: RunningKiunga | undefined;

  beforeAll(() => {
    workDir = makeDataDir();
  });

  afterAll(async () => {
    if (restored) expect(await restored.stop()).toBe(0);
    removeDataDir(workDir);
  });

  it('keeps every accounting record and payment acknowledged before the backup, and the ledgers as of one instant', async () => {
    const passphraseFile = join(workDir, 'passphrase');
    writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const backupRoot = join(workDir, 'backups');
    const acknowledgedRecords: string[] = [];
    const acknowledgedPayments: string[] = [];
    let isRunning = true;
    const accountingLoad = async () => {
      for (let sequence = 0; isRunning; sequence++) {
        const node = cluster.aaaNodes[sequence % 2]!;
        const voucher = first().vouchers[sequence % first().vouchers.length]!;
        const record = {
          sessionId: `bk${String(sequence).padStart(5, '0')}`,
          statusType: 1,
          userName: voucher.code,
          mac: macAddress(0xd1, sequence),
        } as const;
        if ((await sendAccounting(node.acctServer, record)).code === 'Accounting-Response')
          acknowledgedRecords.push(recordKey(record.sessionId, 1));
      }
    };
    const cashSubscriber = second().subscribers.find((candidate) => candidate.status === 'active')!;
    const cashier = await login(cluster.api.baseUrl, second().owner);
    const paymentLoad = async () => {
      for (let sequence = 0; isRunning; sequence++) {
        const key = `cluster-cash-${sequence}`;
        const cash = await cashier.post('/api/v1/payments', {
          subscriberId: cashSubscriber.id,
          amountCents: 10_000 + sequence * 100,
          method: 'cash',
          idempotencyKey: key,
        });
        if (cash.status === 201) acknowledgedPayments.push(key);
      }
    };
    const load = Promise.all([accountingLoad(), paymentLoad()]);
    let recordsBefore: string[];
    let paymentsBefore: string[];
    let backupOutput: string;
    try {
      await waitFor(
        () =>
          acknowledgedRecords.length >= ACCOUNTING_BEFORE_BACKUP_MIN &&
          acknowledgedPayments.length >= PAYMENTS_BEFORE_BACKUP_MIN,
        'load to flow',
      );
      recordsBefore = [...acknowledgedRecords];
      paymentsBefore = [...acknowledgedPayments];
      const backup = await runKiunga(
        [
          'backup',
          '--to',
          backupRoot,
          '--data-dir',
          cluster.dataDir,
          '--include-key',
          '--passphrase-file',
          passphraseFile,
        ],
        { KIUNGA_DATABASE_URL: cluster.databaseUrl },
      );
      backupOutput = backup.stdout;
    } finally {
      isRunning = false;
      await load;
    }
    expect(backupOutput).toMatch(/backed up the scaled installation to .*: platform, 2 tenant\(s\)/);
    expect(acknowledgedRecords.length).toBeGreaterThan(recordsBefore.length);

    const restoredUrl = await createTestDatabaseUrl();
    const restoredDir = join(workDir, 'restored');
    const restore = await runKiunga(
      ['restore', '--from', backupRoot, '--data-dir', restoredDir, '--passphrase-file', passphraseFile],
      { KIUNGA_DATABASE_URL: restoredUrl },
    );
    expect(restore.stdout).toContain('restored the scaled backup');
    // The ledgers as restored, read before the restored node starts: its own jobs (billing) write more.
    const restoredLedgers = new Map<string, number>();
    for (const tenant of [first(), second()]) {
      const [last] = await query<{ id: number | null }>(
        restoredUrl,
        `SELECT MAX(id)::int AS id FROM "tenant_${tenant.id}".ledger_entries`,
      );
      restoredLedgers.set(tenant.id, last?.id ?? 0);
    }
    restored = await startKiunga(restoredDir, { KIUNGA_DATABASE_URL: restoredUrl });

    const storedRecords = await storedAccounting(restoredUrl);
    expect(recordsBefore.filter((key) => !storedRecords.has(key))).toEqual([]);
    const payments = await query<{ provider_transaction_id: string }>(
      restoredUrl,
      `SELECT provider_transaction_id FROM "tenant_${second().id}".payments`,
    );
    const restoredPayments = payments.map((row) => row.provider_transaction_id);
    expect(paymentsBefore.filter((key) => !restoredPayments.some((id) => id.includes(key)))).toEqual([]);
    for (const tenant of [first(), second()]) {
      const lastId = restoredLedgers.get(tenant.id) ?? 0;
      expect(await ledgerBalances(restoredUrl, tenant.id, lastId)).toEqual(
        await ledgerBalances(cluster.databaseUrl, tenant.id, lastId),
      );
    }
  });
});
