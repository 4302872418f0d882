// Runs Kiunga as `./kiunga start` does (the compiled bundle in dist/, built first when stale) on a scratch
// data directory seeded by `kiunga demo`, for comparison runs. KIUNGA_RUN_FROM_SOURCE=1 runs the
// TypeScript through tsx instead, as `./kiunga` does with it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root, where `ops/src/cli/main.ts` and the workspace's node_modules are. */
const REPOSITORY_ROOT = resolve(import.meta.dirname, '../../..');
const CLI_ENTRY = 'ops/src/cli/main.ts';
/** The same flags as ./kiunga: MS-CHAPv2 needs MD4 and DES from OpenSSL's legacy provider. */
const NODE_FLAGS = ['--openssl-legacy-provider', '--import', 'tsx'] as const;
/** What ./kiunga start runs (ops/src/cli/build.ts: dist/current -> builds/<id>, bin/kiunga.mjs). */
const BUNDLE_ENTRY = 'dist/current/bin/kiunga.mjs';
const BUNDLE_NODE_FLAGS = ['--openssl-legacy-provider'] as const;
/** A build is seconds of esbuild; waiting on another start's build lock can take longer. */
const BUILD_TIMEOUT_MS = 600_000;
const HOST = '127.0.0.1';
/** Seeding 100 000 vouchers (the demo's maximum) takes well under a minute; ten is slack. */
const SEED_TIMEOUT_MS = 600_000;
/** The demo JSON for 100 000 vouchers is about 10 MB. */
const SEED_OUTPUT_BYTES_MAX = 64 * 1024 * 1024;
/** Starting compiles the TypeScript through tsx and opens the databases: a few seconds. */
const STARTUP_TIMEOUT_MS = 60_000;
const HEALTH_POLL_INTERVAL_MS = 100;
const STOP_TIMEOUT_MS = 10_000;
/** Startup logs are kept to explain a failure; a cap keeps a chatty server from growing memory. */
const LOG_CHARACTERS_MAX = 64_000;
/** The plan of the extra vouchers `kiunga demo --vouchers N` makes (device limit 2). */
const BENCH_VOUCHER_PLAN_NAME = '24 Hours';
/** Set to 1 to run the server under `--cpu-prof`; profiles land in KIUNGA_BENCH_PROFILE_DIR. */
const PROFILE_ENVIRONMENT_FLAG = 'KIUNGA_BENCH_PROFILE';
const PROFILE_DIRECTORY_DEFAULT = '/tmp/prof';
/** More node flags for the server, space-separated (e.g. `--perf-basic-prof` to read JIT frames in `perf`). */
const NODE_FLAGS_ENVIRONMENT = 'KIUNGA_BENCH_NODE_FLAGS';

export interface KiungaServer {
  readonly pid: number;
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  readonly secret: string;
  readonly codes: string[];
  stop(): Promise<void>;
}

interface DemoTenant {
  readonly nas: ReadonlyArray<{ readonly id: string; readonly ip: string; readonly secret: string }>;
  readonly plans: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly vouchers: ReadonlyArray<{
    readonly code: string;
    readonly planId: string;
    readonly deviceLimit: number;
  }>;
}

interface Ports {
  readonly httpPort: number;
  readonly authPort: number;
  readonly acctPort: number;
}

/** Seeds the demo with `vouchers` extra vouchers; returns the NAS secret for 127.0.0.1 and those codes. */
export async function seedDemo(
  dataDirectory: string,
  vouchers: number,
  environment: Record<string, string> = {},
): Promise<{ secret: string; codes: string[] }> {
  const args = [...NODE_FLAGS, CLI_ENTRY, 'demo', '--seed-only', '--json'];
  args.push('--data-dir', dataDirectory, '--vouchers', String(vouchers));
  const { stdout } = await execFileAsync(process.execPath, args, {
    cwd: REPOSITORY_ROOT,
    env: serverEnvironment(environment),
    timeout: SEED_TIMEOUT_MS,
    maxBuffer: SEED_OUTPUT_BYTES_MAX,
  });
  const tenant = (JSON.parse(stdout) as { tenants: DemoTenant[] }).tenants[0];
  const nas = tenant?.nas.find((item) => item.ip === HOST);
  const plan = tenant?.plans.find((item) => item.name === BENCH_VOUCHER_PLAN_NAME);
  if (tenant === undefined || nas === undefined || plan === undefined) {
    throw new Error(`demo seed has no NAS at ${HOST} or no '${BENCH_VOUCHER_PLAN_NAME}' plan`);
  }
  // The extra vouchers come last; the demo's own ones before them may be used up or single-device.
  const codes = tenant.vouchers
    .filter((voucher) => voucher.planId === plan.id && voucher.deviceLimit === 2)
    .slice(-vouchers)
    .map((voucher) => voucher.code);
  if (codes.length < vouchers) throw new Error(`demo seed made ${codes.length} of ${vouchers} vouchers`);
  return { secret: nas.secret, codes };
}

/** The parent's environment without Kiunga settings that would point the server elsewhere. */
function serverEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, KIUNGA_LOG_LEVEL: 'warn', ...extra };
  delete environment.KIUNGA_DATA_DIR;
  delete environment.KIUNGA_MASTER_KEY;
  delete environment.NODE_OPTIONS;
  return environment;
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen({ host: HOST, port: 0 }, done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the kernel');
  return address.port;
}

/** Two distinct UDP ports on `host`, free right now; the server binds them moments later. */
export async function freeUdpPorts(host: string): Promise<[number, number]> {
  const sockets = [createSocket('udp4'), createSocket('udp4')];
  for (const socket of sockets) {
    await new Promise<void>((done) => socket.bind({ address: host, port: 0 }, done));
  }
  const ports = sockets.map((socket) => socket.address().port);
  for (const socket of sockets) await new Promise<void>((done) => socket.close(() => done()));
  return [ports[0]!, ports[1]!];
}

function isFromSource(): boolean {
  return process.env.KIUNGA_RUN_FROM_SOURCE === '1';
}

/** `./kiunga build`: builds dist/ when missing or stale, as `./kiunga start` does before it runs. */
async function ensureBuild(): Promise<void> {
  if (isFromSource()) return;
  await execFileAsync(join(REPOSITORY_ROOT, 'kiunga'), ['build'], {
    cwd: REPOSITORY_ROOT,
    env: serverEnvironment(),
    timeout: BUILD_TIMEOUT_MS,
  });
}

/** Node's arguments up to the server's own: the bundle (resolved, as ./kiunga does) or the TypeScript. */
function nodeArguments(): string[] {
  const args: string[] = isFromSource()
    ? [...NODE_FLAGS, CLI_ENTRY]
    : [...BUNDLE_NODE_FLAGS, realpathSync(join(REPOSITORY_ROOT, BUNDLE_ENTRY))];
  const extra = process.env[NODE_FLAGS_ENVIRONMENT]?.trim();
  if (extra) args.unshift(...extra.split(/\s+/));
  if (process.env[PROFILE_ENVIRONMENT_FLAG] === '1') {
    const directory = process.env.KIUNGA_BENCH_PROFILE_DIR ?? PROFILE_DIRECTORY_DEFAULT;
    mkdirSync(directory, { recursive: true });
    args.unshift('--cpu-prof', '--cpu-prof-dir', directory);
  }
  return args;
}

/** How a node runs: `kiunga start --role`, its RADIUS address, and more KIUNGA_* variables. */
export interface KiungaNodeOptions {
  readonly role?: 'all' | 'aaa' | 'api';
  /** The RADIUS listeners' loopback address (127.0.0.1 unless given). */
  readonly radiusHost?: string;
  readonly environment?: Record<string, string>;
}

function spawnServer(dataDirectory: string, ports: Ports, node: KiungaNodeOptions): ChildProcess {
  const args = [...nodeArguments(), 'start', '--data-dir', dataDirectory];
  if (node.role !== undefined) args.push('--role', node.role);
  // node itself, not ./kiunga or pnpm, so the pid is the process doing the RADIUS work.
  return spawn(process.execPath, args, {
    cwd: REPOSITORY_ROOT,
    env: serverEnvironment({
      ...node.environment,
      KIUNGA_HTTP_HOST: HOST,
      KIUNGA_HTTP_PORT: String(ports.httpPort),
      KIUNGA_RADIUS_HOST: node.radiusHost ?? HOST,
      KIUNGA_RADIUS_AUTH_PORT: String(ports.authPort),
      KIUNGA_RADIUS_ACCT_PORT: String(ports.acctPort),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, milliseconds));
}

export async function isHealthy(httpPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${HOST}:${httpPort}/healthz`);
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false; // Not listening yet.
  }
}

/** Polls GET /healthz until it answers 200; fails if the child exits or the startup timeout passes. */
async function waitForHealthy(child: ChildProcess, httpPort: number, logs: { text: string }): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`kiunga exited (${child.exitCode ?? child.signalCode}) while starting:\n${logs.text}`);
    }
    if (await isHealthy(httpPort)) return;
    await sleep(HEALTH_POLL_INTERVAL_MS);
  }
  throw new Error(`kiunga was not healthy within ${STARTUP_TIMEOUT_MS} ms:\n${logs.text}`);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** One running `kiunga start` process (its pid does the RADIUS work). */
export interface KiungaNode {
  readonly pid: number;
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  stop(): Promise<void>;
}

/** Starts `kiunga start` on a seeded data directory, on free loopback ports, and waits until healthy. */
export async function startKiungaNode(
  dataDirectory: string,
  node: KiungaNodeOptions = {},
): Promise<KiungaNode> {
  await ensureBuild();
  const host = node.radiusHost ?? HOST;
  const [authPort, acctPort] = await freeUdpPorts(host);
  const ports: Ports = { httpPort: await freeTcpPort(), authPort, acctPort };
  const server = spawnServer(dataDirectory, ports, node);
  const logs = { text: '' };
  const onOutput = (chunk: Buffer): void => {
    logs.text = (logs.text + chunk.toString('utf8')).slice(-LOG_CHARACTERS_MAX);
  };
  // Keep draining output (and the last of it, for errors) so a full pipe never blocks the server.
  server.stdout?.on('data', onOutput);
  server.stderr?.on('data', onOutput);
  try {
    await waitForHealthy(server, ports.httpPort, logs);
    if (server.pid === undefined) throw new Error('kiunga started without a pid');
  } catch (error) {
    await stopChild(server);
    throw error;
  }
  return { pid: server.pid, host, authPort, acctPort, stop: () => stopChild(server) };
}

/** Seeds a scratch data directory, starts `kiunga start` on free loopback ports and waits until healthy. */
export async function startKiunga(options: { vouchers: number }): Promise<KiungaServer> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'kiunga-bench-data-'));
  try {
    const { secret, codes } = await seedDemo(dataDirectory, options.vouchers);
    const node = await startKiungaNode(dataDirectory);
    return {
      ...node,
      secret,
      codes,
      stop: async () => {
        await node.stop();
        rmSync(dataDirectory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  }
}
