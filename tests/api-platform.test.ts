// End to end: the platform operator's tenant lifecycle (create, list with figures, detail,
// suspend → read-only ISP, reactivate, archive → shard moved) and ISP self-registration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRequest, clientWithToken, login, uniqueEmail } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();

describe('platform tenants', () => {
  it('lists ISPs with status, tier and key figures, and shows one in detail', async () => {
    const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
    const list = await admin.get('/api/v1/platform/tenants');
    expect(list.status).toBe(200);
    const first = list.body.items.find((tenant: { id: string }) => tenant.id === suite.demo.tenants[0]!.id);
    expect(first).toMatchObject({ slug: suite.demo.tenants[0]!.slug, status: 'active', tier: 'tier2' });
    expect(first.owner.email).toBe(suite.demo.tenants[0]!.owner.email);
    expect(first.figures).toEqual({
      nas: 1,
      plans: suite.demo.tenants[0]!.plans.length,
      vouchers: suite.demo.tenants[0]!.vouchers.length,
      subscribers: suite.demo.tenants[0]!.subscribers.length,
      openSessions: 0,
    });
    const detail = await admin.get(`/api/v1/platform/tenants/${suite.demo.tenants[1]!.id}`);
    expect(detail.body.slug).toBe(suite.demo.tenants[1]!.slug);
    expect((await admin.get('/api/v1/platform/tenants/ten_nope')).body.error.code).toBe('tenant_not_found');
  });

  it('creates, suspends (read-only), reactivates and archives an ISP', async () => {
    const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
    const ownerEmail = uniqueEmail('lifecycle-owner');
    const created = await admin.post('/api/v1/platform/tenants', {
      name: 'Lifecycle Net',
      slug: 'lifecycle-net',
      tier: 'tier1',
      featureChoice: 'hotspot',
      owner: { email: ownerEmail },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', tier: 'tier1', featureChoice: 'hotspot' });
    const tenantId = created.body.id as string;
    expect(existsSync(join(suite.dataDir, 'tenants', `${tenantId}.db`))).toBe(true);
    const owner = await login(suite.kiunga.baseUrl, {
      email: ownerEmail,
      password: created.body.ownerTemporaryPassword,
    });
    // A generated password is changed at first use (tests/api-identity-password-change.test.ts).
    const ownerPassword = 'lifecycle owner password';
    const changed = await owner.post('/api/v1/auth/password', {
      currentPassword: created.body.ownerTemporaryPassword,
      newPassword: ownerPassword,
    });
    expect(changed.status).toBe(200);
    const duplicate = await admin.post('/api/v1/platform/tenants', {
      name: 'Again',
      slug: 'lifecycle-net',
      tier: 'tier2',
      owner: { email: uniqueEmail('dup') },
    });
    expect(duplicate.status).toBe(409);

    expect((await admin.post(`/api/v1/platform/tenants/${tenantId}/suspend`, {})).body.status).toBe(
      'suspended',
    );
    expect((await owner.get('/api/v1/roles')).status).toBe(200);
    const write = await owner.post('/api/v1/roles', { name: 'while suspended', permissions: [] });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('tenant_suspended');

    expect((await admin.post(`/api/v1/platform/tenants/${tenantId}/reactivate`, {})).body.status).toBe(
      'active',
    );
    expect((await owner.post('/api/v1/roles', { name: 'after reactivation', permissions: [] })).status).toBe(
      201,
    );

    const archived = await admin.post(`/api/v1/platform/tenants/${tenantId}/archive`, {});
    expect(archived.body.status).toBe('archived');
    expect(existsSync(join(suite.dataDir, 'tenants', `${tenantId}.db`))).toBe(false);
    expect(existsSync(join(suite.dataDir, 'tenants', 'archive', `${tenantId}.db`))).toBe(true);
    expect((await owner.get('/api/v1/me')).status).toBe(401);
    const relogin = await apiRequest(suite.kiunga.baseUrl, 'POST', '/api/v1/auth/login', {
      body: { email: ownerEmail, password: ownerPassword },
    });
    expect(relogin.status).toBe(401);
    expect((await admin.post(`/api/v1/platform/tenants/${tenantId}/reactivate`, {})).status).toBe(409);

    const actions = (await admin.get(`/api/v1/platform/audit?action=tenant.&limit=50`)).body.items
      .filter((entry: { target: string }) => entry.target === tenantId)
      .map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['tenant.archive', 'tenant.reactivate', 'tenant.suspend', 'tenant.create']);
  });

  it('keeps tenant routes for platform accounts only', async () => {
    const owner = await login(suite.kiunga.baseUrl, suite.demo.tenants[0]!.owner);
    const denied = await owner.post(`/api/v1/platform/tenants/${suite.demo.tenants[1]!.id}/suspend`, {});
    expect(denied.status).toBe(403);
    const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
    expect((await admin.get(`/api/v1/platform/tenants/${suite.demo.tenants[1]!.id}`)).body.status).toBe(
      'active',
    );
  });
});

describe('ISP self-registration', () => {
  it('creates a tier 1 ISP pending confirmation of its phone and email, with its owner signed in', async () => {
    const response = await apiRequest(suite.kiunga.baseUrl, 'POST', '/api/v1/registration', {
      body: {
        ispName: 'Mtaa Wifi',
        slug: 'mtaa-wifi',
        ownerEmail: uniqueEmail('mtaa'),
        ownerPassword: 'mtaa wifi password',
        phone: '0712 345 678',
        tier: 'tier1',
        featureChoice: 'pppoe',
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      tenantId: response.body.tenant.id,
      slug: 'mtaa-wifi',
      verification: { phone: 'pending', email: 'pending' },
    });
    expect(response.body.tenant).toMatchObject({
      slug: 'mtaa-wifi',
      status: 'trial',
      tier: 'tier1',
      featureChoice: 'pppoe',
    });
    const owner = clientWithToken(suite.kiunga.baseUrl, response.body.token);
    const me = (await owner.get('/api/v1/me')).body;
    expect(me).toMatchObject({ kind: 'isp_owner', tenantId: response.body.tenant.id });
    // Until the phone and email are confirmed the ISP's other routes answer signup_pending.
    const roles = await owner.get('/api/v1/roles');
    expect(roles.status).toBe(403);
    expect(roles.body.error).toMatchObject({
      code: 'signup_pending',
      details: { missing: ['phone', 'email'] },
    });
    const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
    const detail = (await admin.get(`/api/v1/platform/tenants/${response.body.tenant.id}`)).body;
    expect(detail.contactPhone).toBe('254712345678');
  });

  it('validates the form: tier 1 needs a feature choice, phone and slug must be valid', async () => {
    const response = await apiRequest(suite.kiunga.baseUrl, 'POST', '/api/v1/registration', {
      body: {
        ispName: 'Bad',
        slug: 'Bad Slug!',
        ownerEmail: 'not-an-email',
        ownerPassword: 'short',
        phone: '12345',
        tier: 'tier1',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const paths = (response.body.error.details as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'ownerEmail', 'ownerPassword', 'phone']));
  });
});
