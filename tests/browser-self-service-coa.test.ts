/// <reference lib="dom" />
// A PPPoE subscriber online behind a (simulated) MikroTik, in real headless Chromium against ./kiunga start
// (issue 15): changing plan on /account sends the live session a CoA-Request with the new plan's
// Mikrotik-Rate-Limit; changing the password sends a Disconnect-Request (the router's copy of the old
// password must not keep a session up); paying by M-Pesa (the Daraja simulator) sends the session a
// CoA-Request with Session-Timeout to the paid-through date.
import { codec } from '@kiunga/aaa-server';
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { NasSimulator, ReceivedRequest } from '@kiunga/ops/sim/nas';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { useBrowserSuite } from './support/browser';
import { startDemoDaraja } from './support/demo-daraja';
import { startDemoNas } from './support/demo-nas';
import { clockStartEnvironment, type MpesaDemoTenant } from './support/kiunga-process';
import { radclient } from './support/radclient';

const HOUR_MS = 3_600_000;
/** The demo is seeded at 10:00 on 14 March 2030 in Nairobi and started an hour later, whatever today is. */
const SEEDED_AT_MS = Date.parse('2030-03-14T10:00:00+03:00');
const STARTED_AT_MS = SEEDED_AT_MS + HOUR_MS;
/** The demo's Home 10 Mbps plan as RouterOS reads it (Mikrotik-Rate-Limit, rx/tx from the router: up/down). */
const HOME10_RATE_LIMIT = '5120k/10240k';
/** How long a test waits for the router to hear from Kiunga: a CoA goes out within milliseconds on loopback. */
const COA_WAIT_MS = 15_000;

let daraja: DarajaSimulator;
let nas: NasSimulator;
let serverClock = { startMs: STARTED_AT_MS, realStartMs: Date.now() };
const serverNow = () => serverClock.startMs + (Date.now() - serverClock.realStartMs);

const suite = useBrowserSuite({
  seedEnvironment: clockStartEnvironment(SEEDED_AT_MS),
  async beforeStart(dataDir, demo) {
    daraja = await startDemoDaraja(demo, { now: serverNow });
    // The demo NAS's CoA port points at a simulated MikroTik, as a real one would listen on 3799.
    nas = await startDemoNas(dataDir, demo);
    serverClock = { startMs: STARTED_AT_MS, realStartMs: Date.now() };
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl, ...clockStartEnvironment(STARTED_AT_MS) }),
  async beforeStop() {
    await nas?.close();
  },
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;
const subscriberNamed = (username: string) => tenant().subscribers.find((s) => s.username === username)!;

/** The router reports a PPPoE session up (Accounting-Request Start), as RouterOS does after login. */
async function comeOnline(username: string, acctSessionId: string, framedIp: string): Promise<void> {
  const reply = await radclient({
    server: `127.0.0.1:${suite.kiunga.acctPort}`,
    command: 'acct',
    secret: tenant().nas[0]!.secret,
    attributes: {
      'User-Name': username,
      'Acct-Status-Type': 'Start',
      'Acct-Session-Id': acctSessionId,
      'Framed-IP-Address': framedIp,
      'Calling-Station-Id': '02:00:00:00:15:01',
    },
  });
  expect(reply.code).toBe('Accounting-Response');
}

/** The first request the router received after `from` that is of `code` and names the session. */
async function nextRequest(from: number, code: number, acctSessionId: string): Promise<ReceivedRequest> {
  const deadline = Date.now() + COA_WAIT_MS;
  for (;;) {
    const found = nas.received
      .slice(from)
      .find(
        (request) =>
          request.code === code && codec.getString(request.packet, Attribute.AcctSessionId) === acctSessionId,
      );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no request ${code} for ${acctSessionId} reached the router`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The subscriber's paid-through date as the ISP's console reads it. */
async function paidThroughOf(
  owner: Awaited<ReturnType<typeof login>>,
  subscriberId: string,
): Promise<number> {
  const response = await owner.get(`/api/v1/subscribers/${subscriberId}`);
  expect(response.status).toBe(200);
  return (response.body as { expiresAt: number }).expiresAt;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${suite.kiunga.baseUrl}/account/${tenant().slug}`);
  await page.fill('input[name=login]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/account\/[^/]+$/), page.click('button[type=submit]')]);
}

describe('self-service changes reach the live session', () => {
  it('changes plan, password and pays ahead; the router gets the new rate, a disconnect and the later Session-Timeout', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const { page } = await suite.openPhonePage();
    await comeOnline(wanjiku.username, 'c1500001', '10.15.0.11');
    await signIn(page, wanjiku.username, wanjiku.password);

    // Plan: Home 5 → Home 10; the live session gets Home 10's rate by CoA.
    let from = nas.received.length;
    await page.goto(`${suite.kiunga.baseUrl}/account/${tenant().slug}/plan`);
    await page.check(
      `input[name=planId][value="${tenant().plans.find((plan) => plan.name === 'Home 10 Mbps')!.id}"]`,
    );
    await Promise.all([
      page.waitForURL(/\?changed=plan$/),
      page.click('form[action$="/plan"] button[type=submit]'),
    ]);
    const rateChange = await nextRequest(from, PacketCode.CoaRequest, 'c1500001');
    expect(codec.getString(rateChange.packet, Attribute.UserName)).toBe(wanjiku.username);
    expect(codec.getVendorString(rateChange.packet, VendorId.Mikrotik, MikrotikAttribute.RateLimit)).toBe(
      HOME10_RATE_LIMIT,
    );

    // Password: the session on the old password is disconnected.
    from = nas.received.length;
    const newPassword = 'a brand new passphrase';
    await page.goto(`${suite.kiunga.baseUrl}/account/${tenant().slug}/password`);
    await page.fill('input[name=currentPassword]', wanjiku.password);
    await page.fill('input[name=newPassword]', newPassword);
    await page.fill('input[name=confirmPassword]', newPassword);
    await Promise.all([
      page.waitForURL(/\/password\?done=1$/),
      page.click('form[action$="/password"] button[type=submit]'),
    ]);
    const disconnect = await nextRequest(from, PacketCode.DisconnectRequest, 'c1500001');
    expect(codec.getString(disconnect.packet, Attribute.UserName)).toBe(wanjiku.username);

    // Back online with the new password; paying by M-Pesa moves the session's end by CoA.
    await comeOnline(wanjiku.username, 'c1500002', '10.15.0.12');
    const owner = await login(suite.kiunga.baseUrl, tenant().owner);
    const paidThroughBefore = await paidThroughOf(owner, wanjiku.id);
    from = nas.received.length;
    await page.goto(`${suite.kiunga.baseUrl}/account/${tenant().slug}/pay`);
    await page.fill('input[name=amount]', '2500');
    await page.fill('input[name=phone]', '0712 345 678');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    await page.waitForSelector('p.ok#payment-status', { timeout: 20_000 });
    const timeoutChange = await nextRequest(from, PacketCode.CoaRequest, 'c1500002');
    const sessionTimeout = codec.getInteger(timeoutChange.packet, Attribute.SessionTimeout);
    expect(
      codec.getVendorString(timeoutChange.packet, VendorId.Mikrotik, MikrotikAttribute.RateLimit),
    ).toBeUndefined();
    // The seconds left to the paid-through date the ISP sees, counted from the server's clock when it told
    // the router: that instant lies between the server's start and now on its clock.
    const paidThroughAfter = await paidThroughOf(owner, wanjiku.id);
    expect(paidThroughAfter).toBeGreaterThan(paidThroughBefore);
    expect(sessionTimeout).toBeGreaterThan(0);
    const toldAtOnServerClock = paidThroughAfter - sessionTimeout! * 1000;
    expect(toldAtOnServerClock).toBeGreaterThanOrEqual(STARTED_AT_MS - 1000);
    expect(toldAtOnServerClock).toBeLessThanOrEqual(serverNow());
  });
});
