// End to end: what an ISP sets through the API is what the router gets in the next RADIUS reply —
// Framed-Pool, MAC binding, the walled garden, and changes honoured by the very next Access-Request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let owner: ApiClient;

const first = () => suite.demo.tenants[0]!;
const secret = () => first().nas[0]!.secret;
const auth = (attributes: Record<string, string | number>) =>
  radclient({ server: `127.0.0.1:${suite.kiunga.authPort}`, command: 'auth', secret: secret(), attributes });
/** What a MikroTik PPPoE server sends: Framed/PPP and the client's MAC in capitals. */
const pppoeLogin = (username: string, password: string, mac: string) =>
  auth({
    'User-Name': username,
    'User-Password': password,
    'Service-Type': 'Framed-User',
    'Framed-Protocol': 'PPP',
    'Calling-Station-Id': mac,
  });

let planCount = 0;
async function createPppoePlan(fields: Record<string, unknown> = {}): Promise<{ id: string }> {
  planCount += 1;
  const created = await owner.post('/api/v1/plans', {
    name: `Policy test ${planCount}`,
    kind: 'pppoe',
    priceCents: 150_000,
    rateUpKbps: 3000,
    rateDownKbps: 6000,
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body;
}

let subscriberCount = 0;
async function createSubscriber(
  planId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; username: string; password: string }> {
  subscriberCount += 1;
  const password = `policy-pass-${subscriberCount}`;
  const created = await owner.post('/api/v1/subscribers', {
    username: `policy-${subscriberCount}`,
    password,
    planId,
    ...fields,
  });
  expect(created.status).toBe(201);
  return { ...created.body, password };
}

beforeAll(async () => {
  owner = await login(suite.kiunga.baseUrl, first().owner);
});

afterAll(async () => {
  // Leave the tenant's RADIUS settings as the seed had them for anything that runs after.
  await owner?.patch('/api/v1/settings/radius', { expiredAccountPolicy: 'reject' });
});

describe('the walled garden for expired and suspended accounts (per-ISP setting)', () => {
  it('accepts them into kiunga-expired at a trickle, asked again within five minutes', async () => {
    const patched = await owner.patch('/api/v1/settings/radius', { expiredAccountPolicy: 'walled_garden' });
    expect(patched.status).toBe(200);
    for (const status of ['expired', 'suspended']) {
      const account = first().subscribers.find((item) => item.status === status)!;
      const reply = await pppoeLogin(account.username, account.password, '02:00:00:07:0e:01');
      expect(reply.code).toBe('Access-Accept');
      expect(reply.attributes['Mikrotik-Address-List']).toBe('kiunga-expired');
      expect(reply.attributes['Mikrotik-Rate-Limit']).toBe('64k/64k');
      expect(reply.attributes['Session-Timeout']).toBe('300');
    }
    const active = first().subscribers.find((item) => item.status === 'active')!;
    const normal = await pppoeLogin(active.username, active.password, '02:00:00:07:0e:02');
    expect(normal.code).toBe('Access-Accept');
    expect(normal.attributes['Mikrotik-Address-List']).toBeUndefined();
    expect(normal.attributes['Mikrotik-Rate-Limit']).not.toBe('64k/64k');
    // Back to rejecting: the very next login already follows the setting.
    expect((await owner.patch('/api/v1/settings/radius', { expiredAccountPolicy: 'reject' })).status).toBe(
      200,
    );
    const expired = first().subscribers.find((item) => item.status === 'expired')!;
    const refused = await pppoeLogin(expired.username, expired.password, '02:00:00:07:0e:01');
    expect(refused.code).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toMatch(/expired/);
  });
});

describe("a plan's IP pool (RFC 2869 §5.18 Framed-Pool)", () => {
  it('is sent with every Accept of a subscriber on that plan', async () => {
    const plan = await createPppoePlan({ ipPool: 'pppoe-clients' });
    const account = await createSubscriber(plan.id);
    const reply = await pppoeLogin(account.username, account.password, '02:00:00:07:00:01');
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Framed-Pool']).toBe('pppoe-clients');
  });

  it('is not sent when the plan names none', async () => {
    const plan = await createPppoePlan();
    const account = await createSubscriber(plan.id);
    const reply = await pppoeLogin(account.username, account.password, '02:00:00:07:00:02');
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Framed-Pool']).toBeUndefined();
  });
});

describe("a subscriber's MAC address binds the account to that device", () => {
  it('lets the bound device in whatever spelling of its MAC the NAS uses, and refuses another one', async () => {
    const plan = await createPppoePlan();
    // Entered in the console in Cisco's spelling; a MikroTik sends capitals with colons.
    const account = await createSubscriber(plan.id, { macAddress: '0200.0007.a0b1' });
    expect((await pppoeLogin(account.username, account.password, '02:00:00:07:A0:B1')).code).toBe(
      'Access-Accept',
    );
    expect((await pppoeLogin(account.username, account.password, '02-00-00-07-a0-b1')).code).toBe(
      'Access-Accept',
    );
    const other = await pppoeLogin(account.username, account.password, '02:00:00:07:A0:B2');
    expect(other.code).toBe('Access-Reject');
    expect(other.attributes['Reply-Message']).toMatch(/registered to another device \(MAC address\)/);
    const unnamed = await auth({ 'User-Name': account.username, 'User-Password': account.password });
    expect(unnamed.code).toBe('Access-Reject');
    expect(unnamed.attributes['Reply-Message']).toMatch(/registered to another device/);
  });

  it('does not tell a caller with the wrong password about the binding', async () => {
    const plan = await createPppoePlan();
    const account = await createSubscriber(plan.id, { macAddress: '02:00:00:07:B0:01' });
    const reply = await pppoeLogin(account.username, 'not-the-password', '02:00:00:07:B0:02');
    expect(reply.code).toBe('Access-Reject');
    expect(reply.attributes['Reply-Message']).toMatch(/Wrong username or password/);
  });

  it('follows the binding as the ISP changes or removes it', async () => {
    const plan = await createPppoePlan();
    const account = await createSubscriber(plan.id, { macAddress: '02:00:00:07:C0:01' });
    const moved = await owner.patch(`/api/v1/subscribers/${account.id}`, { macAddress: '02:00:00:07:C0:02' });
    expect(moved.status).toBe(200);
    expect((await pppoeLogin(account.username, account.password, '02:00:00:07:C0:01')).code).toBe(
      'Access-Reject',
    );
    expect((await pppoeLogin(account.username, account.password, '02:00:00:07:C0:02')).code).toBe(
      'Access-Accept',
    );
  });
});

describe('a change the API acknowledged is honoured by the very next Access-Request', () => {
  it('rejects a subscriber suspended a moment ago, though the AAA server had just accepted it', async () => {
    const plan = await createPppoePlan();
    const account = await createSubscriber(plan.id);
    const login = () => pppoeLogin(account.username, account.password, '02:00:00:07:d0:01');
    expect((await login()).code).toBe('Access-Accept');
    expect((await owner.post(`/api/v1/subscribers/${account.id}/suspend`)).status).toBe(200);
    // No pause: the router reconnects right after the Disconnect-Request.
    const refused = await login();
    expect(refused.code).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toMatch(/suspended/);
    expect((await owner.post(`/api/v1/subscribers/${account.id}/reactivate`)).status).toBe(200);
    expect((await login()).code).toBe('Access-Accept');
  });

  it('rejects a voucher revoked a moment ago', async () => {
    const batch = await owner.post('/api/v1/vouchers', {
      planId: first().plans.find((item) => item.kind === 'hotspot')!.id,
      count: 1,
    });
    expect(batch.status).toBe(201);
    const voucher = batch.body.items[0] as { id: string; code: string };
    const login = () =>
      auth({
        'User-Name': voucher.code,
        'User-Password': voucher.code,
        'Calling-Station-Id': '02:00:00:07:d1:01',
      });
    expect((await login()).code).toBe('Access-Accept');
    expect((await owner.post(`/api/v1/vouchers/${voucher.id}/revoke`)).status).toBe(200);
    const refused = await login();
    expect(refused.code).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toMatch(/cancelled by your provider/);
  });

  it("gives the next Accept a plan's new rate", async () => {
    const plan = await createPppoePlan();
    const account = await createSubscriber(plan.id);
    const login = () => pppoeLogin(account.username, account.password, '02:00:00:07:d2:01');
    expect((await login()).attributes['Mikrotik-Rate-Limit']).toBe('3000k/6000k');
    expect(
      (await owner.patch(`/api/v1/plans/${plan.id}`, { rateUpKbps: 4000, rateDownKbps: 8000 })).status,
    ).toBe(200);
    const reply = await login();
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Mikrotik-Rate-Limit']).toBe('4000k/8000k');
  });
});
