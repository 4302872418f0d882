// Starts the benchmark's floor target (node-floor-server.ts) as its own process, as Kiunga runs.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { stopChild } from './kiunga';

const SERVER_ENTRY = resolve(import.meta.dirname, 'node-floor-server.ts');
/** The same node flags as Kiunga's server from source (ops/bench/radius/kiunga.ts), so the floor is Kiunga's. */
const NODE_FLAGS = ['--openssl-legacy-provider', '--import', 'tsx'] as const;
/** tsx compiles two small files: seconds at most. */
const STARTUP_TIMEOUT_MS = 30_000;
const HOST = '127.0.0.1';

export interface NodeFloorServer {
  readonly pid: number;
  readonly host: string;
  readonly authPort: number;
  readonly acctPort: number;
  stop(): Promise<void>;
}

/** Starts the floor on the given loopback ports with the given secret; resolves once it listens. */
export async function startNodeFloor(options: {
  authPort: number;
  acctPort: number;
  secret: string;
}): Promise<NodeFloorServer> {
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, SERVER_ENTRY, String(options.authPort), String(options.acctPort), options.secret],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error('node floor did not start')), STARTUP_TIMEOUT_MS);
    child.stdout?.once('data', () => {
      clearTimeout(timer);
      ready();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`node floor exited (${code}) while starting`));
    });
  });
  child.stdout?.resume();
  if (child.pid === undefined) throw new Error('node floor started without a pid');
  return { pid: child.pid, host: HOST, ...options, stop: () => stopChild(child) };
}
