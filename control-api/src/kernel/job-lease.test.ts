// Job leases: on one PostgreSQL database two nodes never both hold a job's lease, a node that dies gives
// it back, tokens only grow; a run skips while another holds the lease, which it keeps a minimum time.
import { PostgresDatabases } from '@kiunga/schemas';
import { createTestDatabaseUrl, stopTestDatabaseServer } from '@kiunga/schemas/testing';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startJobs } from '../jobs';
import type { ApiDependencies } from './dependencies';
import {
  createInProcessJobLeases,
  createPostgresJobLeases,
  type JobLease,
  type JobLeases,
  jobLockKey,
  runLeased,
} from './job-lease';

const logger = pino({ level: 'silent' });
const ROUNDS = 10;

describe('PostgreSQL job leases (two nodes on one database)', () => {
  let databaseUrl: string;
  let nodeA: JobLeases;
  let nodeB: JobLeases;
  /** A third session, to look at locks and end a holder's session as a dying node would. */
  let admin: PostgresDatabases;

  beforeAll(async () => {
    databaseUrl = await createTestDatabaseUrl();
    admin = await PostgresDatabases.open({ url: databaseUrl, connectionsMax: 1 });
    nodeA = createPostgresJobLeases(databaseUrl, logger);
    nodeB = createPostgresJobLeases(databaseUrl, logger);
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await admin?.close();
    await stopTestDatabaseServer();
  });

  it('exactly one node takes the lease each round, and every later lease has a larger token', async () => {
    const tokens: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const taken = await Promise.all([nodeA.tryTake('billing'), nodeB.tryTake('billing')]);
      const holders = taken.filter((lease): lease is JobLease => lease !== null);
      expect(holders).toHaveLength(1);
      tokens.push(holders[0]!.token);
      await holders[0]!.release();
    }
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(new Set(tokens).size).toBe(ROUNDS);
  });

  it("one job's lease does not hold another job's", async () => {
    const billing = await nodeA.tryTake('billing');
    const expiry = await nodeB.tryTake('expire_vouchers');
    expect(billing).not.toBeNull();
    expect(expiry).not.toBeNull();
    expect(await nodeB.tryTake('billing')).toBeNull();
    await billing!.release();
    await expiry!.release();
  });

  it('a holder whose connection ends (the node died) releases the lease to the other node', async () => {
    const held = await nodeA.tryTake('notifications');
    expect(held).not.toBeNull();
    expect(await nodeB.tryTake('notifications')).toBeNull();
    const ended = await admin.platform.all(
      `SELECT CASE WHEN pg_terminate_backend(pid) THEN 1 ELSE 0 END AS ended
       FROM pg_stat_activity WHERE application_name = ?`,
      ['kiunga-job notifications'],
    );
    expect(ended).toEqual([{ ended: 1 }]);
    const taken = await waitForLease(nodeB, 'notifications');
    expect(taken.token).toBeGreaterThan(held!.token);
    await taken.release();
    await held!.release();
  });

  it('released leases leave no lock and no connection behind', async () => {
    const lease = await nodeA.tryTake('reconcile_purchases');
    await lease!.release();
    const { classId, objectId } = jobLockKey('reconcile_purchases');
    const lockCount = `SELECT count(*) AS held FROM pg_locks WHERE locktype = 'advisory'
       AND classid::text::bigint = CAST(? AS BIGINT) AND objid::text::bigint = CAST(? AS BIGINT)`;
    // oid is unsigned: the int4 key -1 is oid 4294967295.
    const key = [classId >>> 0, objectId >>> 0];
    expect(await admin.platform.get(lockCount, key)).toEqual({ held: 0 });
    const again = await nodeB.tryTake('reconcile_purchases');
    expect(await admin.platform.get(lockCount, key)).toEqual({ held: 1 });
    await again!.release();
  });
});

/** The server notices the ended session at once, but allow a loaded machine a moment. */
async function waitForLease(leases: JobLeases, jobName: string): Promise<JobLease> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const lease = await leases.tryTake(jobName);
    if (lease) return lease;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${jobName}: lease never came free`);
}

describe('runLeased', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the job on one node and skips it on the other while the first runs', async () => {
    const leases = createInProcessJobLeases();
    let runs = 0;
    let finish: () => void = () => {};
    const job = () =>
      new Promise<string>((resolve) => {
        runs += 1;
        finish = () => resolve('done');
      });
    const first = runLeased(leases, 'billing', job, { logger, holdMinMs: 0 });
    const second = await runLeased(leases, 'billing', job, { logger, holdMinMs: 0 });
    expect(second).toEqual({ ran: false });
    finish();
    expect(await first).toEqual({ ran: true, token: 1, result: 'done' });
    expect(runs).toBe(1);
    expect(await runLeased(leases, 'billing', async () => 'again', { logger, holdMinMs: 0 })).toEqual({
      ran: true,
      token: 2,
      result: 'again',
    });
  });

  it('keeps the lease holdMinMs after it was taken, so a late tick of the same round skips', async () => {
    vi.useFakeTimers();
    const leases = createInProcessJobLeases();
    const options = { logger, holdMinMs: 30_000, nowMs: () => Date.now() };
    expect((await runLeased(leases, 'billing', async () => 1, options)).ran).toBe(true);
    vi.advanceTimersByTime(29_000);
    expect(await runLeased(leases, 'billing', async () => 2, options)).toEqual({ ran: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await runLeased(leases, 'billing', async () => 3, options)).ran).toBe(true);
  });

  it('a job that throws still gives the lease back, and the error reaches the caller', async () => {
    const leases = createInProcessJobLeases();
    const failing = async () => {
      throw new Error('boom');
    };
    await expect(runLeased(leases, 'billing', failing, { logger, holdMinMs: 0 })).rejects.toThrow('boom');
    expect((await runLeased(leases, 'billing', async () => 1, { logger, holdMinMs: 0 })).ran).toBe(true);
  });
});

describe('startJobs', () => {
  it('asks for the lease before every run, and runs nothing whose lease another node holds', async () => {
    const asked: string[] = [];
    const heldElsewhere: JobLeases = {
      kind: 'postgres',
      async tryTake(jobName) {
        asked.push(jobName);
        return null;
      },
      async close() {},
    };
    // Nothing but the leases and the logger is touched while no lease is granted.
    const runner = startJobs({ jobLeases: heldElsewhere, logger } as unknown as ApiDependencies);
    await vi.waitFor(() => expect(asked).toHaveLength(3));
    runner.stop();
    expect(asked.sort()).toEqual(['billing', 'c2b_registration', 'platform_billing']);
  });

  it('runs the mail and SMS jobs on every 10-second tick: their leases are not held into the next round', async () => {
    vi.useFakeTimers();
    // Half a second past a round minute, so that the next 30 s hold exactly three ticks of each job.
    vi.setSystemTime(new Date('2026-01-05T08:00:00.500Z'));
    const inProcess = createInProcessJobLeases();
    const runsAt: Record<string, string[]> = { email: [], notifications: [] };
    // Only these two jobs get their lease (without a mail server or an SMS gateway a run touches nothing else).
    const outboxesOnly: JobLeases = {
      kind: 'in_process',
      async tryTake(jobName) {
        const runs = runsAt[jobName];
        if (!runs) return null;
        const lease = await inProcess.tryTake(jobName);
        if (lease) runs.push(new Date(Date.now()).toISOString().slice(14, 19));
        return lease;
      },
      close: () => inProcess.close(),
    };
    const runner = startJobs({ jobLeases: outboxesOnly, logger } as unknown as ApiDependencies);
    try {
      await vi.advanceTimersByTimeAsync(30_000);
    } finally {
      runner.stop();
      vi.useRealTimers();
    }
    expect(runsAt).toEqual({
      email: ['00:10', '00:20', '00:30'],
      notifications: ['00:10', '00:20', '00:30'],
    });
  });
});
