// A NAS's lastAccountingAt from the durable accounting log, in process on both databases: the router
// health job follows accounting_log by id and keeps each NAS's latest receive time, so health shows it
// without reading sessions, keeps it after retention deleted the raw rows, reads a row received within
// the settle time again without going back, and never gives ISP B's NAS ISP A's accounting.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';
import { METERING_SETTLE_MS } from '../usage/metering.job';
import { runNasMonitoring } from './service';
import { FOLLOW_BATCH_ROWS, followNasAccounting } from './store';

const MINUTE_MS = 60_000;
let testApp: TwoIspApp;
let nasA: string;
let nasB: string;

async function createNas(isp: TwoIspApp['ispA'], name: string, ipAddress: string): Promise<string> {
  const response = await isp.request('POST', '/api/v1/nas', { name, ipAddress });
  expect(response.status).toBe(201);
  return (await jsonOf<{ id: string }>(response)).id;
}

beforeAll(async () => {
  testApp = await openTwoIspApp({ prefix: 'lastacct' });
  nasA = await createNas(testApp.ispA, 'Market', '10.50.0.1');
  nasB = await createNas(testApp.ispB, 'Harbour', '10.50.0.2');
});
afterAll(() => testApp?.close());

/** An Interim-Update as the AAA server's writer logs it, with no session row behind it. */
async function logAccounting(nasId: string, receivedAt: number, sessionTimeSeconds: number) {
  const row = insertOf(tenantSchema.accountingLog, {
    receivedAt,
    nasId,
    statusType: 3,
    acctSessionId: 'acct-last',
    username: 'client',
    inputOctets: 0,
    outputOctets: 0,
    sessionTimeSeconds,
  });
  await testApp.ispA.database.run(row.sql, row.params);
}

async function lastAccountingAt(isp: TwoIspApp['ispA'], nasId: string) {
  const response = await isp.request('GET', `/api/v1/nas/${nasId}/health`);
  expect(response.status).toBe(200);
  return (await jsonOf<{ lastAccountingAt: number | null; reachable: boolean }>(response)).lastAccountingAt;
}

describe('lastAccountingAt from the accounting log', () => {
  it('is null before any accounting, then the latest receive time the job followed', async () => {
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBeNull();
    const start = testApp.clock.now();
    await logAccounting(nasA, start - 5 * MINUTE_MS, 0);
    await logAccounting(nasA, start - 2 * MINUTE_MS, 180);
    // Not followed yet: the log is read by the every-minute job, not on each request.
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBeNull();
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ accountingNas: 1 });
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBe(start - 2 * MINUTE_MS);
    expect(await lastAccountingAt(testApp.ispB, nasB)).toBeNull();
  });

  it('takes a record received within the settle time at once, and reads it again without going back', async () => {
    const nowMs = testApp.clock.now();
    await logAccounting(nasA, nowMs - METERING_SETTLE_MS / 2, 300);
    await runNasMonitoring(testApp.dependencies);
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBe(nowMs - METERING_SETTLE_MS / 2);
    // An older record committed late (another AAA node) moves nothing back.
    await logAccounting(nasA, nowMs - 10 * MINUTE_MS, 60);
    await runNasMonitoring(testApp.dependencies);
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBe(nowMs - METERING_SETTLE_MS / 2);
  });

  it('keeps the time after retention deleted the raw rows, and keeps the router reachable by it', async () => {
    const lastAt = testApp.clock.now() - METERING_SETTLE_MS / 2;
    await testApp.ispA.database.run('DELETE FROM accounting_log');
    testApp.clock.advance(MINUTE_MS);
    await runNasMonitoring(testApp.dependencies);
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBe(lastAt);
    const health = await testApp.ispA.request('GET', `/api/v1/nas/${nasA}/health`);
    expect(await jsonOf(health)).toMatchObject({ reachable: true, lastSeenAt: lastAt });
  });

  it('follows a log longer than one batch, letting the event loop turn between batches', async () => {
    // Embedded, each batch's read holds the event loop the AAA server answers on: a turn between them.
    const nowMs = testApp.clock.now();
    const rows = 2 * FOLLOW_BATCH_ROWS + FOLLOW_BATCH_ROWS / 2;
    await testApp.ispA.database.run(
      `INSERT INTO accounting_log (received_at, nas_id, status_type, acct_session_id, username,
                                   input_octets, output_octets, session_time_seconds)
       WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < ?)
       SELECT CAST(? AS BIGINT) + n, ?, 3, 'acct-many', 'client', 0, 0, n FROM counter`,
      [rows, nowMs - rows, nasA],
    );
    let turns = 0;
    let isFollowing = true;
    const counting = (async () => {
      while (isFollowing) {
        await new Promise((resolve) => setImmediate(resolve));
        turns += 1;
      }
    })();
    await followNasAccounting(testApp.ispA.database, nowMs - METERING_SETTLE_MS);
    isFollowing = false;
    await counting;
    // The last row of the third batch sets the time: every batch was read.
    expect(await lastAccountingAt(testApp.ispA, nasA)).toBe(nowMs);
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
