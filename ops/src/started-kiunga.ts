// For tools and tests that start ./kiunga themselves (tests/support/kiunga-process.ts, ops/screenshots):
// `kiunga start` on free loopback ports, waited for until its /healthz answers.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** How often /healthz is asked while ./kiunga starts. */
const HEALTH_POLL_MS = 100;

/** A free TCP or UDP port on loopback (bound to 0, read, released). */
export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
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
 * Waits until `baseUrl`/healthz answers 200; throws with the process's output when it exits first or
 * stays unhealthy for `timeoutMs` (then it is killed).
 */
async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
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
  throw new Error(`kiunga did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

export interface RunningKiunga {
  dataDir: string;
  httpPort: number;
  authPort: number;
  acctPort: number;
  baseUrl: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface KiungaStart {
  /** The ./kiunga to run (another checkout's, for the build tests). */
  readonly script: string;
  readonly cwd: string;
  readonly dataDir: string;
  /** The environment before the ports (default: this process's). */
  readonly baseEnvironment?: NodeJS.ProcessEnv;
  /** Variables over the ports and the quiet log level. */
  readonly environment?: NodeJS.ProcessEnv;
  /** More options for `start` (e.g. --role api). */
  readonly startOptions?: readonly string[];
  readonly startupTimeoutMs: number;
}

/** `./kiunga start` on free loopback ports (HTTP, RADIUS auth and accounting), once /healthz answers. */
export async function startKiungaOnFreePorts(start: KiungaStart): Promise<RunningKiunga> {
  const [httpPort, authPort, acctPort] = [
    await freePort('tcp'),
    await freePort('udp'),
    await freePort('udp'),
  ];
  const child = spawn(start.script, ['start', '--data-dir', start.dataDir, ...(start.startOptions ?? [])], {
    cwd: start.cwd,
    env: {
      ...(start.baseEnvironment ?? process.env),
      KIUNGA_HTTP_HOST: '127.0.0.1',
      KIUNGA_HTTP_PORT: String(httpPort),
      KIUNGA_RADIUS_HOST: '127.0.0.1',
      KIUNGA_RADIUS_AUTH_PORT: String(authPort),
      KIUNGA_RADIUS_ACCT_PORT: String(acctPort),
      KIUNGA_LOG_LEVEL: 'warn',
      ...start.environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await waitForHealth(baseUrl, child, () => output, start.startupTimeoutMs);
  return {
    dataDir: start.dataDir,
    httpPort,
    authPort,
    acctPort,
    baseUrl,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
