// Benchmark: Kiunga scaled (two `--role aaa` nodes on PostgreSQL and Redis) beside embedded (one node on
// SQLite) in the same run: Access-Request CPU per request and p99, and accounting records per second,
// each answered only once its record is committed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { type RedisServer, startRedisServer } from '@kiunga/aaa-server/testing';
import { PacketCode } from '@kiunga/dictionaries';
import { type PostgresServer, startPostgresServer } from '../../../schemas/src/db/testing/postgres-server';
import { postgresCpuMicroseconds, postmasterPid, readProcessCpuMicroseconds } from './cpu';
import { type KiungaNode, seedDemo, startKiunga, startKiungaNode } from './kiunga';
import { driveLoad, type LoadRequest, type LoadStats, REQUESTS_MAX } from './load-generator';
import { buildAccessRequests, buildAccountingRequests } from './request-stream';

const VOUCHERS_DEFAULT = 1_000;
/** Logins per measured pass: enough for CPU ticks (10 ms) to average out over several seconds. */
const LOGINS_DEFAULT = 20_000;
/** A fixed offered rate for the logins (all nodes together): a busy platform's routers, not a flood. */
const LOGIN_RATE_DEFAULT = 2_000;
/** The issue's accounting figure: 2,000 sessions × (Start, 8 interims, Stop) = 20,000 records. */
const ACCOUNTING_SESSIONS_DEFAULT = 2_000;
const INTERIMS_PER_SESSION = 8;
/** Outstanding requests per node by default, as in radius.bench.ts: a busy hotspot's 200. */
const IN_FLIGHT_PER_NODE_DEFAULT = 200;
/** A MikroTik's default wait per try. */
const TIMEOUT_MS = 3_000;
const RETRIES = 2;
/** The first pass of a login stream records each voucher's first use; the measured pass comes after it. */
const WARMUP_LOGINS_MAX = 2_000;
/** The issue's target for durable accounting on this machine. */
const ACCOUNTING_TARGET_PER_SECOND = 10_000;
/** The AAA nodes' RADIUS addresses; the requests still come from 127.0.0.1, the demo NAS. */
const AAA_NODE_HOSTS = ['127.0.0.2', '127.0.0.3'] as const;
/** Accounting sessions of the measured pass are numbered from here, clear of the warm-up's. */
const MEASURED_FIRST_SESSION = 1_000_000;

const execFileAsync = promisify(execFile);

/** What the backing services counted so far: statements and commits (pg_stat_statements), Redis script runs. */
interface BackingCounts {
  readonly statements: number;
  readonly commits: number;
  readonly redisScripts: number;
}

/** CPU so far of what the nodes lean on, microseconds. */
interface BackingCpu {
  readonly postgres: number;
  readonly redis: number;
}

const NO_BACKING_CPU: BackingCpu = { postgres: 0, redis: 0 };
const NO_BACKING_COUNTS: BackingCounts = { statements: 0, commits: 0, redisScripts: 0 };

interface Deployment {
  readonly mode: 'embedded' | 'scaled';
  readonly nodes: readonly KiungaNode[];
  readonly secret: string;
  readonly codes: readonly string[];
  /** CPU of what the nodes lean on (PostgreSQL, Redis), microseconds so far; 0 embedded. */
  backingCpuMicroseconds(): Promise<BackingCpu>;
  backingCounts(): Promise<BackingCounts>;
  /** The statements PostgreSQL ran most often so far, with their calls (empty embedded). */
  topStatements(): Promise<string>;
  stop(): Promise<void>;
}

interface Figures {
  readonly mode: string;
  readonly run: 'auth-repeat' | 'acct';
  readonly sent: number;
  readonly answered: number;
  readonly lost: number;
  readonly perSecond: number;
  readonly nodeCpuMicrosecondsPerRequest: number;
  readonly backingCpuMicrosecondsPerRequest: number;
  readonly postgresCpuMicrosecondsPerRequest: number;
  readonly redisCpuMicrosecondsPerRequest: number;
  /** This process's CPU (the load generators), to set beside the rest on the same two cores. */
  readonly loadGeneratorCpuMicrosecondsPerRequest: number;
  readonly statementsPerRequest: number;
  readonly commitsPerRequest: number;
  readonly redisScriptsPerRequest: number;
  /** The worst node's p99 (each node's load generator keeps its own latencies). */
  readonly latencyP99Ms: number;
}

async function startEmbedded(vouchers: number): Promise<Deployment> {
  const server = await startKiunga({ vouchers });
  return {
    mode: 'embedded',
    nodes: [server],
    secret: server.secret,
    codes: server.codes,
    backingCpuMicroseconds: async () => NO_BACKING_CPU,
    backingCounts: async () => NO_BACKING_COUNTS,
    topStatements: async () => '',
    stop: server.stop,
  };
}

const BENCH_DATABASE = 'kiunga_bench';

/** One row of a query's answer, columns joined by '|' (psql, unaligned, tuples only). */
async function psql(url: string, sql: string): Promise<string> {
  const { stdout } = await execFileAsync('psql', [
    '-X',
    '-A',
    '-t',
    '-v',
    'ON_ERROR_STOP=1',
    '-d',
    url,
    '-c',
    sql,
  ]);
  return stdout.trim();
}

/** Lua scripts Redis ran so far (INFO commandstats: EVALSHA and EVAL calls). */
async function redisScriptCalls(port: number): Promise<number> {
  const { stdout } = await execFileAsync('redis-cli', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    'INFO',
    'commandstats',
  ]);
  let calls = 0;
  for (const match of stdout.matchAll(/^cmdstat_(?:evalsha|eval|fcall):calls=(\d+)/gm))
    calls += Number(match[1]);
  return calls;
}

async function startScaled(vouchers: number): Promise<Deployment> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'kiunga-bench-scaled-'));
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  const nodes: KiungaNode[] = [];
  const stop = async () => {
    for (const node of nodes) await node.stop();
    await redis?.dispose();
    await postgres?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  try {
    // PostgreSQL with its production defaults (fsync, synchronous commit): an answer means on disk;
    // pg_stat_statements counts the statements (F.32 in the PostgreSQL 15 manual: it must be preloaded).
    [postgres, redis] = await Promise.all([
      startPostgresServer({ isDurable: true, settings: ['shared_preload_libraries=pg_stat_statements'] }),
      startRedisServer(),
    ]);
    await psql(postgres.url, 'CREATE EXTENSION pg_stat_statements');
    const environment = {
      KIUNGA_DATABASE_URL: await postgres.createDatabase(BENCH_DATABASE),
      KIUNGA_REDIS_URL: redis.url,
    };
    const { secret, codes } = await seedDemo(dataDirectory, vouchers, environment);
    for (const radiusHost of AAA_NODE_HOSTS) {
      nodes.push(await startKiungaNode(dataDirectory, { role: 'aaa', radiusHost, environment }));
    }
    const postmaster = postmasterPid(postgres.port);
    const postgresUrl = postgres.url;
    const redisServer = redis;
    return {
      mode: 'scaled',
      nodes,
      secret,
      codes,
      backingCpuMicroseconds: async () => {
        const redisSeconds =
          (await redisServer.infoNumber('cpu', 'used_cpu_user')) +
          (await redisServer.infoNumber('cpu', 'used_cpu_sys'));
        return { postgres: postgresCpuMicroseconds(postmaster), redis: redisSeconds * 1_000_000 };
      },
      backingCounts: async () => {
        const [statements = 0, commits = 0] = (
          await psql(
            postgresUrl,
            `SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query = 'COMMIT'), 0)
               FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '${BENCH_DATABASE}')`,
          )
        )
          .split('|')
          .map(Number);
        return { statements, commits, redisScripts: await redisScriptCalls(redisServer.port) };
      },
      topStatements: async () =>
        (await psql(
          postgresUrl,
          `SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '${BENCH_DATABASE}') ORDER BY calls DESC LIMIT 8`,
        )) +
        // Interim updates kept on their page (HOT: no index entries written) of all updates, per table.
        `\nrow updates (table|updates|HOT):\n${await psql(
          environment.KIUNGA_DATABASE_URL,
          `SELECT relname, sum(n_tup_upd), sum(n_tup_hot_upd) FROM pg_stat_user_tables
            WHERE relname IN ('sessions', 'accounting_log') GROUP BY relname`,
        )}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Requests dealt over the nodes in turn; streams keep each session on one node (see below). */
function split(requests: readonly LoadRequest[], parts: number): LoadRequest[][] {
  const shares: LoadRequest[][] = Array.from({ length: parts }, () => []);
  for (const [index, request] of requests.entries()) shares[index % parts]?.push(request);
  return shares;
}

async function drive(
  deployment: Deployment,
  run: Figures['run'],
  requests: readonly LoadRequest[],
  inFlightPerNode: number,
  ratePerSecond?: number,
): Promise<Figures> {
  const isAccounting = run === 'acct';
  const { nodes } = deployment;
  // Accounting streams come in blocks of 1,000 sessions (an even number), so dealing requests in turn
  // over two nodes sends every record of one session to the same node, as one router's NAS would.
  const shares = split(requests, nodes.length);
  const countsBefore = await deployment.backingCounts();
  const nodeCpuBefore = nodes.map((node) => readProcessCpuMicroseconds(node.pid));
  const backingBefore = await deployment.backingCpuMicroseconds();
  const ownCpuBefore = process.cpuUsage();
  const stats: LoadStats[] = await Promise.all(
    nodes.map((node, index) =>
      driveLoad({
        host: node.host,
        port: isAccounting ? node.acctPort : node.authPort,
        secret: deployment.secret,
        code: isAccounting ? PacketCode.AccountingRequest : PacketCode.AccessRequest,
        requests: shares[index] ?? [],
        inFlight: inFlightPerNode,
        timeoutMs: TIMEOUT_MS,
        retries: RETRIES,
        ...(ratePerSecond === undefined ? {} : { ratePerSecond: Math.ceil(ratePerSecond / nodes.length) }),
      }),
    ),
  );
  const nodeCpu = nodes.reduce(
    (sum, node, index) => sum + readProcessCpuMicroseconds(node.pid) - (nodeCpuBefore[index] ?? 0),
    0,
  );
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const backingAfter = await deployment.backingCpuMicroseconds();
  const postgresCpu = backingAfter.postgres - backingBefore.postgres;
  const redisCpu = backingAfter.redis - backingBefore.redis;
  const countsAfter = await deployment.backingCounts();
  const sent = stats.reduce((sum, item) => sum + item.sent, 0);
  const answered = stats.reduce(
    (sum, item) => sum + (isAccounting ? item.accountingResponses : item.accepted),
    0,
  );
  const wallSeconds = Math.max(...stats.map((item) => item.wallTimeMs)) / 1000;
  const figures: Figures = {
    mode: deployment.mode,
    run,
    sent,
    answered,
    lost: stats.reduce((sum, item) => sum + item.timedOut, 0),
    perSecond: answered / wallSeconds,
    nodeCpuMicrosecondsPerRequest: nodeCpu / requests.length,
    backingCpuMicrosecondsPerRequest: (postgresCpu + redisCpu) / requests.length,
    postgresCpuMicrosecondsPerRequest: postgresCpu / requests.length,
    redisCpuMicrosecondsPerRequest: redisCpu / requests.length,
    loadGeneratorCpuMicrosecondsPerRequest: (ownCpu.user + ownCpu.system) / requests.length,
    statementsPerRequest: (countsAfter.statements - countsBefore.statements) / requests.length,
    commitsPerRequest: (countsAfter.commits - countsBefore.commits) / requests.length,
    redisScriptsPerRequest: (countsAfter.redisScripts - countsBefore.redisScripts) / requests.length,
    latencyP99Ms: Math.max(...stats.map((item) => item.latencyP99Ms)),
  };
  console.log(
    `${figures.mode} ${figures.run}: ${figures.sent} sent, ${figures.answered} answered, ${figures.lost} lost; ` +
      `${figures.perSecond.toFixed(0)}/s, node CPU ${figures.nodeCpuMicrosecondsPerRequest.toFixed(1)} µs/request, ` +
      `PostgreSQL+Redis CPU ${figures.backingCpuMicrosecondsPerRequest.toFixed(1)} µs/request ` +
      `(${figures.postgresCpuMicrosecondsPerRequest.toFixed(1)} + ${figures.redisCpuMicrosecondsPerRequest.toFixed(1)}), ` +
      `load generator CPU ${figures.loadGeneratorCpuMicrosecondsPerRequest.toFixed(1)} µs/request, ` +
      `${figures.statementsPerRequest.toFixed(3)} statements, ${figures.commitsPerRequest.toFixed(4)} commits and ` +
      `${figures.redisScriptsPerRequest.toFixed(3)} Redis scripts per request, p99 ${figures.latencyP99Ms.toFixed(2)} ms`,
  );
  return figures;
}

async function benchDeployment(deployment: Deployment, options: Options): Promise<Figures[]> {
  const logins = buildAccessRequests(deployment.codes, options.logins);
  // First pass: each voucher's first login (a write), V8 warm-up; not measured.
  const warmupLogins = logins.slice(0, Math.min(WARMUP_LOGINS_MAX, logins.length));
  await drive(deployment, 'auth-repeat', warmupLogins, IN_FLIGHT_PER_NODE_DEFAULT);
  const auth = await drive(deployment, 'auth-repeat', logins, IN_FLIGHT_PER_NODE_DEFAULT, options.loginRate);
  await drive(deployment, 'acct', buildAccountingRequests(deployment.codes, 100, 1), options.inFlightPerNode);
  const accounting = await drive(
    deployment,
    'acct',
    buildAccountingRequests(
      deployment.codes,
      options.accountingSessions,
      INTERIMS_PER_SESSION,
      MEASURED_FIRST_SESSION,
    ),
    options.inFlightPerNode,
  );
  const top = await deployment.topStatements();
  if (top !== '')
    console.log(`PostgreSQL's most frequent statements over the whole run (calls|text):\n${top}`);
  return [auth, accounting];
}

interface Options {
  readonly vouchers: number;
  readonly logins: number;
  readonly loginRate: number;
  readonly accountingSessions: number;
  /** Accounting requests outstanding per node (the logins keep IN_FLIGHT_PER_NODE_DEFAULT). */
  readonly inFlightPerNode: number;
  /** Which deployments to run (both by default: the figures are compared in one run). */
  readonly modes: ReadonlyArray<Deployment['mode']>;
}

function positiveInteger(text: string, flag: string, maximum: number): number {
  const value = Number.parseInt(text, 10);
  if (!Number.isInteger(value) || value < 1 || value > maximum)
    throw new Error(`${flag} must be 1..${maximum}`);
  return value;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      vouchers: { type: 'string', default: String(VOUCHERS_DEFAULT) },
      logins: { type: 'string', default: String(LOGINS_DEFAULT) },
      'login-rate': { type: 'string', default: String(LOGIN_RATE_DEFAULT) },
      'acct-sessions': { type: 'string', default: String(ACCOUNTING_SESSIONS_DEFAULT) },
      'acct-in-flight': { type: 'string', default: String(IN_FLIGHT_PER_NODE_DEFAULT) },
      only: { type: 'string' },
    },
  });
  return {
    vouchers: positiveInteger(values.vouchers, '--vouchers', REQUESTS_MAX),
    logins: positiveInteger(values.logins, '--logins', REQUESTS_MAX),
    loginRate: positiveInteger(values['login-rate'], '--login-rate', REQUESTS_MAX),
    accountingSessions: positiveInteger(values['acct-sessions'], '--acct-sessions', REQUESTS_MAX),
    inFlightPerNode: positiveInteger(values['acct-in-flight'], '--acct-in-flight', REQUESTS_MAX),
    modes: parseModes(values.only),
  };
}

function parseModes(only: string | undefined): Options['modes'] {
  if (only === undefined) return ['embedded', 'scaled'];
  if (only === 'embedded' || only === 'scaled') return [only];
  throw new Error('--only must be embedded or scaled');
}

function printTable(figures: readonly Figures[]): void {
  console.log(
    '\nmode      run          sent    answered/s  node CPU µs/req  PG+Redis CPU µs/req  loadgen CPU µs/req' +
      '  stmts/req  commits/req  scripts/req  p99 ms  lost',
  );
  for (const item of figures) {
    console.log(
      `${item.mode.padEnd(9)} ${item.run.padEnd(11)} ${String(item.sent).padStart(6)}  ${item.perSecond.toFixed(0).padStart(10)}` +
        `  ${item.nodeCpuMicrosecondsPerRequest.toFixed(1).padStart(15)}  ${item.backingCpuMicrosecondsPerRequest.toFixed(1).padStart(19)}` +
        `  ${item.loadGeneratorCpuMicrosecondsPerRequest.toFixed(1).padStart(18)}  ${item.statementsPerRequest.toFixed(3).padStart(9)}` +
        `  ${item.commitsPerRequest.toFixed(4).padStart(11)}  ${item.redisScriptsPerRequest.toFixed(3).padStart(11)}` +
        `  ${item.latencyP99Ms.toFixed(2).padStart(6)}  ${String(item.lost).padStart(4)}`,
    );
  }
  const scaledAccounting = figures.find((item) => item.mode === 'scaled' && item.run === 'acct');
  if (scaledAccounting !== undefined) {
    console.log(
      `\ntarget ≥ ${ACCOUNTING_TARGET_PER_SECOND} durable accounting records/s scaled: ` +
        `${scaledAccounting.perSecond >= ACCOUNTING_TARGET_PER_SECOND ? 'met' : 'NOT met'} (${scaledAccounting.perSecond.toFixed(0)}/s)`,
    );
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  console.log(
    `scaled RADIUS benchmark: ${options.vouchers} vouchers; ${options.logins} repeat logins at ${options.loginRate}/s ` +
      `over all nodes; ${options.accountingSessions} sessions × ${INTERIMS_PER_SESSION + 2} accounting records ` +
      `as fast as answered, ${options.inFlightPerNode} in flight per node`,
  );
  const figures: Figures[] = [];
  const starts = { embedded: startEmbedded, scaled: startScaled };
  for (const mode of options.modes) {
    const deployment = await starts[mode](options.vouchers);
    try {
      figures.push(...(await benchDeployment(deployment, options)));
    } finally {
      await deployment.stop();
    }
  }
  printTable(figures);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
