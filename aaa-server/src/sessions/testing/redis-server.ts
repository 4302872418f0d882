// A throwaway redis-server for tests and benchmarks: loopback only, a free port, no persistence, a temp dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Redis from 'ioredis';

const LOOPBACK_HOST = '127.0.0.1';
/** redis-server answers PING within a few milliseconds of starting; 10 s covers a loaded machine. */
const READY_POLLS_MAX = 200;
const READY_POLL_INTERVAL_MS = 50;
/** Another process may take the port we found between our look and redis-server's bind: try a few. */
const START_ATTEMPTS_MAX = 5;
const STOP_WAIT_MS = 5_000;

export interface RedisServerOptions {
  /** `noeviction` (what the session table requires) unless a test wants to see another refused. */
  readonly maxmemoryPolicy?: string;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server; its data is gone with it (nothing is persisted). */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port, empty. */
  start(): Promise<void>;
  /** Stops and starts it again: what clients see when Redis restarts and loses its data. */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that accepts connections but answers nothing, until resumed. */
  freeze(): void;
  thaw(): void;
  /** One numeric field of INFO (`used_memory`, `used_cpu_user`, …), for benchmarks. */
  infoNumber(section: string, field: string): Promise<number>;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const directory = await mkdtemp(join(tmpdir(), 'kiunga-redis-'));
  const policy = options.maxmemoryPolicy ?? 'noeviction';
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await findFreePort();
    child = await spawnOnPort(port, directory, policy).catch((error: unknown) => {
      if (attempt >= START_ATTEMPTS_MAX) throw error;
      return undefined;
    });
  }
  let running: ChildProcess = child;
  return {
    url: `redis://${LOOPBACK_HOST}:${port}`,
    port,
    async stop() {
      await stopProcess(running);
    },
    async start() {
      running = await spawnOnPort(port, directory, policy);
    },
    async restart() {
      await stopProcess(running);
      running = await spawnOnPort(port, directory, policy);
    },
    async dispose() {
      await stopProcess(running);
      await rm(directory, { recursive: true, force: true });
    },
    freeze() {
      running.kill('SIGSTOP');
    },
    thaw() {
      running.kill('SIGCONT');
    },
    async infoNumber(section, field) {
      const client = new Redis(port, LOOPBACK_HOST);
      try {
        const info = await client.info(section);
        const line = info.split('\r\n').find((candidate) => candidate.startsWith(`${field}:`));
        if (line === undefined) throw new Error(`INFO ${section} has no ${field}`);
        return Number(line.slice(field.length + 1));
      } finally {
        client.disconnect();
      }
    },
  };
}

async function spawnOnPort(port: number, directory: string, policy: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      LOOPBACK_HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      directory,
      '--maxmemory-policy',
      policy,
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore' },
  );
  let exitReason: string | undefined;
  child.once('error', (error) => {
    exitReason = `${error.message} (install it: apt-get install redis-server)`;
  });
  child.once('exit', (code, signal) => {
    exitReason ??= `exited with ${code ?? signal}`;
  });
  for (let poll = 0; poll < READY_POLLS_MAX; poll++) {
    if (exitReason !== undefined) throw new Error(`redis-server on port ${port}: ${exitReason}`);
    if (await answersPing(port)) return child;
    await delay(READY_POLL_INTERVAL_MS);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK_HOST, port });
    let reply = '';
    socket.setTimeout(READY_POLL_INTERVAL_MS * 4, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(reply.startsWith('+PONG')));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const outcome = await Promise.race([exited.then(() => 'exited'), delay(STOP_WAIT_MS, 'timeout')]);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
