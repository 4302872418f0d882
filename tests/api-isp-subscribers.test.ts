// End to end: subscribers and live sessions through the REST API, against RADIUS and a simulated NAS.
import { codec } from '@kiunga/aaa-server';
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { type NasSimulator, startNasSimulator } from '@kiunga/ops/sim/nas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let owner: ApiClient;
let simulator: NasSimulator;

const first = () => suite.demo.tenants[0]!;
const secret = () => first().nas[0]!.secret;
const auth = (attributes: Record<string, string | number>) =>
  radclient({ server: `127.0.0.1:${suite.kiunga.authPort}`, command: 'auth', secret: secret(), attributes });
const acct = (attributes: Record<string, string | number>) =>
  radclient({ server: `127.0.0.1:${suite.kiunga.acctPort}`, command: 'acct', secret: secret(), attributes });

beforeAll(async () => {
  owner = await login(suite.kiunga.baseUrl, first().owner);
  simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: secret(), behaviour: 'ack' });
  const patched = await owner.patch(`/api/v1/nas/${first().nas[0]!.id}`, { coaPort: simulator.port });
  expect(patched.status).toBe(200);
});

afterAll(async () => {
  await simulator?.close();
});

const pppoePlan = () => first().plans.find((plan) => plan.kind === 'pppoe')!;

async function startSession(username: string, acctSessionId: string, mac: string): Promise<string> {
  const reply = await acct({
    'User-Name': username,
    'Acct-Session-Id': acctSessionId,
    'Acct-Status-Type': 'Start',
    'Calling-Station-Id': mac,
    'Framed-IP-Address': '10.5.50.9',
  });
  expect(reply.code).toBe('Accounting-Response');
  const sessions = await owner.get('/api/v1/sessions?limit=200');
  const session = sessions.body.items.find(
    (item: { acctSessionId: string }) => item.acctSessionId === acctSessionId,
  );
  expect(session).toBeDefined();
  return session.id as string;
}

function disconnectsFor(acctSessionId: string) {
  return simulator.received.filter(
    (request) =>
      request.code === PacketCode.DisconnectRequest &&
      codec.getString(request.packet, Attribute.AcctSessionId) === acctSessionId,
  );
}

describe('subscribers', () => {
  it('creates a PPPoE subscriber with a generated password shown once, which authenticates with PAP', async () => {
    const created = await owner.post('/api/v1/subscribers', {
      username: 'api-wambui',
      planId: pppoePlan().id,
      fullName: 'Wambui Njeri',
      phone: '254712000111',
      macAddress: '02-00-00-aa-bb-cc',
    });
    expect(created.status).toBe(201);
    expect(created.body.password).toMatch(/^\S{12}$/);
    expect(created.body.accountNumber).toMatch(/^\d{7}$/);
    expect(created.body).toMatchObject({ kind: 'pppoe', status: 'active', macAddress: '02:00:00:AA:BB:CC' });
    expect(created.body.expiresAt).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    const fetched = await owner.get(`/api/v1/subscribers/${created.body.id}`);
    expect(fetched.body.password).toBeUndefined();
    expect(fetched.text).not.toContain('password');

    // Bound to its MAC address: the router names the device, as a MikroTik PPPoE server does.
    const reply = await auth({
      'User-Name': 'api-wambui',
      'User-Password': created.body.password,
      'Calling-Station-Id': '02:00:00:AA:BB:CC',
    });
    expect(reply.code).toBe('Access-Accept');
    expect((await auth({ 'User-Name': 'api-wambui', 'User-Password': 'wrong-password' })).code).toBe(
      'Access-Reject',
    );
  });

  it('validates input and refuses duplicate usernames and account numbers', async () => {
    const base = { planId: pppoePlan().id, password: 'long-enough-1' };
    expect((await owner.post('/api/v1/subscribers', { ...base, username: 'x' })).status).toBe(400);
    const short = await owner.post('/api/v1/subscribers', {
      ...base,
      username: 'short-pass',
      password: 'abc',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_failed');
    const taken = await owner.post('/api/v1/subscribers', {
      ...base,
      username: first().subscribers[0]!.username,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/username/);
    const account = await owner.post('/api/v1/subscribers', {
      ...base,
      username: 'api-dup-account',
      accountNumber: first().subscribers[0]!.accountNumber,
    });
    expect(account.status).toBe(409);
    expect(account.body.error.message).toMatch(/account number/);
    const hotspot = first().plans.find((plan) => plan.kind === 'hotspot')!;
    expect(
      (await owner.post('/api/v1/subscribers', { ...base, username: 'api-hot', planId: hotspot.id })).status,
    ).toBe(400);
    const staticPlan = first().plans.find((plan) => plan.kind === 'static');
    if (staticPlan) {
      const noIp = await owner.post('/api/v1/subscribers', {
        ...base,
        username: 'api-static',
        planId: staticPlan.id,
      });
      expect(noIp.status).toBe(400);
      const withIp = await owner.post('/api/v1/subscribers', {
        ...base,
        username: 'api-static',
        planId: staticPlan.id,
        staticIp: '10.77.0.10',
      });
      expect(withIp.status).toBe(201);
      expect(withIp.body.kind).toBe('static');
    }
  });

  it('searches by username, account, name and phone, with pagination', async () => {
    const byName = await owner.get('/api/v1/subscribers?q=wambui');
    expect(byName.body.items.map((item: { username: string }) => item.username)).toEqual(['api-wambui']);
    const byPhone = await owner.get('/api/v1/subscribers?q=712000111');
    expect(byPhone.body.items).toHaveLength(1);
    const account = first().subscribers[1]!;
    const byAccount = await owner.get(`/api/v1/subscribers?q=${account.accountNumber}`);
    expect(byAccount.body.items.map((item: { id: string }) => item.id)).toContain(account.id);
    const suspended = await owner.get('/api/v1/subscribers?status=suspended');
    expect(suspended.body.items.every((item: { status: string }) => item.status === 'suspended')).toBe(true);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await owner.get(
        `/api/v1/subscribers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const item of page.body.items) seen.add(item.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    for (const subscriber of first().subscribers) expect(seen.has(subscriber.id)).toBe(true);
  });

  it('edits, changes plan with CoA, suspends with Disconnect, reactivates and deletes', async () => {
    const created = await owner.post('/api/v1/subscribers', {
      username: 'api-otieno',
      password: 'otieno-pass-1',
      planId: pppoePlan().id,
    });
    const id = created.body.id as string;
    const edited = await owner.patch(`/api/v1/subscribers/${id}`, {
      fullName: 'Otieno Ouma',
      password: 'new-pass-123',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.fullName).toBe('Otieno Ouma');
    await new Promise((done) => setTimeout(done, 300));
    expect((await auth({ 'User-Name': 'api-otieno', 'User-Password': 'new-pass-123' })).code).toBe(
      'Access-Accept',
    );

    await startSession('api-otieno', 'a0000001', '02:00:00:00:0a:01');
    const newPlan = await owner.post('/api/v1/plans', {
      name: 'Home 20M',
      kind: 'pppoe',
      priceCents: 400000,
      rateUpKbps: 10000,
      rateDownKbps: 20000,
    });
    const changed = await owner.post(`/api/v1/subscribers/${id}/change-plan`, { planId: newPlan.body.id });
    expect(changed.status).toBe(200);
    expect(changed.body.planId).toBe(newPlan.body.id);
    expect(changed.body.rateChange).toEqual({ sessions: 1, acknowledged: 1 });
    const coa = simulator.received.find(
      (request) =>
        request.code === PacketCode.CoaRequest &&
        codec.getString(request.packet, Attribute.UserName) === 'api-otieno',
    );
    expect(codec.getVendorString(coa!.packet, VendorId.Mikrotik, MikrotikAttribute.RateLimit)).toBe(
      '10000k/20000k',
    );

    const suspended = await owner.post(`/api/v1/subscribers/${id}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.disconnected).toEqual({ sessions: 1, acknowledged: 1 });
    expect(disconnectsFor('a0000001')).toHaveLength(1);
    await new Promise((done) => setTimeout(done, 300));
    expect((await auth({ 'User-Name': 'api-otieno', 'User-Password': 'new-pass-123' })).code).toBe(
      'Access-Reject',
    );

    const reactivated = await owner.post(`/api/v1/subscribers/${id}/reactivate`);
    expect(reactivated.body.status).toBe('active');
    await new Promise((done) => setTimeout(done, 300));
    expect((await auth({ 'User-Name': 'api-otieno', 'User-Password': 'new-pass-123' })).code).toBe(
      'Access-Accept',
    );

    expect((await owner.delete(`/api/v1/subscribers/${id}`)).status).toBe(200);
    expect((await owner.get(`/api/v1/subscribers/${id}`)).status).toBe(404);
    await new Promise((done) => setTimeout(done, 300));
    expect((await auth({ 'User-Name': 'api-otieno', 'User-Password': 'new-pass-123' })).code).toBe(
      'Access-Reject',
    );
  });
});

describe('technicians', () => {
  it('create subscribers through the same endpoints, and may not touch plans or vouchers', async () => {
    const role = await owner.post('/api/v1/roles', {
      name: 'Field technician',
      permissions: ['subscribers.read', 'subscribers.write', 'plans.read', 'sessions.read'],
    });
    expect(role.status).toBe(201);
    const password = 'technician-pass-2026';
    const user = await owner.post('/api/v1/users', {
      email: 'tech@kilimani.example',
      password,
      kind: 'technician',
      roleId: role.body.id,
    });
    expect(user.status).toBe(201);
    const technician = await login(suite.kiunga.baseUrl, { email: 'tech@kilimani.example', password });
    const plans = await technician.get('/api/v1/plans?kind=pppoe');
    expect(plans.status).toBe(200);
    const created = await technician.post('/api/v1/subscribers', {
      username: 'api-field-1',
      password: 'field-pass-123',
      planId: plans.body.items[0].id,
      fullName: 'Field Client',
    });
    expect(created.status).toBe(201);
    expect((await auth({ 'User-Name': 'api-field-1', 'User-Password': 'field-pass-123' })).code).toBe(
      'Access-Accept',
    );
    const planWrite = await technician.post('/api/v1/plans', {
      name: 'x',
      kind: 'pppoe',
      priceCents: 1,
      rateUpKbps: 1,
      rateDownKbps: 1,
    });
    expect(planWrite.status).toBe(403);
    expect(planWrite.body.error.code).toBe('forbidden');
    expect((await technician.get('/api/v1/vouchers')).status).toBe(403);
    expect((await technician.post(`/api/v1/nas/${first().nas[0]!.id}/rotate-secret`)).status).toBe(403);
  });
});

describe('sessions', () => {
  it('lists a live voucher session with filters, disconnects it through the NAS, and keeps history', async () => {
    const voucher = first().vouchers[0]!;
    const sessionId = await startSession(voucher.code, 'b0000001', '02:00:00:00:0b:01');
    const byVoucher = await owner.get(`/api/v1/sessions?voucherId=${voucher.id}`);
    expect(byVoucher.body.items).toHaveLength(1);
    expect(byVoucher.body.items[0]).toMatchObject({
      id: sessionId,
      username: voucher.code,
      subjectKind: 'voucher',
      nasId: first().nas[0]!.id,
      status: 'open',
    });
    expect(byVoucher.body.items[0].uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect((await owner.get('/api/v1/sessions?nasId=nas_other')).body.items).toHaveLength(0);
    expect((await owner.get(`/api/v1/sessions/${sessionId}`)).body.acctSessionId).toBe('b0000001');

    const disconnected = await owner.post(`/api/v1/sessions/${sessionId}/disconnect`);
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toEqual({ outcome: 'ack' });
    const [request] = disconnectsFor('b0000001');
    expect(codec.getString(request!.packet, Attribute.UserName)).toBe(voucher.code);
    expect((await owner.post('/api/v1/sessions/ses_unknown/disconnect')).status).toBe(404);

    const stop = await acct({
      'User-Name': voucher.code,
      'Acct-Session-Id': 'b0000001',
      'Acct-Status-Type': 'Stop',
      'Acct-Session-Time': 42,
      'Acct-Input-Octets': 1000,
      'Acct-Output-Octets': 2000,
      'Acct-Terminate-Cause': 'Admin-Reset',
    });
    expect(stop.code).toBe('Accounting-Response');
    await expect
      .poll(
        async () => (await owner.get(`/api/v1/sessions/history?voucherId=${voucher.id}`)).body.items.length,
        {
          timeout: 5_000,
        },
      )
      .toBe(1);
    const history = await owner.get(`/api/v1/sessions/history?voucherId=${voucher.id}`);
    expect(history.body.items[0]).toMatchObject({ id: sessionId, status: 'closed', uptimeSeconds: 42 });
    expect(
      (await owner.get('/api/v1/sessions')).body.items.some((item: { id: string }) => item.id === sessionId),
    ).toBe(false);
  });
});
