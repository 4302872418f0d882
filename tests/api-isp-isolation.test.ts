// Tenant isolation: with ISP A's token, every route family is tried with ISP B's ids; all answer 404 (or
// 403) and, read back with B's token, nothing of B's changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let ispA: ApiClient;
let ispB: ApiClient;

const a = () => suite.demo.tenants[0]!;
const b = () => suite.demo.tenants[1]!;

beforeAll(async () => {
  ispA = await login(suite.kiunga.baseUrl, a().owner);
  ispB = await login(suite.kiunga.baseUrl, b().owner);
});

interface Attempt {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Each attempt must be refused as if the id did not exist (404), or forbidden (403). */
async function expectRefused(client: ApiClient, attempts: Attempt[]): Promise<void> {
  for (const attempt of attempts) {
    const response = await client.request(attempt.method, attempt.path, attempt.body);
    expect([403, 404], `${attempt.method} ${attempt.path} answered ${response.status}`).toContain(
      response.status,
    );
    expect(response.body?.error?.code).toMatch(/^(not_found|forbidden)$/);
  }
}

describe('tenant isolation', () => {
  it('NAS: B’s router cannot be read, edited, re-keyed, scripted or removed by A', async () => {
    const nasId = b().nas[0]!.id;
    const before = (await ispB.get(`/api/v1/nas/${nasId}`)).body;
    await expectRefused(ispA, [
      { method: 'GET', path: `/api/v1/nas/${nasId}` },
      { method: 'PATCH', path: `/api/v1/nas/${nasId}`, body: { name: 'hijacked', coaPort: 1 } },
      { method: 'POST', path: `/api/v1/nas/${nasId}/rotate-secret` },
      { method: 'GET', path: `/api/v1/nas/${nasId}/routeros-script` },
      { method: 'GET', path: `/api/v1/nas/${nasId}/hotspot-login.html` },
      { method: 'DELETE', path: `/api/v1/nas/${nasId}` },
    ]);
    const list = await ispA.get('/api/v1/nas?limit=200');
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(nasId);
    expect((await ispB.get(`/api/v1/nas/${nasId}`)).body).toEqual(before);
    // B's NAS still works with its original secret: the rotate did not happen.
    const voucher = b().vouchers[0]!;
    const reply = await radclient({
      server: `127.0.0.1:${suite.kiunga.authPort}`,
      command: 'auth',
      secret: b().nas[0]!.secret,
      attributes: {
        'User-Name': voucher.code,
        'User-Password': voucher.code,
        'Packet-Src-IP-Address': '127.0.0.2',
      },
    });
    expect(reply.code).toBe('Access-Accept');
  });

  it('plans: B’s plan cannot be read, edited or deleted by A, nor used for A’s vouchers or subscribers', async () => {
    const plan = b().plans.find((item) => item.kind === 'hotspot')!;
    const pppoe = b().plans.find((item) => item.kind !== 'hotspot')!;
    const before = (await ispB.get(`/api/v1/plans/${plan.id}`)).body;
    await expectRefused(ispA, [
      { method: 'GET', path: `/api/v1/plans/${plan.id}` },
      { method: 'PATCH', path: `/api/v1/plans/${plan.id}`, body: { priceCents: 1 } },
      { method: 'DELETE', path: `/api/v1/plans/${plan.id}` },
      { method: 'POST', path: '/api/v1/vouchers', body: { planId: plan.id, count: 1 } },
      { method: 'POST', path: '/api/v1/subscribers', body: { username: 'intruder', planId: pppoe.id } },
    ]);
    expect(
      (await ispA.get('/api/v1/plans?limit=200')).body.items.map((item: { id: string }) => item.id),
    ).not.toContain(plan.id);
    expect((await ispB.get(`/api/v1/plans/${plan.id}`)).body).toEqual(before);
  });

  it('vouchers: B’s voucher and batch cannot be read, revoked, exported or printed by A', async () => {
    const voucher = (await ispB.get(`/api/v1/vouchers/${b().vouchers[0]!.id}`)).body;
    expect(voucher.batchId).toEqual(expect.any(String));
    await expectRefused(ispA, [
      { method: 'GET', path: `/api/v1/vouchers/${voucher.id}` },
      { method: 'POST', path: `/api/v1/vouchers/${voucher.id}/revoke` },
      { method: 'DELETE', path: `/api/v1/vouchers/${voucher.id}` },
      { method: 'GET', path: `/api/v1/vouchers/export.csv?batchId=${voucher.batchId}` },
      { method: 'GET', path: `/api/v1/vouchers/print?batchId=${voucher.batchId}` },
      { method: 'GET', path: `/api/v1/vouchers/print?batchId=${voucher.batchId}&format=pdf` },
    ]);
    const search = await ispA.get(`/api/v1/vouchers?q=${voucher.code}`);
    expect(search.body.items).toEqual([]);
    expect((await ispA.get(`/api/v1/vouchers?batchId=${voucher.batchId}`)).body.items).toEqual([]);
    expect((await ispB.get(`/api/v1/vouchers/${voucher.id}`)).body).toEqual(voucher);
  });

  it('subscribers: B’s subscriber cannot be read, edited, moved, suspended, reactivated or deleted by A', async () => {
    const subscriber = b().subscribers.find((item) => item.status === 'active')!;
    const aPlan = a().plans.find((item) => item.kind === 'pppoe')!;
    const before = (await ispB.get(`/api/v1/subscribers/${subscriber.id}`)).body;
    await expectRefused(ispA, [
      { method: 'GET', path: `/api/v1/subscribers/${subscriber.id}` },
      { method: 'PATCH', path: `/api/v1/subscribers/${subscriber.id}`, body: { fullName: 'hijacked' } },
      {
        method: 'POST',
        path: `/api/v1/subscribers/${subscriber.id}/change-plan`,
        body: { planId: aPlan.id },
      },
      { method: 'POST', path: `/api/v1/subscribers/${subscriber.id}/suspend` },
      { method: 'POST', path: `/api/v1/subscribers/${subscriber.id}/reactivate` },
      { method: 'DELETE', path: `/api/v1/subscribers/${subscriber.id}` },
    ]);
    const search = await ispA.get(`/api/v1/subscribers?q=${subscriber.username}`);
    expect(search.body.items).toEqual([]);
    expect((await ispB.get(`/api/v1/subscribers/${subscriber.id}`)).body).toEqual(before);
  });

  it('sessions: B’s live session cannot be listed, read or disconnected by A', async () => {
    const voucher = b().vouchers[1]!;
    const start = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: b().nas[0]!.secret,
      attributes: {
        'User-Name': voucher.code,
        'Acct-Session-Id': 'c0000001',
        'Acct-Status-Type': 'Start',
        'Calling-Station-Id': '02:00:00:00:0c:01',
        'Packet-Src-IP-Address': '127.0.0.2',
      },
    });
    expect(start.code).toBe('Accounting-Response');
    const live = (await ispB.get('/api/v1/sessions')).body.items;
    const session = live.find((item: { acctSessionId: string }) => item.acctSessionId === 'c0000001');
    expect(session).toBeDefined();
    await expectRefused(ispA, [
      { method: 'GET', path: `/api/v1/sessions/${session.id}` },
      { method: 'POST', path: `/api/v1/sessions/${session.id}/disconnect` },
    ]);
    const aLive = await ispA.get(`/api/v1/sessions?voucherId=${voucher.id}`);
    expect(aLive.body.items).toEqual([]);
    expect(
      (await ispA.get('/api/v1/sessions')).body.items.map((item: { id: string }) => item.id),
    ).not.toContain(session.id);
    expect((await ispA.get(`/api/v1/sessions/history?voucherId=${voucher.id}`)).body.items).toEqual([]);
    const after = await ispB.get(`/api/v1/sessions/${session.id}`);
    expect(after.body.status).toBe('open');
  });

  it('branding and settings: A’s changes stay in A', async () => {
    const brandingB = (await ispB.get('/api/v1/branding')).body;
    const radiusB = (await ispB.get('/api/v1/settings/radius')).body;
    expect(
      (await ispA.patch('/api/v1/branding', { displayName: 'A only', primaryColor: '#123456' })).status,
    ).toBe(200);
    expect((await ispA.patch('/api/v1/settings/radius', { idleTimeoutSeconds: 120 })).status).toBe(200);
    expect((await ispA.get('/api/v1/branding')).body.displayName).toBe('A only');
    expect((await ispB.get('/api/v1/branding')).body).toEqual(brandingB);
    expect((await ispB.get('/api/v1/settings/radius')).body).toEqual(radiusB);
  });

  it('the super admin, who has no ISP, is refused ISP resources', async () => {
    const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
    const plans = await admin.get('/api/v1/plans');
    expect(plans.status).toBe(403);
    expect((await admin.get(`/api/v1/nas/${b().nas[0]!.id}`)).status).toBe(403);
  });
});
