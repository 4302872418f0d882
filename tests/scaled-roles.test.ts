// Scaled mode's control side, as an operator runs it: two `./kiunga start --role api` nodes on one
// PostgreSQL database run each job once per round (the other node skips it: its lease is held), and
// /healthz says which parts each node has; roles a deployment cannot run are refused with the reason.
import { createTestDatabaseUrl, stopTestDatabaseServer } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  runKiunga,
  startKiunga,
} from './support/kiunga-process';

/** The jobs every node runs once as it starts (jobs.ts), each under its lease. */
const STARTUP_JOBS = ['billing', 'c2b_registration', 'platform_billing'];

interface JobLine {
  job?: string;
  msg?: string;
}

/** The job log lines of one node's output (pino JSON lines on stdout). */
function jobLines(node: RunningKiunga): JobLine[] {
  return node
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"job"'))
    .map((line) => JSON.parse(line) as JobLine);
}

const STARTED = 'job started';
const FINISHED = 'job finished';
const SKIPPED = 'job skipped: its lease is held elsewhere';

/**
 * A node's first decision about a job, taken as it starts: it took the lease, or skipped. A cron tick
 * of the job soon after (a 5- or 10-minute boundary) only adds lines after it, so counting every line
 * would make the test depend on the wall clock.
 */
function startupDecision(node: RunningKiunga, job: string): string | undefined {
  return jobLines(node).find((line) => line.job === job && (line.msg === STARTED || line.msg === SKIPPED))
    ?.msg;
}

function hasFinished(node: RunningKiunga, job: string): boolean {
  return jobLines(node).some((line) => line.job === job && line.msg === FINISHED);
}

describe('two API nodes on one PostgreSQL database', () => {
  let dataDir: string;
  let databaseUrl: string;
  let nodes: RunningKiunga[] = [];
  let superAdmin: { email: string; password: string };

  beforeAll(async () => {
    dataDir = makeDataDir();
    databaseUrl = await createTestDatabaseUrl();
    const seeded = await runKiunga(
      ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', '0'],
      {
        KIUNGA_DATABASE_URL: databaseUrl,
      },
    );
    superAdmin = (JSON.parse(seeded.stdout) as { superAdmin: typeof superAdmin }).superAdmin;
    const environment = { KIUNGA_DATABASE_URL: databaseUrl, KIUNGA_LOG_LEVEL: 'debug' };
    nodes = await Promise.all([
      startKiunga(dataDir, environment, undefined, ['--role', 'api']),
      startKiunga(dataDir, environment, undefined, ['--role', 'api']),
    ]);
  });

  afterAll(async () => {
    for (const node of nodes) expect(await node.stop()).toBe(0);
    await stopTestDatabaseServer();
    removeDataDir(dataDir);
  });

  it('each start-up job runs on exactly one node; the other skips it', async () => {
    // Both nodes decide about each job within moments of starting; wait for both decisions and the run.
    const isSettled = (job: string) =>
      nodes.every((node) => startupDecision(node, job) !== undefined) &&
      nodes.some((node) => startupDecision(node, job) === STARTED && hasFinished(node, job));
    const deadline = Date.now() + 30_000;
    while (STARTUP_JOBS.some((job) => !isSettled(job)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    for (const job of STARTUP_JOBS) {
      const decisions = nodes.map((node) => startupDecision(node, job)).sort();
      expect({ job, decisions }).toEqual({ job, decisions: [STARTED, SKIPPED].sort() });
      const runner = nodes.find((node) => startupDecision(node, job) === STARTED);
      expect({ job, finished: runner !== undefined && hasFinished(runner, job) }).toEqual({
        job,
        finished: true,
      });
    }
  });

  it('/healthz on an API node: no AAA server here, the database up, no Redis configured', async () => {
    for (const node of nodes) {
      const response = await fetch(`${node.baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        api: 'up',
        aaa: 'absent',
        database: 'ok',
        redis: 'absent',
      });
    }
  });

  it('an API node serves the API (sign-in through either node)', async () => {
    for (const node of nodes) {
      const response = await fetch(`${node.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(superAdmin),
      });
      expect(response.status).toBe(200);
    }
  });
});

describe('roles a deployment cannot run', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = makeDataDir();
    await runKiunga(['migrate', '--data-dir', dataDir]);
  });

  afterAll(() => removeDataDir(dataDir));

  const refusal = async (role: string, environment: NodeJS.ProcessEnv = {}) =>
    runKiunga(['start', '--data-dir', dataDir, '--role', role], environment).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('refuses --role api and --role aaa on an embedded (SQLite) data dir, saying why', async () => {
    for (const role of ['api', 'aaa']) {
      const { code, stderr } = await refusal(role);
      expect(code).toBe(2);
      expect(stderr).toContain(`--role ${role} needs KIUNGA_DATABASE_URL`);
      expect(stderr).toContain('several processes on one SQLite data dir is not a supported scaled setup');
    }
  });
});
