// Paying while online moves a subscriber's paid-through date, and the live session hears it (issue 15):
// a CoA-Request with the new Session-Timeout, instead of the router cutting the session at the old end.
// Money that only becomes credit tells the session the same end again; the next cycle's invoice paid from
// that credit moves the date, and the billing run tells the session.
import type { LiveSessionView } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleAaaControl, openTestApp, type TestApp, type TestIsp } from '../kernel/testing/in-process-app';
import { runTenantBilling } from './automation';

let testApp: TestApp;
let isp: TestIsp;
let subscriberId = '';
const timeouts: Array<{ sessionId: string; seconds: number }> = [];

function liveSession(): LiveSessionView {
  return {
    sessionId: 'ses_paid_1',
    tenantId: isp.tenantId,
    nasId: 'nas_1',
    acctSessionId: '81b00001',
    username: 'achieng',
    subjectKind: 'subscriber',
    subjectId: subscriberId,
    callingStationId: 'AA:BB:CC:00:33:44',
    framedIp: '10.10.0.9',
    startedAtMs: testApp.clock.now(),
    lastUpdateMs: testApp.clock.now(),
    inputOctets: 0,
    outputOctets: 0,
  };
}

beforeAll(async () => {
  testApp = await openTestApp({
    aaa: idleAaaControl({
      listSessions: async (tenantId) => (tenantId === isp?.tenantId && subscriberId ? [liveSession()] : []),
      changeSessionTimeout: async (_tenantId, sessionId, seconds) => {
        timeouts.push({ sessionId, seconds });
        return { outcome: 'ack' };
      },
    }),
  });
  isp = await testApp.createIsp('ahead');
  const plan = (await (
    await isp.request('POST', '/api/v1/plans', {
      name: 'Home 10',
      kind: 'pppoe',
      priceCents: 150_000,
      billingCycleMonths: 1,
      rateUpKbps: 5_000,
      rateDownKbps: 10_000,
    })
  ).json()) as { id: string };
  const created = await isp.request('POST', '/api/v1/subscribers', { username: 'achieng', planId: plan.id });
  subscriberId = ((await created.json()) as { id: string }).id;
  await runTenantBilling(testApp.dependencies, isp.tenantId);
});

afterAll(() => testApp?.close());

const expiresAtOf = async () =>
  (
    await isp.database.get<{ expiresAt: number }>(
      'SELECT expires_at AS "expiresAt" FROM subscribers WHERE id = ?',
      [subscriberId],
    )
  )?.expiresAt ?? 0;

async function payCash(amountCents: number, key: string): Promise<void> {
  const response = await isp.request('POST', '/api/v1/payments', {
    subscriberId,
    amountCents,
    method: 'cash',
    idempotencyKey: key,
  });
  expect(response.status).toBe(201);
}

async function settled(count: number): Promise<void> {
  for (let poll = 0; poll < 200 && timeouts.length < count; poll++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('paying while online', () => {
  it('sends the live session its later Session-Timeout when the payment moves the paid-through date', async () => {
    const before = await expiresAtOf();
    await payCash(150_000, 'cash-ahead-1');
    await settled(1);
    const after = await expiresAtOf();
    expect(after).toBeGreaterThan(before);
    expect(timeouts).toEqual([
      { sessionId: 'ses_paid_1', seconds: Math.ceil((after - testApp.clock.now()) / 1000) },
    ]);
  });

  it('money that only becomes credit keeps the end; the invoice it pays next cycle moves it, and the run says so', async () => {
    const unchanged = await expiresAtOf();
    await payCash(150_000, 'cash-ahead-2');
    await settled(2);
    expect(await expiresAtOf()).toBe(unchanged);
    expect(timeouts.at(-1)).toEqual({
      sessionId: 'ses_paid_1',
      seconds: Math.ceil((unchanged - testApp.clock.now()) / 1000),
    });
    const before = await expiresAtOf();
    // The next cycle: its invoice is paid from the credit, and the run extends the live session.
    testApp.clock.set(before + 60_000);
    const report = await runTenantBilling(testApp.dependencies, isp.tenantId);
    const after = await expiresAtOf();
    expect(after).toBeGreaterThan(before);
    expect(report.extended).toEqual({ sessions: 1, acknowledged: 1 });
    expect(timeouts.at(-1)).toEqual({
      sessionId: 'ses_paid_1',
      seconds: Math.ceil((after - testApp.clock.now()) / 1000),
    });
  });
});
