// A subscriber changes its own plan and password at /account/<slug> (issue 15): the plan change is
// prorated by the billing engine and reaches the live session as a CoA with the new rate; the password
// change needs the current password, ends the live session (Disconnect-Request) so the router asks
// again, keeps this browser signed in and signs every other one out. Another ISP's plan is never offered.
import type { LiveSessionView } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTenantInvoices } from '../billing/store';
import {
  apiClient,
  idleAaaControl,
  openTwoIspApp,
  signInWithToken,
  type TwoIspApp,
} from '../kernel/testing/in-process-app';

const PASSWORD = 'pppoe-secret-1';
let testApp: TwoIspApp;
let subscriberId = '';
let fasterPlanId = '';
let planOfIspB = '';
const rateChanges: Array<{ sessionId: string; rateLimit: string }> = [];
const disconnects: string[] = [];

function liveSession(): LiveSessionView {
  return {
    sessionId: 'ses_live_1',
    tenantId: testApp.ispA.tenantId,
    nasId: 'nas_1',
    acctSessionId: '81a00001',
    username: 'kamau',
    subjectKind: 'subscriber',
    subjectId: subscriberId,
    callingStationId: 'AA:BB:CC:00:11:22',
    framedIp: '10.10.0.2',
    startedAtMs: testApp.clock.now(),
    lastUpdateMs: testApp.clock.now(),
    inputOctets: 0,
    outputOctets: 0,
  };
}

beforeAll(async () => {
  testApp = await openTwoIspApp({
    prefix: 'mine',
    aaa: idleAaaControl({
      listSessions: async (tenantId) =>
        tenantId === testApp.ispA.tenantId && subscriberId ? [liveSession()] : [],
      changeSessionRate: async (_tenantId, sessionId, rateLimit) => {
        rateChanges.push({ sessionId, rateLimit });
        return { outcome: 'ack' };
      },
      disconnectSession: async (_tenantId, sessionId) => {
        disconnects.push(sessionId);
        return { outcome: 'ack' };
      },
    }),
  });
  const plan = (body: Record<string, unknown>) => ({
    kind: 'pppoe',
    billingCycleMonths: 1,
    rateUpKbps: 2_000,
    rateDownKbps: 5_000,
    ...body,
  });
  const ownerA = apiClient(testApp, await signInWithToken(testApp, testApp.ispA.ownerEmail));
  const home = (await (
    await ownerA('POST', '/api/v1/plans', plan({ name: 'Home 5', priceCents: 150_000 }))
  ).json()) as {
    id: string;
  };
  fasterPlanId = (
    (await (
      await ownerA(
        'POST',
        '/api/v1/plans',
        plan({ name: 'Home 20', priceCents: 300_000, rateDownKbps: 20_000 }),
      )
    ).json()) as { id: string }
  ).id;
  const created = await ownerA('POST', '/api/v1/subscribers', {
    username: 'kamau',
    password: PASSWORD,
    planId: home.id,
  });
  subscriberId = ((await created.json()) as { id: string }).id;
  // This cycle's invoice: a plan change within it is prorated against it.
  await runTenantInvoices(testApp.ispA.database, testApp.ispA.tenantId, testApp.clock.now());
  const ownerB = apiClient(testApp, await signInWithToken(testApp, testApp.ispB.ownerEmail));
  planOfIspB = (
    (await (await ownerB('POST', '/api/v1/plans', plan({ name: 'B Fibre', priceCents: 1_000 }))).json()) as {
      id: string;
    }
  ).id;
});

afterAll(() => testApp?.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function signIn(password: string): Promise<string> {
  const response = await testApp.app.request('/account/mine-a/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ login: 'kamau', password }),
  });
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

const get = (path: string, cookie: string) => testApp.app.request(path, { headers: { cookie } });

async function post(path: string, cookie: string, fields: Record<string, string>) {
  const html = await (await get(path, cookie)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form({ ...fields, _csrf: csrf }),
  });
}

describe('self-service plan and password changes', () => {
  it('offers the ISP’s other plans only, and a change is prorated and sent to the live session by CoA', async () => {
    const cookie = await signIn(PASSWORD);
    const page = await (await get('/account/mine-a/plan', cookie)).text();
    expect(page).toContain('Home 20');
    expect(page).not.toContain('B Fibre');
    const foreign = await post('/account/mine-a/plan', cookie, { planId: planOfIspB });
    expect(foreign.status).toBe(400);

    const changed = await post('/account/mine-a/plan', cookie, { planId: fasterPlanId });
    expect([changed.status, changed.headers.get('location')]).toEqual([303, '/account/mine-a?changed=plan']);
    expect(rateChanges).toEqual([{ sessionId: 'ses_live_1', rateLimit: '2000k/20000k' }]);
    const owner = apiClient(testApp, await signInWithToken(testApp, testApp.ispA.ownerEmail));
    const subscriber = (await (await owner('GET', `/api/v1/subscribers/${subscriberId}`)).json()) as {
      planId: string;
    };
    expect(subscriber.planId).toBe(fasterPlanId);
    // The billing engine holds the proration for the next invoice: a credit of the old plan, a charge of the new.
    const pending = await testApp.ispA.database.all<{ line: string }>(
      'SELECT line FROM billing_pending_lines WHERE subscriber_id = ? AND invoice_id IS NULL',
      [subscriberId],
    );
    const amounts = pending.map((row) => (JSON.parse(row.line) as { amountCents: number }).amountCents);
    expect(amounts.some((amount) => amount < 0)).toBe(true);
    expect(amounts.some((amount) => amount > 0)).toBe(true);
  });

  it('changes the password only with the current one, disconnects the session and signs other browsers out', async () => {
    const here = await signIn(PASSWORD);
    const elsewhere = await signIn(PASSWORD);
    const wrong = await post('/account/mine-a/password', here, {
      currentPassword: 'not-it-at-all',
      newPassword: 'new-secret-22',
      confirmPassword: 'new-secret-22',
    });
    expect(wrong.status).toBe(401);
    const mismatch = await post('/account/mine-a/password', here, {
      currentPassword: PASSWORD,
      newPassword: 'new-secret-22',
      confirmPassword: 'new-secret-23',
    });
    expect([mismatch.status, await mismatch.text()]).toEqual([
      400,
      expect.stringContaining('The two new passwords differ.'),
    ]);
    expect(disconnects).toEqual([]);

    const done = await post('/account/mine-a/password', here, {
      currentPassword: PASSWORD,
      newPassword: 'new-secret-22',
      confirmPassword: 'new-secret-22',
    });
    expect([done.status, done.headers.get('location')]).toEqual([303, '/account/mine-a/password?done=1']);
    expect(disconnects).toEqual(['ses_live_1']);
    const renewed = (done.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await get('/account/mine-a', renewed)).status).toBe(200);
    expect((await get('/account/mine-a', elsewhere)).headers.get('location')).toBe('/account/mine-a/login');
    await signIn('new-secret-22');
  });
});
