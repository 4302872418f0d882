// End to end: an ISP turns guest passes on, the captive portal issues one to a device, and the pass logs
// in over RADIUS (FreeRADIUS's radclient) once with its own Session-Timeout and rate, only from its MAC;
// a second pass for the device is refused with when to try again; diagnostics shows the guest-pass login;
// its session is in the live session table and the session list like any hotspot session.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let owner: ApiClient;
const first = () => suite.demo.tenants[0]!;
const DEVICE_MAC = '02:00:00:13:E2:01';
const PASS_SECONDS = 15 * 60;

/** What a MikroTik hotspot sends for a PAP login from the device. */
const hotspotLogin = (username: string, password: string, mac: string) =>
  radclient({
    server: `127.0.0.1:${suite.kiunga.authPort}`,
    command: 'auth',
    secret: first().nas[0]!.secret,
    attributes: { 'User-Name': username, 'User-Password': password, 'Calling-Station-Id': mac },
  });

/** The router's Accounting-Start for the device's session. */
const accountingStart = (attributes: Record<string, string>) =>
  radclient({
    server: `127.0.0.1:${suite.kiunga.acctPort}`,
    command: 'acct',
    secret: first().nas[0]!.secret,
    attributes: { 'Acct-Status-Type': 'Start', 'Calling-Station-Id': DEVICE_MAC, ...attributes },
  });

async function requestPass(mac: string) {
  const response = await fetch(`${suite.kiunga.baseUrl}/portal/${first().slug}/api/guest-passes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mac }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answer loosely and asserts on it.
    body: (await response.json()) as any,
  };
}

beforeAll(async () => {
  owner = await login(suite.kiunga.baseUrl, first().owner);
});

describe('a guest pass from the captive portal', () => {
  it('logs the device in once over RADIUS with its timeout and rate, and a second pass is refused', async () => {
    const saved = await owner.request('PUT', '/api/v1/settings/guest-passes', {
      enabled: true,
      durationSeconds: PASS_SECONDS,
      rateUpKbps: 512,
      rateDownKbps: 2048,
      perDevicePeriodSeconds: 86_400,
      dailyCap: 50,
    });
    expect(saved.status).toBe(200);
    const portal = await fetch(`${suite.kiunga.baseUrl}/portal/${first().slug}?mac=${DEVICE_MAC}`);
    expect(await portal.text()).toContain('Try free for 15 minutes');

    const pass = await requestPass(DEVICE_MAC);
    expect(pass.status).toBe(201);
    expect(pass.body.username).toMatch(/^guest-/);

    const accepted = await hotspotLogin(pass.body.username, pass.body.password, DEVICE_MAC);
    expect(accepted.code, accepted.output).toBe('Access-Accept');
    const sessionTimeout = Number(accepted.attributes['Session-Timeout']);
    expect(sessionTimeout).toBeGreaterThan(PASS_SECONDS - 60);
    expect(sessionTimeout).toBeLessThanOrEqual(PASS_SECONDS);
    // Mikrotik-Rate-Limit is rx/tx from the router's side: the client's upload first.
    expect(accepted.attributes['Mikrotik-Rate-Limit']).toBe('512k/2048k');

    // The accept carries our Class; the router echoes it in accounting (RFC 2865 §5.25).
    expect(accepted.attributes.Class).toBeDefined();
    const started = await accountingStart({
      'User-Name': pass.body.username,
      'Acct-Session-Id': 'guest0001',
      'Framed-IP-Address': '10.5.70.9',
      Class: accepted.attributes.Class!,
    });
    expect(started.code, started.output).toBe('Accounting-Response');
    // A router that does not echo Class: the session is found by the pass's username.
    const withoutClass = await accountingStart({
      'User-Name': pass.body.username,
      'Acct-Session-Id': 'guest0002',
    });
    expect(withoutClass.code, withoutClass.output).toBe('Accounting-Response');
    const sessions = await owner.get('/api/v1/sessions');
    expect(sessions.body.items).toContainEqual(
      expect.objectContaining({ acctSessionId: 'guest0002', subjectKind: 'guest_pass', status: 'open' }),
    );
    expect(sessions.body.items).toContainEqual(
      expect.objectContaining({
        acctSessionId: 'guest0001',
        username: pass.body.username,
        subjectKind: 'guest_pass',
        framedIp: '10.5.70.9',
        status: 'open',
      }),
    );

    const otherDevice = await hotspotLogin(pass.body.username, pass.body.password, '02:00:00:13:E2:02');
    expect(otherDevice.code, otherDevice.output).toBe('Access-Reject');
    const wrongPassword = await hotspotLogin(pass.body.username, 'not-the-password', DEVICE_MAC);
    expect(wrongPassword.code, wrongPassword.output).toBe('Access-Reject');

    const second = await requestPass(DEVICE_MAC);
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('guest_pass_used');
    expect(second.body.error.message).toMatch(
      /^This device already had its free pass\. Try again (tomorrow )?at \d\d:\d\d \(Nairobi time\)\.$/,
    );
    expect(Number(second.retryAfter)).toBeGreaterThan(86_400 - 120);

    // The decision log is written about once a second: diagnostics shows the accept with its reason.
    let decisions: Array<{ result: string; mac: string; reason?: { code: string } }> = [];
    for (let attempt = 0; attempt < 50 && decisions.length < 3; attempt += 1) {
      const diagnosis = await owner.get(`/api/v1/diagnostics?q=${pass.body.username}`);
      decisions = diagnosis.status === 200 ? diagnosis.body.decisions : [];
      if (decisions.length < 3) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(decisions.find((decision) => decision.result === 'accept')).toMatchObject({
      // The decision log keeps MACs in the session table's lower-case form.
      mac: DEVICE_MAC.toLowerCase(),
      reason: { code: 'guest_pass' },
    });
  });
});
