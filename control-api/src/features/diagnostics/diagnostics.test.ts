// "Why is this client offline?" in process: GET /api/v1/diagnostics by voucher code, MAC, username and
// phone answers the subject, its kept decisions newest first with the catalogue's words, live and
// recent sessions, device slots and billing; the console page says it in words with a disconnect
// button per device; repeated decisions kept as one row read with their count; retention goes by the
// last of them; nothing matches → 404; ISP B never sees ISP A's client.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idleAaaControl,
  openTwoIspApp,
  TEST_HOTSPOT_PLAN,
  type TwoIspApp,
} from '../../kernel/testing/in-process-app';
import { deleteDecisionsBefore } from './store';

let testApp: TwoIspApp;
let voucher: { id: string; code: string };
const FIRST_DEVICE = 'aa:bb:cc:00:00:01';
const SECOND_DEVICE = 'aa:bb:cc:00:00:02';
const THIRD_DEVICE = 'aa:bb:cc:00:00:03';

function liveSession(sessionId: string, callingStationId: string) {
  return {
    sessionId,
    tenantId: testApp.ispA.tenantId,
    nasId: 'nas_1',
    acctSessionId: sessionId,
    username: voucher.code,
    subjectKind: 'voucher' as const,
    subjectId: voucher.id,
    callingStationId,
    framedIp: '10.5.50.2',
    startedAtMs: 0,
    lastUpdateMs: 0,
    inputOctets: 1_000,
    outputOctets: 5_000,
  };
}

/** A kept row as the AAA server's decision log writes it: `repeats` equal decisions a minute apart. */
async function keepDecision(
  tenantId: string,
  username: string,
  macAddress: string,
  decidedAt: number,
  reasonCode: string | null,
  { nasId = 'nas_1', repeats = 1 }: { nasId?: string; repeats?: number } = {},
) {
  const insert = insertOf(tenantSchema.accessDecisions, {
    decidedAt,
    username,
    nasId,
    macAddress,
    result: reasonCode === null ? 'accept' : 'reject',
    reasonCode,
    repeatCount: repeats,
    lastAt: decidedAt + (repeats - 1) * 60_000,
  });
  await testApp.dependencies.databases.forTenant(tenantId).run(insert.sql, insert.params);
}

beforeAll(async () => {
  testApp = await openTwoIspApp({
    // ISP A's voucher holds both its device slots; a third device is being turned away.
    aaa: idleAaaControl({
      listSessions: async (tenantId) =>
        tenantId === testApp.ispA.tenantId && voucher
          ? [liveSession('ses_first', FIRST_DEVICE), liveSession('ses_second', SECOND_DEVICE)]
          : [],
      devicesOfSubject: async (tenantId, _kind, subjectId) =>
        tenantId === testApp.ispA.tenantId && subjectId === voucher.id ? [FIRST_DEVICE, SECOND_DEVICE] : [],
    }),
  });
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  const planId = ((await plan.json()) as { id: string }).id;
  const created = await testApp.ispA.request('POST', '/api/v1/vouchers', { planId, count: 1 });
  voucher = ((await created.json()) as { items: Array<{ id: string; code: string }> }).items[0]!;
  const start = testApp.clock.now();
  await keepDecision(testApp.ispA.tenantId, voucher.code, FIRST_DEVICE, start - 60_000, null);
  // The third device tried twice through one router (one row counting both), then once through another.
  await keepDecision(testApp.ispA.tenantId, voucher.code, THIRD_DEVICE, start, 'device_limit_reached', {
    repeats: 2,
  });
  await keepDecision(
    testApp.ispA.tenantId,
    voucher.code,
    THIRD_DEVICE,
    start + 120_000,
    'device_limit_reached',
    { nasId: 'nas_2' },
  );
});

afterAll(async () => {
  await testApp?.close();
});

describe('GET /api/v1/diagnostics', () => {
  it('answers a voucher code with its decisions newest first, sessions and device slots', async () => {
    const answer = await testApp.ispA.request('GET', `/api/v1/diagnostics?q=${voucher.code}`);
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.subject).toMatchObject({ kind: 'voucher', id: voucher.id, status: 'unused' });
    const start = testApp.clock.now();
    expect(
      body.decisions.map((decision: { result: string; nasId: string; count: number }) => [
        decision.result,
        decision.nasId,
        decision.count,
      ]),
    ).toEqual([
      ['reject', 'nas_2', 1],
      ['reject', 'nas_1', 2],
      ['accept', 'nas_1', 1],
    ]);
    expect(body.decisions[0]).toMatchObject({
      mac: THIRD_DEVICE,
      at: start + 120_000,
      lastAt: start + 120_000,
      reason: { code: 'device_limit_reached', message: expect.stringContaining('maximum number of devices') },
    });
    // Two equal rejects kept as one: `at` is the first, `lastAt` the last.
    expect(body.decisions[1]).toMatchObject({ at: start, lastAt: start + 60_000, count: 2 });
    expect(body.decisions[2].reason).toBeUndefined();
    expect(body.deviceSlots).toEqual({ used: 2, limit: 2 });
    expect(body.sessions.map((session: { id: string }) => session.id)).toEqual(['ses_first', 'ses_second']);
    expect(body.billing).toBeUndefined();
  });

  it('finds the voucher from the MAC address of a device it turned away, written any common way', async () => {
    const answer = await testApp.ispA.request('GET', '/api/v1/diagnostics?q=AA-BB-CC-00-00-03');
    const body = await answer.json();
    expect(body.subject).toMatchObject({ kind: 'voucher', id: voucher.id });
    expect(body.decisions).toHaveLength(3);
  });

  it('answers a subscriber by username or phone, with its billing', async () => {
    const plan = await testApp.ispA.request('POST', '/api/v1/plans', {
      name: 'Home 5M',
      kind: 'pppoe',
      priceCents: 150_000,
      rateUpKbps: 2_000,
      rateDownKbps: 5_000,
    });
    const planId = ((await plan.json()) as { id: string }).id;
    const created = await testApp.ispA.request('POST', '/api/v1/subscribers', {
      username: 'wanjiku',
      planId,
      fullName: 'Wanjiku Kamau',
      phone: '0712345678',
    });
    expect(created.status).toBe(201);
    await keepDecision(testApp.ispA.tenantId, 'wanjiku', '', testApp.clock.now(), 'account_suspended');
    const byPhone = await (await testApp.ispA.request('GET', '/api/v1/diagnostics?q=0712345678')).json();
    expect(byPhone.subject).toMatchObject({ kind: 'subscriber', planId, status: 'active' });
    expect(byPhone.decisions).toEqual([
      expect.objectContaining({
        result: 'reject',
        reason: expect.objectContaining({ code: 'account_suspended' }),
      }),
    ]);
    expect(byPhone.billing).toEqual({
      balanceCents: expect.any(Number),
      overdueCents: 0,
      lastPaymentAt: null,
    });
    const byUsername = await (await testApp.ispA.request('GET', '/api/v1/diagnostics?q=wanjiku')).json();
    expect(byUsername.subject.id).toBe(byPhone.subject.id);
  });

  it('shows rejects of a name nothing matches (a mistyped code), and 404 when nothing was seen', async () => {
    await keepDecision(
      testApp.ispA.tenantId,
      'TYPO99',
      THIRD_DEVICE,
      testApp.clock.now(),
      'invalid_credentials',
    );
    const typo = await (await testApp.ispA.request('GET', '/api/v1/diagnostics?q=TYPO99')).json();
    expect(typo.subject).toBeNull();
    expect(typo.decisions).toHaveLength(1);
    const unknown = await testApp.ispA.request('GET', '/api/v1/diagnostics?q=nobody-at-all');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found');
    const blank = await testApp.ispA.request('GET', '/api/v1/diagnostics?q=');
    expect(blank.status).toBe(400);
  });

  it('keeps a row while the last decision it counts is within retention, whatever its first', async () => {
    const start = testApp.clock.now();
    // First seen long ago, last seen a minute later than the cut: it stays; a row wholly before goes.
    await keepDecision(testApp.ispA.tenantId, 'RETAIN1', '', start - 10 * 60_000, 'voucher_expired', {
      repeats: 10,
    });
    await keepDecision(testApp.ispA.tenantId, 'RETAIN2', '', start - 10 * 60_000, 'voucher_expired');
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    expect(await deleteDecisionsBefore(database, start - 2 * 60_000)).toBe(1);
    const kept = await (await testApp.ispA.request('GET', '/api/v1/diagnostics?q=RETAIN1')).json();
    expect(kept.decisions).toEqual([expect.objectContaining({ count: 10, lastAt: start - 60_000 })]);
    const gone = await testApp.ispA.request('GET', '/api/v1/diagnostics?q=RETAIN2');
    expect(gone.status).toBe(404);
  });

  it("never shows ISP B ISP A's client or its decisions", async () => {
    const answer = await testApp.ispB.request('GET', `/api/v1/diagnostics?q=${voucher.code}`);
    expect(answer.status).toBe(404);
    const byDevice = await testApp.ispB.request('GET', `/api/v1/diagnostics?q=${THIRD_DEVICE}`);
    expect(byDevice.status).toBe(404);
  });
});

describe('diagnostics page', () => {
  it('says why in words, with a disconnect button beside each device online', async () => {
    const page = await testApp.ispA.openConsole();
    const response = await page(`/isp/diagnostics?q=${voucher.code}`);
    expect(response.status).toBe(200);
    const html = (await response.text()).replaceAll('&#39;', "'");
    expect(html).toMatch(/Rejected 3 times since \d\d:\d\d: device limit reached\./);
    // The decisions table: the row of two equal rejects says so.
    expect(html).toContain('Rejected 2 times');
    expect(html).toContain(`2 of 2 devices online: ${FIRST_DEVICE}, ${SECOND_DEVICE}.`);
    expect(html).toContain('/isp/diagnostics/sessions/ses_first/disconnect');
    expect(html).toContain('/isp/diagnostics/sessions/ses_second/disconnect');
    const nothing = await (await page('/isp/diagnostics?q=nobody-at-all')).text();
    expect(nothing).toContain('No voucher, subscriber or device matches');
  });
});
