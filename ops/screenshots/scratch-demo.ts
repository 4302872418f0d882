// A demo of its own for the screenshots: seeded in a scratch data dir and started with ./kiunga on free
// loopback ports, as the end-to-end tests start it (tests/support/kiunga-process.ts), then stopped.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type DemoJson, startKiungaOnFreePorts } from '@kiunga/ops';

const REPOSITORY_ROOT = resolve(import.meta.dirname, '..', '..');
const KIUNGA_SCRIPT = join(REPOSITORY_ROOT, 'kiunga');
/** tsx compiles the sources on the first start and every shard is migrated: seconds on a loaded machine. */
const STARTUP_TIMEOUT_MS = 60_000;
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

/**
 * The environment without a PostgreSQL or Redis URL: the scratch demo is the embedded (SQLite)
 * installation. It runs from the TypeScript sources (KIUNGA_RUN_FROM_SOURCE): the pictures are of this
 * checkout as it is, and no dist/ build is needed.
 */
function embeddedEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, KIUNGA_RUN_FROM_SOURCE: '1' };
  delete environment.KIUNGA_DATABASE_URL;
  delete environment.KIUNGA_REDIS_URL;
  return environment;
}

export async function startScratchDemo(): Promise<ScratchDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-screenshots-'));
  try {
    const { stdout } = await promisify(execFile)(
      KIUNGA_SCRIPT,
      ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', String(EXTRA_VOUCHERS)],
      { cwd: REPOSITORY_ROOT, env: embeddedEnvironment(), maxBuffer: OUTPUT_BUFFER_BYTES },
    );
    const demo = JSON.parse(stdout) as DemoJson;
    const kiunga = await startKiungaOnFreePorts({
      script: KIUNGA_SCRIPT,
      cwd: REPOSITORY_ROOT,
      dataDir,
      baseEnvironment: embeddedEnvironment(),
      startupTimeoutMs: STARTUP_TIMEOUT_MS,
    });
    return {
      demo,
      baseUrl: kiunga.baseUrl,
      authPort: kiunga.authPort,
      acctPort: kiunga.acctPort,
      async stop() {
        await kiunga.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
