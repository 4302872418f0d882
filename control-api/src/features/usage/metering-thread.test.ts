// Usage metering on its worker thread (embedded SQLite): the job meters on a thread other than the
// caller's with the same rollups, a failing run is reported and the next one succeeds, and stopping
// ends the worker. On PostgreSQL there is no worker: metering runs in process as before.
import { threadId } from 'node:worker_threads';
import { insertOf, TENANT_WAL_AUTOCHECKPOINT_PAGES, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '../../kernel/testing/in-process-app';
import { METERING_SETTLE_MS, meterUsage } from './metering.job';
import { meteringThreadFor } from './metering-thread';

const HOUR_MS = 3_600_000;
const MEGABYTE = 1_048_576;
let testApp: TwoIspApp;
let voucher: { id: string; code: string };
let startMs: number;

beforeAll(async () => {
  testApp = await openTwoIspApp({ prefix: 'meter-thread' });
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  const planId = ((await plan.json()) as { id: string }).id;
  const created = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 1 });
  voucher = ((await created.json()) as { items: Array<{ id: string; code: string }> }).items[0]!;
  startMs = Math.floor(testApp.clock.now() / HOUR_MS) * HOUR_MS - 5 * 86_400_000;
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  const session = insertOf(tenantSchema.sessions, {
    id: 'ses_thread',
    nasId: 'nas_1',
    acctSessionId: 'acct-thread',
    username: voucher.code,
    subjectKind: 'voucher',
    subjectId: voucher.id,
    startedAt: startMs,
    updatedAt: startMs,
    interimIntervalSeconds: 300,
  });
  await database.run(session.sql, session.params);
  const records = [
    { status: 1, atMs: startMs, seconds: 0, input: 0, output: 0 },
    { status: 3, atMs: startMs + HOUR_MS, seconds: 3_600, input: 2 * MEGABYTE, output: 10 * MEGABYTE },
    { status: 2, atMs: startMs + 2 * HOUR_MS, seconds: 7_200, input: 5 * MEGABYTE, output: 25 * MEGABYTE },
  ];
  for (const record of records) {
    const row = insertOf(tenantSchema.accountingLog, {
      receivedAt: record.atMs,
      nasId: 'nas_1',
      statusType: record.status,
      acctSessionId: 'acct-thread',
      username: voucher.code,
      inputOctets: record.input,
      outputOctets: record.output,
      sessionTimeSeconds: record.seconds,
    });
    await database.run(row.sql, row.params);
  }
});

afterAll(async () => {
  await testApp?.close();
});

describe('usage metering thread', () => {
  it('meters on a worker thread (SQLite) with the right rollups, and stopping ends the worker', async () => {
    const meteringThread = meteringThreadFor(testApp.dependencies.databases);
    const isEmbedded = testApp.dependencies.databases.dialect === 'sqlite';
    expect(meteringThread !== null).toBe(isEmbedded);
    // The clock is long past the Stop plus the settle time: every row is metered in this run.
    expect(testApp.clock.now()).toBeGreaterThan(startMs + 2 * HOUR_MS + METERING_SETTLE_MS);
    const result = await meterUsage(testApp.dependencies, meteringThread);
    if (isEmbedded) {
      expect(result.meteringThreadId).not.toBe(threadId);
      expect(result.meteringThreadId).not.toBe(0);
    } else {
      expect(result.meteringThreadId).toBe(threadId);
    }
    expect(result.rows).toBe(3);
    const answer = await testApp.ispA.request(
      'GET',
      `/api/v1/usage?voucherId=${voucher.id}&from=${startMs}&to=${startMs + 3 * HOUR_MS}&granularity=hour`,
    );
    expect(((await answer.json()) as { totals: unknown }).totals).toEqual({
      inputOctets: 5 * MEGABYTE,
      outputOctets: 25 * MEGABYTE,
      sessionSeconds: 7_200,
    });
    // A second run meters nothing more: the worker's committed cursor is the one stored.
    expect((await meterUsage(testApp.dependencies, meteringThread)).rows).toBe(0);
    if (meteringThread !== null) {
      expect(meteringThread.isRunning).toBe(true);
      await meteringThread.stop();
      expect(meteringThread.isRunning).toBe(false);
    }
  });

  it('fails a run the worker cannot do, and the next run on the same thread object succeeds', async () => {
    const meteringThread = meteringThreadFor(testApp.dependencies.databases);
    if (meteringThread === null) {
      expect(testApp.dependencies.databases.dialect).toBe('postgres');
      return;
    }
    try {
      // No shard file for this tenant: the worker refuses to create one.
      await expect(meteringThread.meterTenant('ten_missing', testApp.clock.now())).rejects.toThrow(
        /metering worker/,
      );
      const retried = await meteringThread.meterTenant(testApp.ispB.tenantId, testApp.clock.now());
      expect(retried.threadId).not.toBe(threadId);
      expect(retried.rows).toBe(0);
    } finally {
      await meteringThread.stop();
    }
  });

  it('checkpoints a shard on the worker, while the AAA connection leaves checkpoints to it', async () => {
    const meteringThread = meteringThreadFor(testApp.dependencies.databases);
    if (meteringThread === null) {
      expect(testApp.dependencies.databases.dialect).toBe('postgres');
      return;
    }
    const database = testApp.dependencies.databases.forTenant(testApp.ispB.tenantId);
    expect(await database.column('PRAGMA wal_autocheckpoint')).toEqual([TENANT_WAL_AUTOCHECKPOINT_PAGES]);
    try {
      await meteringThread.meterTenant(testApp.ispB.tenantId, testApp.clock.now());
      const row = insertOf(tenantSchema.accountingLog, {
        receivedAt: testApp.clock.now(),
        nasId: 'nas_1',
        statusType: 3,
        acctSessionId: 'acct-checkpoint',
        username: 'client',
        inputOctets: 0,
        outputOctets: 0,
        sessionTimeSeconds: 60,
      });
      await database.run(row.sql, row.params);
      const checkpoint = await meteringThread.checkpointTenant(testApp.ispB.tenantId);
      expect(checkpoint.walFrames).toBeGreaterThan(0);
      // Every frame copied: nothing was left for the AAA server's commits to checkpoint.
      expect(checkpoint.checkpointedFrames).toBe(checkpoint.walFrames);
      // The timer's next tick finds nothing to copy and asks the worker for nothing (no connection opened).
      expect(meteringThread.checkpointMeteredTenants()).toBe(0);
      const next = insertOf(tenantSchema.accountingLog, {
        receivedAt: testApp.clock.now(),
        nasId: 'nas_1',
        statusType: 3,
        acctSessionId: 'acct-checkpoint-2',
        username: 'client',
        inputOctets: 0,
        outputOctets: 0,
        sessionTimeSeconds: 60,
      });
      await database.run(next.sql, next.params);
      expect(meteringThread.checkpointMeteredTenants()).toBe(1);
    } finally {
      await meteringThread.stop();
    }
  });
});
