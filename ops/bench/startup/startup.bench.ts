// Startup time (spawn of ./kiunga start → first GET /healthz 200) and idle CPU, from source and compiled.
//
//   node --import tsx ops/bench/startup/startup.bench.ts [--runs 5] [--idle-seconds 60] [--idle-windows 3]
//     [--modes source,dist]
//
// `source` runs ./kiunga with KIUNGA_RUN_FROM_SOURCE=1 (tsx compiles the TypeScript at start), `dist` runs
// the compiled build (what `./kiunga start` runs by default). Each mode gets one uncounted warm-up start
// (tsx fills its transform cache, ./kiunga builds dist/ if stale), then `runs` timed starts per mode in
// turns; then one server per mode stays idle for `idle-windows` windows of `idle-seconds` each while its
// CPU time is read from /proc/<pid>/stat (user + system, all threads).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { readProcessCpuMicroseconds } from '../radius/cpu';
import { freeTcpPort, isHealthy, sleep, stopChild } from '../radius/kiunga';

const execFileAsync = promisify(execFile);
const REPOSITORY_ROOT = resolve(import.meta.dirname, '../../..');
const KIUNGA_SCRIPT = join(REPOSITORY_ROOT, 'kiunga');
const HOST = '127.0.0.1';
/** Polled often so the figure is the server's startup, not the poll interval (10 ms ≪ a start). */
const HEALTH_POLL_INTERVAL_MS = 10;
/** A cold build plus a tsx start on a loaded 2-core machine stays well under this. */
const STARTUP_TIMEOUT_MS = 120_000;
/** After /healthz answers, the jobs' first runs settle before the idle window opens. */
const IDLE_SETTLE_MS = 5_000;
const MICROSECONDS_PER_SECOND = 1_000_000;
/** The tail of the server's stderr kept to explain a failed start. */
const ERROR_TAIL_CHARACTERS_MAX = 10_000;
const MODES = { source: { KIUNGA_RUN_FROM_SOURCE: '1' }, dist: { KIUNGA_RUN_FROM_SOURCE: '' } } as const;
type Mode = keyof typeof MODES;

interface Started {
  child: ChildProcess;
  startupMs: number;
}

/** Spawns ./kiunga start and resolves once /healthz answers 200, with the time that took. */
async function startKiunga(dataDirectory: string, mode: Mode): Promise<Started> {
  const httpPort = await freeTcpPort();
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    ...MODES[mode],
    KIUNGA_HTTP_HOST: HOST,
    KIUNGA_HTTP_PORT: String(httpPort),
    KIUNGA_RADIUS_HOST: HOST,
    // Port 0: the kernel picks free UDP ports, so runs never collide.
    KIUNGA_RADIUS_AUTH_PORT: '0',
    KIUNGA_RADIUS_ACCT_PORT: '0',
    KIUNGA_LOG_LEVEL: 'warn',
  };
  delete environment.NODE_OPTIONS;
  const startedAt = performance.now();
  const child = spawn(KIUNGA_SCRIPT, ['start', '--data-dir', dataDirectory], {
    cwd: REPOSITORY_ROOT,
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-ERROR_TAIL_CHARACTERS_MAX);
  });
  const deadline = startedAt + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`kiunga exited (${child.exitCode}) while starting:\n${errors}`);
    if (await isHealthy(httpPort)) return { child, startupMs: performance.now() - startedAt };
    await sleep(HEALTH_POLL_INTERVAL_MS);
  }
  await stopChild(child);
  throw new Error(`kiunga was not healthy within ${STARTUP_TIMEOUT_MS} ms:\n${errors}`);
}

function residentMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((left, right) => left - right);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const format = (value: number | undefined) => (value ?? Number.NaN).toFixed(0);
  return `min ${format(sorted[0])}  median ${format(median)}  max ${format(sorted.at(-1))}`;
}

/** Timed starts, the modes taking turns (A B A B …) so that a machine slowing down hurts both alike. */
async function measureStartups(dataDirectory: string, modes: Mode[], runs: number): Promise<void> {
  const startups = new Map<Mode, number[]>(modes.map((mode) => [mode, []]));
  for (const mode of modes) await stopChild((await startKiunga(dataDirectory, mode)).child); // warm-up
  for (let run = 0; run < runs; run += 1) {
    for (const mode of modes) {
      const started = await startKiunga(dataDirectory, mode);
      startups.get(mode)?.push(started.startupMs);
      await stopChild(started.child);
    }
  }
  for (const [mode, values] of startups) {
    const each = values.map((value) => value.toFixed(0)).join(', ');
    process.stdout.write(`${mode}: startup to /healthz 200 (ms): ${summary(values)}  [${each}]\n`);
  }
}

/**
 * One server per mode, side by side, left idle for `windows` consecutive windows; CPU time is what each
 * used in each window. Side by side, both see the same minute boundaries, where the jobs run.
 */
async function measureIdle(
  dataDirectory: string,
  modes: Mode[],
  idleSeconds: number,
  windows: number,
): Promise<void> {
  const servers: Array<{ mode: Mode; child: ChildProcess; pid: number; cpuSeconds: number[] }> = [];
  try {
    for (const mode of modes) {
      const { child } = await startKiunga(dataDirectory, mode);
      if (child.pid === undefined) throw new Error('kiunga started without a pid');
      servers.push({ mode, child, pid: child.pid, cpuSeconds: [] });
    }
    await sleep(IDLE_SETTLE_MS);
    for (let window = 0; window < windows; window += 1) {
      const before = servers.map((server) => readProcessCpuMicroseconds(server.pid));
      await sleep(idleSeconds * 1000);
      servers.forEach((server, index) => {
        const used = readProcessCpuMicroseconds(server.pid) - (before[index] ?? 0);
        server.cpuSeconds.push(used / MICROSECONDS_PER_SECOND);
      });
    }
    for (const server of servers) {
      const each = server.cpuSeconds.map((value) => value.toFixed(2)).join(', ');
      const resident = residentMegabytes(server.pid).toFixed(0);
      process.stdout.write(
        `${server.mode}: idle CPU per ${idleSeconds} s window (s): [${each}]; resident memory ${resident} MB\n`,
      );
    }
  } finally {
    for (const server of servers) await stopChild(server.child);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'idle-seconds': { type: 'string', default: '60' },
      'idle-windows': { type: 'string', default: '3' },
      modes: { type: 'string', default: 'source,dist' },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  const idleSeconds = Number(values['idle-seconds']);
  const idleWindows = Number(values['idle-windows']);
  const modes = values.modes.split(',') as Mode[];
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  if (!(idleSeconds >= 0)) throw new Error('--idle-seconds must be ≥ 0');
  if (!Number.isInteger(idleWindows) || idleWindows < 1)
    throw new Error('--idle-windows must be a whole number ≥ 1');
  for (const mode of modes) if (!(mode in MODES)) throw new Error(`unknown mode '${mode}' (source, dist)`);
  const dataDirectory = mkdtempSync(join(tmpdir(), 'kiunga-bench-startup-'));
  try {
    await execFileAsync(KIUNGA_SCRIPT, ['demo', '--seed-only', '--data-dir', dataDirectory], {
      cwd: REPOSITORY_ROOT,
    });
    await measureStartups(dataDirectory, modes, runs);
    if (idleSeconds > 0) await measureIdle(dataDirectory, modes, idleSeconds, idleWindows);
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

await main();
