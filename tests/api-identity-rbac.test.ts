// End to end: the RBAC matrix (each role × representative endpoints → 2xx or 403), tenant
// isolation of users, roles, API keys and audit, and the audit log written for every change.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from './support/api-client';
import {
  type ApiClient,
  clientWithToken,
  createAccount,
  login,
  uniqueEmail,
} from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();
const clients = new Map<string, ApiClient>();

beforeAll(async () => {
  const base = suite.kiunga.baseUrl;
  const admin = await login(base, suite.demo.superAdmin);
  const owner = await login(base, suite.demo.tenants[0]!.owner);
  clients.set('super_admin', admin);
  for (const roleName of ['support', 'finance', 'read-only']) {
    const account = await createAccount(base, admin, { scope: 'platform', kind: 'platform_staff', roleName });
    clients.set(roleName, account.client);
  }
  clients.set('isp_owner', owner);
  for (const [roleName, kind] of [
    ['manager', 'isp_staff'],
    ['cashier', 'isp_staff'],
    ['technician', 'technician'],
  ]) {
    const account = await createAccount(base, owner, { scope: 'isp', kind: kind!, roleName: roleName! });
    clients.set(roleName!, account.client);
  }
  const key = await owner.post('/api/v1/api-keys', { name: 'matrix', permissions: ['audit.read'] });
  clients.set('api_key', clientWithToken(base, key.body.key));
});

let roleSequence = 0;
const newRoleBody = () => {
  roleSequence += 1;
  return { name: `matrix role ${roleSequence}`, permissions: [] };
};

/** Representative endpoints, each with the permission it stands for. Extend freely. */
const endpoints: Record<string, (client: ApiClient) => Promise<ApiResponse>> = {
  'GET platform/tenants': (client) => client.get('/api/v1/platform/tenants?limit=5'),
  'POST platform/roles': (client) => client.post('/api/v1/platform/roles', newRoleBody()),
  'GET platform/users': (client) => client.get('/api/v1/platform/users'),
  'GET platform/audit': (client) => client.get('/api/v1/platform/audit?limit=5'),
  'GET users': (client) => client.get('/api/v1/users'),
  'POST roles': (client) => client.post('/api/v1/roles', newRoleBody()),
  'GET audit': (client) => client.get('/api/v1/audit?limit=5'),
  'GET api-keys': (client) => client.get('/api/v1/api-keys'),
  'GET plans': (client) => client.get('/api/v1/plans'),
  'GET subscribers': (client) => client.get('/api/v1/subscribers'),
  'GET me': (client) => client.get('/api/v1/me'),
};

const Y = 'allow';
const N = 'deny';
// Columns in the order of `endpoints`.
const matrix: Record<string, string[]> = {
  super_admin: [Y, Y, Y, Y, N, N, N, N, N, N, Y],
  support: [Y, N, N, Y, N, N, N, N, N, N, Y],
  finance: [Y, N, N, N, N, N, N, N, N, N, Y],
  'read-only': [Y, N, N, Y, N, N, N, N, N, N, Y],
  isp_owner: [N, N, N, N, Y, Y, Y, Y, Y, Y, Y],
  manager: [N, N, N, N, N, N, Y, N, Y, Y, Y],
  cashier: [N, N, N, N, N, N, N, N, Y, Y, Y],
  technician: [N, N, N, N, N, N, N, N, Y, Y, Y],
  api_key: [N, N, N, N, N, N, Y, N, N, N, Y],
};

describe('RBAC matrix', () => {
  const cases = Object.entries(matrix).flatMap(([role, row]) =>
    Object.keys(endpoints).map((endpoint, index) => ({ role, endpoint, expected: row[index]! })),
  );
  it.each(cases)('$role → $endpoint: $expected', async ({ role, endpoint, expected }) => {
    const response = await endpoints[endpoint]!(clients.get(role)!);
    if (expected === Y) {
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
  });

  it('refuses privilege escalation: a role or account with rights the actor lacks', async () => {
    const owner = clients.get('isp_owner')!;
    const hr = await owner.post('/api/v1/roles', { name: 'hr', permissions: ['staff.manage'] });
    expect(hr.status).toBe(201);
    const hrAccount = await createAccount(suite.kiunga.baseUrl, owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'hr',
    });
    const escalate = await hrAccount.client.post('/api/v1/roles', {
      name: 'god',
      permissions: ['plans.write'],
    });
    expect(escalate.status).toBe(403);
    const roles = (await owner.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
    const manager = roles.find((role) => role.name === 'manager')!;
    const assign = await hrAccount.client.post('/api/v1/users', {
      email: uniqueEmail('escalate'),
      password: 'long enough pw',
      kind: 'isp_staff',
      roleId: manager.id,
    });
    expect(assign.status).toBe(403);
    const builtIn = await owner.patch(`/api/v1/roles/${manager.id}`, { permissions: ['plans.read'] });
    expect(builtIn.status).toBe(403);
  });
});

describe('tenant isolation of users, roles, API keys and audit', () => {
  it("ISP A's owner cannot see or change ISP B's records, and nothing changes", async () => {
    const base = suite.kiunga.baseUrl;
    const ownerA = clients.get('isp_owner')!;
    const ownerB = await login(base, suite.demo.tenants[1]!.owner);
    const userB = await createAccount(base, ownerB, {
      scope: 'isp',
      kind: 'technician',
      roleName: 'technician',
    });
    const roleB = (await ownerB.post('/api/v1/roles', { name: 'b only', permissions: ['plans.read'] })).body;
    const keyB = (await ownerB.post('/api/v1/api-keys', { name: 'b key', permissions: ['audit.read'] })).body;
    const attempts: Array<[string, Promise<{ status: number }>]> = [
      ['get user', ownerA.get(`/api/v1/users/${userB.id}`)],
      ['patch user', ownerA.patch(`/api/v1/users/${userB.id}`, { status: 'disabled' })],
      ['reset user', ownerA.post(`/api/v1/users/${userB.id}/reset-password`, {})],
      ['delete user', ownerA.delete(`/api/v1/users/${userB.id}`)],
      ['get role', ownerA.get(`/api/v1/roles/${roleB.id}`)],
      ['patch role', ownerA.patch(`/api/v1/roles/${roleB.id}`, { permissions: ['plans.write'] })],
      ['delete role', ownerA.delete(`/api/v1/roles/${roleB.id}`)],
      ['revoke key', ownerA.delete(`/api/v1/api-keys/${keyB.id}`)],
    ];
    for (const [label, attempt] of attempts) {
      const response = await attempt;
      expect([403, 404], label).toContain(response.status);
    }
    const foreignRole = await ownerA.post('/api/v1/users', {
      email: uniqueEmail('foreign-role'),
      password: 'long enough pw',
      kind: 'isp_staff',
      roleId: roleB.id,
    });
    expect(foreignRole.status).toBe(400);
    const usersA = (await ownerA.get('/api/v1/users')).body.items as Array<{ id: string }>;
    expect(usersA.map((user) => user.id)).not.toContain(userB.id);
    const auditA = (await ownerA.get('/api/v1/audit?limit=200')).body.items as Array<{ tenantId: string }>;
    expect(auditA.length).toBeGreaterThan(0);
    expect(auditA.every((entry) => entry.tenantId === suite.demo.tenants[0]!.id)).toBe(true);
    expect((await ownerA.get('/api/v1/platform/users')).status).toBe(403);

    // Nothing changed on B's side.
    expect((await ownerB.get(`/api/v1/users/${userB.id}`)).body.status).toBe('active');
    expect((await ownerB.get(`/api/v1/roles/${roleB.id}`)).body.permissions).toEqual(['plans.read']);
    expect((await clientWithToken(base, keyB.key).get('/api/v1/audit')).status).toBe(200);
    expect((await userB.client.get('/api/v1/me')).status).toBe(200);
    const auditB = (await ownerB.get('/api/v1/audit?limit=200')).body.items as Array<{ tenantId: string }>;
    expect(auditB.every((entry) => entry.tenantId === suite.demo.tenants[1]!.id)).toBe(true);
  });
});

describe('audit log', () => {
  it('records who changed what, when and from where; filters and pages', async () => {
    const owner = clients.get('isp_owner')!;
    const me = (await owner.get('/api/v1/me')).body;
    const before = Date.now();
    const role = await owner.post('/api/v1/roles', { name: 'audited', permissions: ['plans.read'] });
    expect(role.status).toBe(201);
    expect((await owner.patch(`/api/v1/roles/${role.body.id}`, { name: 'audited 2' })).status).toBe(200);
    expect((await owner.delete(`/api/v1/roles/${role.body.id}`)).status).toBe(204);
    const entries = (await owner.get(`/api/v1/audit?action=role.&actorId=${me.id}&from=${before}`)).body
      .items;
    const forRole = entries.filter((entry: { target: string }) => entry.target === role.body.id);
    expect(forRole.map((entry: { action: string }) => entry.action)).toEqual([
      'role.delete',
      'role.update',
      'role.create',
    ]);
    expect(forRole[2]).toMatchObject({ actorId: me.id, tenantId: me.tenantId, detail: { name: 'audited' } });
    expect(forRole[2].sourceAddress).toMatch(/127\.0\.0\.1/);
    expect(forRole[2].at).toBeGreaterThanOrEqual(before - 1_000);
    const exact = (await owner.get('/api/v1/audit?action=role.create&limit=200')).body.items;
    expect(exact.every((entry: { action: string }) => entry.action === 'role.create')).toBe(true);
    const future = (await owner.get(`/api/v1/audit?from=${Date.now() + 60_000}`)).body.items;
    expect(future).toEqual([]);
    const first = (await owner.get('/api/v1/audit?limit=1')).body;
    expect(first.items).toHaveLength(1);
    const second = (await owner.get(`/api/v1/audit?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items[0].id).toBeLessThan(first.items[0].id);
    const platformView = (
      await clients
        .get('super_admin')!
        .get(`/api/v1/platform/audit?tenantId=${me.tenantId}&action=role.create`)
    ).body.items;
    expect(platformView.length).toBeGreaterThan(0);
  });
});
