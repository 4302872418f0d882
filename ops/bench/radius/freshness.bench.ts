// Access-Request CPU and latency on PostgreSQL with the cache kept fresh by LISTEN/NOTIFY, against a change-generation read per request, in one run.
// Run: node --import tsx ops/bench/radius/freshness.bench.ts [--requests 20000] [--concurrency 32]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { codec, startAaaServer } from '@kiunga/aaa-server';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { createSecretBox, ManualClock, PostgresDatabases } from '@kiunga/schemas';
import pino from 'pino';
import { startPostgresServer } from '../../../schemas/src/db/testing/postgres-server';

const REQUESTS_DEFAULT = 20_000;
/** Requests in flight at once: a loaded AAA node has many logins waiting at any moment. */
const CONCURRENCY_DEFAULT = 32;
/** Requests before measuring: caches, JIT and connections warm. */
const WARMUP_REQUESTS = 2_000;
const MICROSECONDS_PER_MILLISECOND = 1_000;
/** One device for every login: the voucher's device slot is its own, so each login is accepted. */
const DEVICE = '02:00:00:00:00:01';
const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..');

interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50Microseconds: number;
  readonly p99Microseconds: number;
  /** This process's CPU per request (the load generator's share included, the same in both modes). */
  readonly nodeCpuMicroseconds: number;
  /** Transactions PostgreSQL committed per request (pg_stat_database.xact_commit). */
  readonly databaseTransactionsPerRequest: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { requests: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const requests = Number(values.requests ?? REQUESTS_DEFAULT);
  const concurrency = Number(values.concurrency ?? CONCURRENCY_DEFAULT);
  const server = await startPostgresServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-freshness-'));
  try {
    const url = await server.createDatabase('freshness');
    const { stdout } = await promisify(execFile)(
      join(repositoryRoot, 'kiunga'),
      ['demo', '--seed-only', '--json', '--data-dir', dataDir],
      { cwd: repositoryRoot, env: { ...process.env, KIUNGA_DATABASE_URL: url } },
    );
    const demo = JSON.parse(stdout) as {
      tenants: Array<{ nas: Array<{ secret: string }>; vouchers: Array<{ code: string }> }>;
    };
    const masterKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
    const tenant = demo.tenants[0]!;
    const target = { secret: tenant.nas[0]!.secret, code: tenant.vouchers[0]!.code };
    for (const listensForChanges of [true, false]) {
      const result = await measure({
        url,
        dataDir,
        masterKey,
        target,
        listensForChanges,
        requests,
        concurrency,
      });
      const mode = listensForChanges
        ? 'LISTEN/NOTIFY (listener healthy)'
        : 'change-generation read per request';
      console.log(
        `${mode}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Microseconds} µs, ` +
          `p99 ${result.p99Microseconds} µs, node CPU ${result.nodeCpuMicroseconds.toFixed(1)} µs/req, ` +
          `PostgreSQL transactions ${result.databaseTransactionsPerRequest.toFixed(3)}/req`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(options: {
  url: string;
  dataDir: string;
  masterKey: string;
  target: { secret: string; code: string };
  listensForChanges: boolean;
  requests: number;
  concurrency: number;
}): Promise<Measurement> {
  const databases = await PostgresDatabases.open({
    url: options.url,
    listensForChanges: options.listensForChanges,
  });
  const aaa = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    databases,
    secretBox: createSecretBox(options.masterKey),
    clock: new ManualClock(Date.now()),
    logger: pino({ level: 'silent' }),
  });
  const sockets: Socket[] = [];
  try {
    for (let index = 0; index < options.concurrency; index += 1) {
      const socket = createSocket('udp4');
      await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
      sockets.push(socket);
    }
    await run(sockets, aaa.authPort, options.target, WARMUP_REQUESTS);
    const commitsBefore = await transactionsCommitted(databases);
    const cpuBefore = process.cpuUsage();
    const startedAt = process.hrtime.bigint();
    const latencies = await run(sockets, aaa.authPort, options.target, options.requests);
    const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const commitsAfter = await transactionsCommitted(databases);
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: options.requests / elapsedSeconds,
      p50Microseconds: Math.round(latencies[Math.floor(latencies.length * 0.5)]!),
      p99Microseconds: Math.round(latencies[Math.floor(latencies.length * 0.99)]!),
      nodeCpuMicroseconds: (cpu.user + cpu.system) / options.requests,
      // The two pg_stat reads themselves are two transactions.
      databaseTransactionsPerRequest: (commitsAfter - commitsBefore - 1) / options.requests,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await aaa.stop();
    await databases.close();
  }
}

async function transactionsCommitted(databases: PostgresDatabases): Promise<number> {
  // The statistics of the database are flushed by each backend at most once a second (pg_stat_database).
  await new Promise((done) => setTimeout(done, 1_100));
  const row = await databases.platform.get<{ commits: number }>(
    'SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = current_database()',
  );
  return row?.commits ?? 0;
}

/** Each socket sends one Access-Request, waits for its answer, and sends the next: latencies in µs. */
async function run(
  sockets: Socket[],
  port: number,
  target: { secret: string; code: string },
  requests: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let sent = 0;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((done) => {
          let sentAt = 0n;
          let identifier = 0;
          const sendNext = () => {
            if (sent >= requests) {
              socket.removeAllListeners('message');
              done();
              return;
            }
            sent += 1;
            identifier = (identifier + 1) % 256;
            const authenticator = randomBytes(16);
            const packet = codec.encodeRequest({
              code: PacketCode.AccessRequest,
              identifier,
              authenticator,
              secret: target.secret,
              attributes: [
                codec.stringAttribute(Attribute.UserName, target.code),
                {
                  type: Attribute.UserPassword,
                  value: codec.encryptUserPassword(target.code, target.secret, authenticator),
                },
                codec.stringAttribute(Attribute.CallingStationId, DEVICE),
              ],
            });
            sentAt = process.hrtime.bigint();
            socket.send(packet, port, '127.0.0.1');
          };
          socket.on('message', () => {
            latencies.push(Number(process.hrtime.bigint() - sentAt) / MICROSECONDS_PER_MILLISECOND);
            sendNext();
          });
          sendNext();
        }),
    ),
  );
  return latencies;
}

await main();
