// The compiled production build: ./kiunga builds dist/ when missing or stale, once under concurrent
// starts, never leaves a half or broken build current, and runs the compiled bundle. Each test drives
// the real ./kiunga in a scratch copy of the checkout, so touching its sources disturbs no other test.
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoJson,
  makeDataDir,
  removeDataDir,
  repositoryRoot,
  startKiunga,
} from './support/kiunga-process';

const SOURCE_DIRECTORIES = ['schemas', 'dictionaries', 'aaa-server', 'control-api', 'ops'];
const ROOT_FILES = ['kiunga', 'package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', 'tsconfig.json'];
/** Fixed file times, so the test never depends on the wall clock: sources are older than every stamp. */
const SOURCES_TIME = new Date('2020-01-01T00:00:00Z');
/** The scratch copy's install stamp: newer than any lockfile time below, so ./kiunga never reinstalls. */
const INSTALL_STAMP_TIME = new Date('2030-01-01T00:00:00Z');
const BUILDING_MESSAGE = 'building dist/';
/**
 * A test here makes up to three cold builds and may start a server; on a 2-core machine shared with
 * other test runs that has taken over a minute. A test left running past its timeout would go on
 * building in the shared scratch copy under the next one, so it gets the time it needs.
 */
const SCRATCH_TEST_TIMEOUT_MS = 300_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let scratch: string;

/** Sets the times of every file and folder under `path` (not following node_modules links). */
function setTimesUnder(path: string, time: Date): void {
  utimesSync(path, time, time);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules') setTimesUnder(join(path, entry), time);
  }
}

/**
 * A checkout of its own: copies of the sources (with pnpm's relative per-package links, so workspace
 * imports resolve to the copy) and a node_modules whose entries link to the installed packages.
 */
function makeScratchCheckout(): string {
  const root = realpathSync(makeDataDir());
  for (const file of ROOT_FILES)
    cpSync(join(repositoryRoot, file), join(root, file), { preserveTimestamps: true });
  for (const directory of SOURCE_DIRECTORIES) {
    cpSync(join(repositoryRoot, directory), join(root, directory), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  mkdirSync(join(root, 'node_modules'));
  const installed = join(repositoryRoot, 'node_modules');
  for (const entry of readdirSync(installed)) {
    if (entry !== '.kiunga-install-stamp')
      symlinkSync(join(installed, entry), join(root, 'node_modules', entry));
  }
  const installStamp = join(root, 'node_modules', '.kiunga-install-stamp');
  writeFileSync(installStamp, '');
  utimesSync(installStamp, INSTALL_STAMP_TIME, INSTALL_STAMP_TIME);
  for (const path of [...ROOT_FILES, ...SOURCE_DIRECTORIES]) setTimesUnder(join(root, path), SOURCES_TIME);
  return root;
}

function runScratch(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      join(scratch, 'kiunga'),
      args,
      { cwd: scratch, env: { ...process.env, KIUNGA_RUN_FROM_SOURCE: '', ...environment } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function currentBuild(): string {
  return readlinkSync(join(scratch, 'dist', 'current'));
}

function builds(): string[] {
  return readdirSync(join(scratch, 'dist', 'builds')).sort();
}

/** Ages the current build: its stamp says it began at `time`. */
function setBuildTime(time: string): void {
  const stamp = join(scratch, 'dist', 'current', 'build-stamp');
  utimesSync(stamp, new Date(time), new Date(time));
}

function touch(relativePath: string, time: string): void {
  utimesSync(join(scratch, relativePath), new Date(time), new Date(time));
}

beforeAll(() => {
  scratch = makeScratchCheckout();
});

afterAll(() => {
  removeDataDir(scratch);
});

describe('./kiunga runs a compiled build', { timeout: SCRATCH_TEST_TIMEOUT_MS }, () => {
  it('builds dist/ on first use and runs the bundle, third-party packages left installed', async () => {
    const run = await runScratch(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: ./kiunga <command>');
    expect(run.stderr).toContain(BUILDING_MESSAGE);
    const build = join(scratch, 'dist', currentBuild());
    const bundle = readFileSync(join(build, 'bin', 'kiunga.mjs'), 'utf8');
    // Native modules are imported from their installed package, not inlined.
    expect(bundle).toMatch(/from "better-sqlite3"/);
    expect(bundle).toMatch(/from "argon2"/);
    expect(bundle).not.toContain('node_modules/');
    for (const name of ['better-sqlite3', 'argon2']) {
      expect(lstatSync(join(build, 'node_modules', name)).isSymbolicLink()).toBe(true);
      expect(realpathSync(join(build, 'node_modules', name))).toContain(`node_modules/.pnpm/${name}@`);
    }
  });

  it('reuses a fresh build without building again', async () => {
    setBuildTime('2021-01-01T00:00:00Z');
    const before = currentBuild();
    const run = await runScratch(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain(BUILDING_MESSAGE);
    expect(currentBuild()).toBe(before);
  });

  it('rebuilds when a source file or the lockfile is newer than the build', async () => {
    const first = currentBuild();
    touch('control-api/src/app.ts', '2022-01-01T00:00:00Z');
    const afterSource = await runScratch(['--help']);
    expect(afterSource.stderr).toContain(BUILDING_MESSAGE);
    const second = currentBuild();
    expect(second).not.toBe(first);

    setBuildTime('2023-01-01T00:00:00Z');
    touch('pnpm-lock.yaml', '2024-01-01T00:00:00Z');
    const afterLockfile = await runScratch(['--help']);
    expect(afterLockfile.code).toBe(0);
    expect(afterLockfile.stderr).toContain(BUILDING_MESSAGE);
    expect(currentBuild()).not.toBe(second);
  });

  it('does not build for a test file, and KIUNGA_RUN_FROM_SOURCE=1 runs the TypeScript without a build', async () => {
    setBuildTime('2025-01-01T00:00:00Z');
    touch('control-api/src/identity/permissions.test.ts', '2025-06-01T00:00:00Z');
    const afterTest = await runScratch(['--help']);
    expect(afterTest.stderr).not.toContain(BUILDING_MESSAGE);

    const before = currentBuild();
    touch('schemas/src/money.ts', '2025-07-01T00:00:00Z');
    const fromSource = await runScratch(['--help'], { KIUNGA_RUN_FROM_SOURCE: '1' });
    expect(fromSource.code).toBe(0);
    expect(fromSource.stdout).toContain('Usage: ./kiunga <command>');
    expect(fromSource.stderr).not.toContain(BUILDING_MESSAGE);
    expect(currentBuild()).toBe(before);
  });

  it('builds once when two commands start together on a stale build', async () => {
    setBuildTime('2026-01-01T00:00:00Z');
    touch('aaa-server/src/index.ts', '2026-06-01T00:00:00Z');
    const runs = await Promise.all([runScratch(['--help']), runScratch(['--help'])]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: ./kiunga <command>');
    }
    const buildsMade = runs.filter((run) => run.stderr.includes(BUILDING_MESSAGE));
    expect(buildsMade).toHaveLength(1);
  });

  it('migrates and seeds with the compiled command (migrations ship inside the build)', async () => {
    const dataDir = makeDataDir();
    try {
      const run = await runScratch(['demo', '--seed-only', '--json', '--data-dir', dataDir]);
      expect(run.code).toBe(0);
      const demo = JSON.parse(run.stdout) as DemoJson;
      expect(demo.tenants).toHaveLength(2);
    } finally {
      removeDataDir(dataDir);
    }
  });

  it('keeps the build a running server was started from, and removes unused old builds', async () => {
    const dataDir = makeDataDir();
    try {
      setBuildTime('2026-12-01T00:00:00Z'); // after every source time set so far: fresh
      await runScratch(['demo', '--seed-only', '--data-dir', dataDir]);
      const serverBuild = currentBuild();
      const server = await startKiunga(dataDir, { KIUNGA_RUN_FROM_SOURCE: '' }, join(scratch, 'kiunga'));
      try {
        for (const time of ['2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z']) {
          setBuildTime(time);
          touch('ops/src/config.ts', time.replace('-01T', '-15T'));
          expect((await runScratch(['--help'])).stderr).toContain(BUILDING_MESSAGE);
        }
        // Two builds later, the server's build is neither current nor previous, yet it stays.
        expect(builds()).toContain(serverBuild.split('/').at(-1));
        expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      } finally {
        expect(await server.stop()).toBe(0);
      }
      setBuildTime('2028-01-01T00:00:00Z');
      touch('ops/src/config.ts', '2028-06-01T00:00:00Z');
      await runScratch(['--help']);
      // Only the current build and the one it replaced are left.
      expect(builds()).toHaveLength(2);
      expect(builds()).not.toContain(serverBuild.split('/').at(-1));
    } finally {
      removeDataDir(dataDir);
    }
  });

  it('reports a failed build and keeps the previous build current', async () => {
    const before = currentBuild();
    const buildsBefore = builds();
    appendFileSync(join(scratch, 'ops/src/logger.ts'), '\nexport const = ;\n');
    touch('ops/src/logger.ts', '2029-01-01T00:00:00Z');
    const run = await runScratch(['--help']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ops/src/logger.ts');
    expect(run.stdout).not.toContain('Usage:');
    expect(currentBuild()).toBe(before);
    expect(builds()).toEqual(buildsBefore);
  });
});
