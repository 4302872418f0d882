// A demo of its own for the screenshots: seeded in a scratch data dir and started with ./kiunga on free
// loopback ports, as the end-to-end tests start it (tests/support/kiunga-process.ts), then stopped.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DemoJson } from '@kiunga/ops';

const REPOSITORY_ROOT = resolve(import.meta.dirname, '..', '..');
const KIUNGA_SCRIPT = join(REPOSITORY_ROOT, 'kiunga');
/** The first start may build dist/ and migrate every shard; a loaded 2-core machine takes seconds. */
const STARTUP_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 200;
/** Vouchers seeded beyond the demo's own, so the vouchers and dashboard counts are not bare. */
const EXTRA_VOUCHERS = 12;
/** The seed prints its JSON on stdout; a generous ceiling for it and the build's messages. */
const OUTPUT_BUFFER_BYTES = 16 * 1024 * 1024;

export interface ScratchDemo {
  readonly demo: DemoJson;
  readonly baseUrl: string;
  readonly authPort: number;
  readonly acctPort: number;
  /** SIGTERM, wait for the exit, remove the data dir. */
  stop(): Promise<void>;
}

/** A free TCP or UDP port on loopback (bound to 0, read, released). */
async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    const { port } = socket.address();
    await new Promise<void>((done) => socket.close(() => done()));
    return port;
  }
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * The environment without a PostgreSQL or Redis URL: the scratch demo is the embedded (SQLite)
 * installation. It runs from the TypeScript sources (KIUNGA_RUN_FROM_SOURCE): the pictures are of this
 * checkout as it is, and no dist/ build is needed.
 */
function embeddedEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, KIUNGA_RUN_FROM_SOURCE: '1', ...extra };
  delete environment.KIUNGA_DATABASE_URL;
  delete environment.KIUNGA_REDIS_URL;
  return environment;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kiunga exited early (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, HEALTH_POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`kiunga did not become healthy within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`);
}

export async function startScratchDemo(): Promise<ScratchDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-screenshots-'));
  try {
    const { stdout } = await promisify(execFile)(
      KIUNGA_SCRIPT,
      ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', String(EXTRA_VOUCHERS)],
      { cwd: REPOSITORY_ROOT, env: embeddedEnvironment({}), maxBuffer: OUTPUT_BUFFER_BYTES },
    );
    const demo = JSON.parse(stdout) as DemoJson;
    const [httpPort, authPort, acctPort] = [
      await freePort('tcp'),
      await freePort('udp'),
      await freePort('udp'),
    ];
    const child = spawn(KIUNGA_SCRIPT, ['start', '--data-dir', dataDir], {
      cwd: REPOSITORY_ROOT,
      env: embeddedEnvironment({
        KIUNGA_HTTP_HOST: '127.0.0.1',
        KIUNGA_HTTP_PORT: String(httpPort),
        KIUNGA_RADIUS_HOST: '127.0.0.1',
        KIUNGA_RADIUS_AUTH_PORT: String(authPort),
        KIUNGA_RADIUS_ACCT_PORT: String(acctPort),
        KIUNGA_LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHealth(baseUrl, child, () => output);
    return {
      demo,
      baseUrl,
      authPort,
      acctPort,
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
