// Starts the real ./kiunga on scratch ports and a scratch data dir, as an operator would.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  type DemoJson,
  type DemoTenantJson,
  freePort,
  type RunningKiunga,
  startKiungaOnFreePorts,
} from '@kiunga/ops';
import { afterAll, beforeAll, expect } from 'vitest';
import { databaseEnvironmentFor } from './test-database';

/** Tests that start simulators on loopback import it from here, beside startKiunga. */
export { freePort };

export const repositoryRoot = resolve(import.meta.dirname, '..', '..');
const kiungaScript = join(repositoryRoot, 'kiunga');
const execFileAsync = promisify(execFile);

/** How long the server may take to answer /healthz after spawn (tsx compiles on first start). */
const STARTUP_TIMEOUT_MS = 30_000;
/** The KIUNGA_METRICS_TOKEN every started ./kiunga gets (unless a test overrides it); metricValue sends it. */
export const TEST_METRICS_TOKEN = 'kiunga-test-metrics-token-0123456789abcdef';

/** What `kiunga demo --seed-only --json` prints (the public contract), as the seed defines it. */
export type { DemoJson };

/** A demo tenant with the M-Pesa app the seed gives it, for tests that start the Daraja simulator. */
export type MpesaDemoTenant = DemoTenantJson & { mpesa: NonNullable<DemoTenantJson['mpesa']> };

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'kiunga-test-'));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

export async function runKiunga(args: string[], environment: NodeJS.ProcessEnv = {}) {
  return execFileAsync(kiungaScript, args, {
    cwd: repositoryRoot,
    env: { ...process.env, ...environment },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * For tests that depend on the date: ./kiunga's clock starts at `atMs` and runs at real speed
 * (KIUNGA_CLOCK_START, honoured on demo data dirs only), so the test passes on any day.
 */
export function clockStartEnvironment(atMs: number): NodeJS.ProcessEnv {
  return { KIUNGA_CLOCK_START: new Date(atMs).toISOString() };
}

/** Seeds the demo; `environment` may fix the seed's date with clockStartEnvironment. */
export async function seedDemo(
  dataDir: string,
  vouchers = 4,
  environment: NodeJS.ProcessEnv = {},
): Promise<DemoJson> {
  const { stdout } = await runKiunga(
    ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', String(vouchers)],
    { ...(await databaseEnvironmentFor(dataDir)), ...environment },
  );
  return JSON.parse(stdout) as DemoJson;
}

export type { RunningKiunga };

export async function startKiunga(
  dataDir: string,
  environment: NodeJS.ProcessEnv = {},
  /** Another checkout's ./kiunga (the build tests run a scratch copy). */
  script = kiungaScript,
  /** More options for `start` (e.g. --role api). */
  startOptions: readonly string[] = [],
): Promise<RunningKiunga> {
  return startKiungaOnFreePorts({
    script,
    cwd: repositoryRoot,
    dataDir,
    environment: {
      KIUNGA_METRICS_TOKEN: TEST_METRICS_TOKEN,
      ...(await databaseEnvironmentFor(dataDir)),
      ...environment,
    },
    startOptions,
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  });
}

/** A Prometheus sample's value, or 0 when the series is absent. */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
  });
  if (response.status !== 200)
    throw new Error(`GET /metrics answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) {
      total += Number(match[3]);
    }
  }
  return total;
}

export interface DemoKiunga {
  readonly dataDir: string;
  readonly demo: DemoJson;
  readonly kiunga: RunningKiunga;
  readonly baseUrl: string;
}

/**
 * The usual end-to-end setup of a test file: a seeded demo data dir and a running ./kiunga before
 * its tests, stopped after them (a clean exit asserted) and the data dir removed. A file's own
 * beforeAll runs after this one; its own afterAll before this one.
 */
/** `environment`: extra KIUNGA_* variables for ./kiunga start. */
export function useDemoKiunga(environment: NodeJS.ProcessEnv = {}): DemoKiunga {
  let running: { dataDir: string; demo: DemoJson; kiunga: RunningKiunga } | undefined;
  beforeAll(async () => {
    const dataDir = makeDataDir();
    const demo = await seedDemo(dataDir);
    running = { dataDir, demo, kiunga: await startKiunga(dataDir, environment) };
  });
  afterAll(async () => {
    if (!running) return;
    const exitCode = await running.kiunga.stop();
    if (process.env.KIUNGA_TEST_DEBUG) console.log(running.kiunga.output());
    removeDataDir(running.dataDir);
    expect(exitCode).toBe(0);
  });
  const current = () => {
    if (!running) throw new Error('useDemoKiunga: used before its beforeAll ran');
    return running;
  };
  return {
    get dataDir() {
      return current().dataDir;
    },
    get demo() {
      return current().demo;
    },
    get kiunga() {
      return current().kiunga;
    },
    get baseUrl() {
      return current().kiunga.baseUrl;
    },
  };
}
