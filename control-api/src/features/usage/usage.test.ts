// Usage metering in process, on the durable accounting log as the AAA server writes it: the job meters
// settled rows exactly once (a second run adds nothing, a fresh row waits for the settle time),
// GET /api/v1/usage answers hourly and daily series with totals, retention deletes only metered raw
// rows past the ISP's setting while rollups stay, and ISP B never reads ISP A's usage.
import { insertOf, tenantSchema, UniqueViolationError } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '../../kernel/testing/in-process-app';
import { MeterStateCache } from './meter-state-cache';
import { METERING_SETTLE_MS, meterTenantAccounting } from './metering.job';
import { applyTenantRetention } from './retention.job';

const HOUR_MS = 3_600_000;
const MEGABYTE = 1_048_576;
let testApp: TwoIspApp;
let voucher: { id: string; code: string };
let startMs: number;

/** A session row and its accounting records, as the AAA server's writer stores them. */
async function logAccounting(
  tenantId: string,
  records: Array<{ status: 1 | 2 | 3; atMs: number; seconds: number; input: number; output: number }>,
) {
  const database = testApp.dependencies.databases.forTenant(tenantId);
  const session = insertOf(tenantSchema.sessions, {
    id: `ses_${records[0]?.atMs}`,
    nasId: 'nas_1',
    acctSessionId: `acct-${records[0]?.atMs}`,
    username: voucher.code,
    subjectKind: 'voucher',
    subjectId: voucher.id,
    startedAt: records[0]?.atMs ?? 0,
    updatedAt: records[0]?.atMs ?? 0,
    interimIntervalSeconds: 300,
  });
  await database.run(session.sql, session.params);
  for (const record of records) {
    const row = insertOf(tenantSchema.accountingLog, {
      receivedAt: record.atMs,
      nasId: 'nas_1',
      statusType: record.status,
      acctSessionId: `acct-${records[0]?.atMs}`,
      username: voucher.code,
      inputOctets: record.input,
      outputOctets: record.output,
      sessionTimeSeconds: record.seconds,
    });
    try {
      await database.run(row.sql, row.params);
    } catch (error) {
      // A retransmission (same NAS, session, status and session time) is stored once, as the AAA
      // accounting writer does with ON CONFLICT DO NOTHING: the meter never sees the second copy.
      if (!(error instanceof UniqueViolationError)) throw error;
    }
  }
}

beforeAll(async () => {
  testApp = await openTwoIspApp();
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  const planId = ((await plan.json()) as { id: string }).id;
  const created = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 1 });
  voucher = ((await created.json()) as { items: Array<{ id: string; code: string }> }).items[0]!;
  // Times in the past of the test clock: moving the clock would end the owners' sign-ins.
  startMs = Math.floor(testApp.clock.now() / HOUR_MS) * HOUR_MS - 20 * 86_400_000;
  // Two hours online: 30 MB down and 6 MB up, spread evenly over both hours; a retransmitted interim, stored once.
  await logAccounting(testApp.ispA.tenantId, [
    { status: 1, atMs: startMs, seconds: 0, input: 0, output: 0 },
    { status: 3, atMs: startMs + HOUR_MS, seconds: 3_600, input: 3 * MEGABYTE, output: 15 * MEGABYTE },
    {
      status: 3,
      atMs: startMs + HOUR_MS + 2_000,
      seconds: 3_600,
      input: 3 * MEGABYTE,
      output: 15 * MEGABYTE,
    },
    { status: 2, atMs: startMs + 2 * HOUR_MS, seconds: 7_200, input: 6 * MEGABYTE, output: 30 * MEGABYTE },
  ]);
});

afterAll(async () => {
  await testApp?.close();
});

async function usageOf(query: string, isp = testApp.ispA) {
  const answer = await isp.request('GET', `/api/v1/usage?${query}`);
  return { status: answer.status, body: await answer.json() };
}

describe('usage metering', () => {
  it('meters settled accounting once, lagging by the settle time', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    await meterTenantAccounting(database, startMs + 2 * HOUR_MS + METERING_SETTLE_MS - 1_000);
    const early = await usageOf(
      `voucherId=${voucher.id}&from=${startMs}&to=${startMs + 3 * HOUR_MS}&granularity=hour`,
    );
    // The Stop is younger than the settle time: only the first hour's interim counts yet.
    expect(early.body.totals).toEqual({
      inputOctets: 3 * MEGABYTE,
      outputOctets: 15 * MEGABYTE,
      sessionSeconds: 3_600,
    });

    await meterTenantAccounting(database, startMs + 2 * HOUR_MS + METERING_SETTLE_MS);
    await meterTenantAccounting(database, startMs + 3 * HOUR_MS);
    const hourly = await usageOf(
      `voucherId=${voucher.id}&from=${startMs}&to=${startMs + 3 * HOUR_MS}&granularity=hour`,
    );
    expect(hourly.status).toBe(200);
    expect(hourly.body.items).toEqual([
      { start: startMs, inputOctets: 3 * MEGABYTE, outputOctets: 15 * MEGABYTE, sessionSeconds: 3_600 },
      {
        start: startMs + HOUR_MS,
        inputOctets: 3 * MEGABYTE,
        outputOctets: 15 * MEGABYTE,
        sessionSeconds: 3_600,
      },
      { start: startMs + 2 * HOUR_MS, inputOctets: 0, outputOctets: 0, sessionSeconds: 0 },
    ]);
    expect(hourly.body.totals).toEqual({
      inputOctets: 6 * MEGABYTE,
      outputOctets: 30 * MEGABYTE,
      sessionSeconds: 7_200,
    });
    const daily = await usageOf(
      `voucherId=${voucher.id}&from=${startMs - 2 * 86_400_000}&to=${startMs + 86_400_000}`,
    );
    expect(daily.body.totals.outputOctets).toBe(30 * MEGABYTE);
    expect(daily.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a query naming both or neither subject, and another ISP’s voucher is not found', async () => {
    expect((await usageOf(`from=${startMs}&to=${startMs + HOUR_MS}`)).status).toBe(400);
    expect(
      (await usageOf(`voucherId=${voucher.id}&subscriberId=x&from=${startMs}&to=${startMs + HOUR_MS}`))
        .status,
    ).toBe(400);
    const fromB = await usageOf(
      `voucherId=${voucher.id}&from=${startMs}&to=${startMs + HOUR_MS}`,
      testApp.ispB,
    );
    expect(fromB.status).toBe(404);
  });

  it('keeps raw accounting for the ISP’s retention, deleting only metered rows; rollups stay', async () => {
    const settings = await testApp.ispA.request('PUT', '/api/v1/usage/settings', {
      accountingRetentionDays: 7,
    });
    expect(await settings.json()).toEqual({ accountingRetentionDays: 7 });
    expect(
      (await testApp.ispA.request('PUT', '/api/v1/usage/settings', { accountingRetentionDays: 1 })).status,
    ).toBe(400);
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const laterMs = startMs + 8 * 86_400_000;
    // A record that arrived just now and is not metered yet must survive even if it were old.
    await logAccounting(testApp.ispA.tenantId, [
      { status: 1, atMs: laterMs, seconds: 0, input: 0, output: 0 },
    ]);
    const removed = await applyTenantRetention(database, laterMs);
    expect(removed.accountingRows).toBe(3);
    expect(await database.column<number>('SELECT count(*) FROM accounting_log')).toEqual([1]);
    const kept = await usageOf(
      `voucherId=${voucher.id}&from=${startMs}&to=${startMs + 3 * HOUR_MS}&granularity=hour`,
    );
    expect(kept.body.totals.outputOctets).toBe(30 * MEGABYTE);
  });

  it('draws the last 30 days on the voucher page and the subscriber page', async () => {
    const page = await testApp.ispA.openConsole();
    const voucherPage = await (await page(`/isp/vouchers/${voucher.id}`)).text();
    expect(voucherPage).toContain('<svg');
    expect(voucherPage).toContain('Daily usage');
    expect(voucherPage).toContain('Last 30 days: 30.0 MB down, 6.0 MB up.');
    const plan = await testApp.ispA.request('POST', '/api/v1/plans', {
      name: 'Home 5M',
      kind: 'pppoe',
      priceCents: 150_000,
      rateUpKbps: 2_000,
      rateDownKbps: 5_000,
    });
    const planId = ((await plan.json()) as { id: string }).id;
    const created = await testApp.ispA.request('POST', '/api/v1/subscribers', { username: 'otieno', planId });
    const subscriberId = ((await created.json()) as { id: string }).id;
    const subscriberPage = await (await page(`/isp/subscribers/${subscriberId}`)).text();
    expect(subscriberPage).toContain('data-usage-chart');
    expect(subscriberPage).toContain('Last 30 days: 0 B down, 0 B up.');
  });

  it('meters a backlog batch by batch, letting the event loop turn between batches', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const laterMs = startMs + 9 * 86_400_000;
    await logAccounting(testApp.ispA.tenantId, [
      { status: 1, atMs: laterMs, seconds: 0, input: 0, output: 0 },
      { status: 3, atMs: laterMs + 300_000, seconds: 300, input: MEGABYTE, output: 2 * MEGABYTE },
      { status: 3, atMs: laterMs + 600_000, seconds: 600, input: 2 * MEGABYTE, output: 4 * MEGABYTE },
      { status: 2, atMs: laterMs + 900_000, seconds: 900, input: 3 * MEGABYTE, output: 6 * MEGABYTE },
    ]);
    // Embedded, the AAA server's datagrams are read on this event loop: a run must not hold it for
    // all its batches (SQLite answers synchronously, so without a yield nothing else runs until the end).
    let hasEventLoopTurned = false;
    setImmediate(() => {
      hasEventLoopTurned = true;
    });
    const metered = await meterTenantAccounting(database, laterMs + 2 * HOUR_MS, { batchMax: 2 });
    expect(hasEventLoopTurned).toBe(true);
    // The Start left unmetered by the retention test, then these four: three batches of at most two.
    expect(metered.rows).toBe(5);
    const usage = await usageOf(
      `voucherId=${voucher.id}&from=${laterMs - HOUR_MS}&to=${laterMs + HOUR_MS}&granularity=hour`,
    );
    expect(usage.body.totals).toEqual({
      inputOctets: 3 * MEGABYTE,
      outputOctets: 6 * MEGABYTE,
      sessionSeconds: 900,
    });
  });

  it('meters from its memory of the states only while no other run moved the cursor', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const atMs = startMs + 10 * 86_400_000;
    const minute = 60_000;
    await logAccounting(testApp.ispA.tenantId, [
      { status: 1, atMs, seconds: 0, input: 0, output: 0 },
      { status: 3, atMs: atMs + 5 * minute, seconds: 300, input: MEGABYTE, output: 2 * MEGABYTE },
      { status: 3, atMs: atMs + 10 * minute, seconds: 600, input: 2 * MEGABYTE, output: 4 * MEGABYTE },
      { status: 3, atMs: atMs + 15 * minute, seconds: 900, input: 3 * MEGABYTE, output: 6 * MEGABYTE },
      { status: 3, atMs: atMs + 20 * minute, seconds: 1_200, input: 4 * MEGABYTE, output: 8 * MEGABYTE },
    ]);
    // Two nodes, each with its own memory, take turns: node A's memory of the first interim is out of
    // date once node B metered the second, and counting from it would count the second one twice.
    const nodeA = new MeterStateCache();
    const nodeB = new MeterStateCache();
    const settled = (offsetMs: number) => atMs + offsetMs + METERING_SETTLE_MS;
    await meterTenantAccounting(database, settled(5 * minute), { stateCache: nodeA });
    await meterTenantAccounting(database, settled(10 * minute), { stateCache: nodeB });
    await meterTenantAccounting(database, settled(15 * minute), { stateCache: nodeA });
    // Node A again, right after its own run: what it remembers is what is stored.
    await meterTenantAccounting(database, settled(20 * minute), { stateCache: nodeA });
    const usage = await usageOf(
      `voucherId=${voucher.id}&from=${atMs - HOUR_MS}&to=${atMs + HOUR_MS}&granularity=hour`,
    );
    expect(usage.body.totals).toEqual({
      inputOctets: 4 * MEGABYTE,
      outputOctets: 8 * MEGABYTE,
      sessionSeconds: 1_200,
    });
  });
});
