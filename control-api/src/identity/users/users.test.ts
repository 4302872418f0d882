// Staff, technician and sub-admin accounts in-process: create (one account path, a temporary
// password shown once), list, change, reset, delete; validation errors; ISP B never sees ISP A's staff.
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, type TestIsp, useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

async function roleIdOf(token: string, name: string, prefix = '/api/v1'): Promise<string> {
  const roles = await kiunga().request('GET', `${prefix}/roles`, { token });
  const role = roles.body.items.find((item: { name: string }) => item.name === name);
  if (!role) throw new Error(`no built-in role ${name}: ${JSON.stringify(roles.body)}`);
  return role.id;
}

async function createTechnician(isp: TestIsp, email: string) {
  return kiunga().request('POST', '/api/v1/users', {
    token: isp.token,
    body: { email, kind: 'technician', roleId: await roleIdOf(isp.token, 'technician') },
  });
}

describe('ISP staff accounts', () => {
  it('creates a technician with a one-time password they must change, lists and edits it', async () => {
    const isp = await kiunga().createIsp('staff-a');
    const created = await createTechnician(isp, 'Tech@Staff-A.example');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'tech@staff-a.example',
      kind: 'technician',
      tenantId: isp.tenantId,
      status: 'active',
      totpEnabled: false,
    });
    const signIn = await kiunga().request('POST', '/api/v1/auth/login', {
      body: { email: 'tech@staff-a.example', password: created.body.temporaryPassword },
    });
    expect(signIn.body.mustChangePassword).toBe(true);

    const list = await kiunga().request('GET', '/api/v1/users?kind=technician', { token: isp.token });
    expect(list.body.items.map((user: { id: string }) => user.id)).toEqual([created.body.id]);
    const disabled = await kiunga().request('PATCH', `/api/v1/users/${created.body.id}`, {
      token: isp.token,
      body: { status: 'disabled', displayName: 'Field tech' },
    });
    expect(disabled.body).toMatchObject({ status: 'disabled', displayName: 'Field tech' });
    const refused = await kiunga().request('POST', '/api/v1/auth/login', {
      body: { email: 'tech@staff-a.example', password: created.body.temporaryPassword },
    });
    expect(refused.status).toBe(401);

    const reset = await kiunga().request('POST', `/api/v1/users/${created.body.id}/reset-password`, {
      token: isp.token,
      body: { password: 'chosen by the boss' },
    });
    expect(reset.body).toEqual({ id: created.body.id });
    const deleted = await kiunga().request('DELETE', `/api/v1/users/${created.body.id}`, {
      token: isp.token,
    });
    expect(deleted.status).toBe(204);
    expect(
      (await kiunga().request('GET', `/api/v1/users/${created.body.id}`, { token: isp.token })).status,
    ).toBe(404);
  });

  it('refuses bad input, a taken email and a kind outside the scope', async () => {
    const isp = await kiunga().createIsp('staff-b');
    const invalid = await kiunga().request('POST', '/api/v1/users', {
      token: isp.token,
      body: { email: 'not an email', kind: 'technician', roleId: 'x', password: 'short' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect(invalid.body.error.message).toMatch(/email/);
    expect(invalid.body.error.message).toMatch(/password/);
    const taken = await createTechnician(isp, 'owner@staff-b.example');
    expect(taken.status).toBe(409);
    const wrongKind = await kiunga().request('POST', '/api/v1/users', {
      token: isp.token,
      body: {
        email: 'sub@staff-b.example',
        kind: 'platform_staff',
        roleId: await roleIdOf(isp.token, 'technician'),
      },
    });
    expect(wrongKind.status).toBe(400);
    const noChange = await kiunga().request('PATCH', `/api/v1/users/${isp.ownerId}`, {
      token: isp.token,
      body: {},
    });
    expect(noChange.status).toBe(404);
  });

  it("keeps ISP A's staff out of ISP B's reach", async () => {
    const first = await kiunga().createIsp('staff-c');
    const second = await kiunga().createIsp('staff-d');
    const technician = await createTechnician(first, 'tech@staff-c.example');
    const list = await kiunga().request('GET', '/api/v1/users', { token: second.token });
    expect(list.body.items).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/api/v1/users/${technician.body.id}`, undefined],
      ['PATCH', `/api/v1/users/${technician.body.id}`, { status: 'disabled' }],
      ['POST', `/api/v1/users/${technician.body.id}/reset-password`, {}],
      ['DELETE', `/api/v1/users/${technician.body.id}`, undefined],
    ] as const) {
      const answer = await kiunga().request(method, path, { token: second.token, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    const unchanged = await kiunga().request('GET', `/api/v1/users/${technician.body.id}`, {
      token: first.token,
    });
    expect(unchanged.body.status).toBe('active');
  });
});

describe('platform sub-admins', () => {
  it('the super admin creates a sub-admin; ISP owners cannot reach platform accounts', async () => {
    const root = await kiunga().superAdminToken();
    const roles = await kiunga().request('GET', '/api/v1/platform/roles', { token: root });
    const created = await kiunga().request('POST', '/api/v1/platform/users', {
      token: root,
      body: {
        email: 'helper@platform.example',
        kind: 'platform_staff',
        roleId: roles.body.items[0].id,
        password: 'a sub-admin password',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'platform_staff', tenantId: null });
    expect(created.body.temporaryPassword).toBeUndefined();
    const isp = await kiunga().createIsp('staff-e');
    const refused = await kiunga().request('GET', `/api/v1/platform/users/${created.body.id}`, {
      token: isp.token,
    });
    expect(refused.status).toBe(403);
  });
});

describe('account pages', () => {
  it('the ISP owner adds a technician on /isp/staff and sees the one-time password', async () => {
    const isp = await kiunga().createIsp('staff-pages');
    const session = await kiunga().signIn('owner@staff-pages.example', TEST_PASSWORD);
    const created = await kiunga().page(session, '/isp/staff', {
      email: 'fundi@staff-pages.example',
      displayName: 'Fundi',
      kind: 'technician',
      roleId: await roleIdOf(isp.token, 'technician'),
    });
    expect(created.status).toBe(201);
    expect(created.html).toContain('fundi@staff-pages.example');
    expect(created.html).toMatch(/data-temporary-password[^>]*>[A-Za-z0-9_-]{12}</);
    const list = await kiunga().page(session, '/isp/staff');
    expect(list.html).toContain('fundi@staff-pages.example');
  });

  it('the super admin sees sub-admins on /platform/admins; an ISP owner is sent away', async () => {
    await kiunga().superAdminToken();
    const root = await kiunga().signIn('root@platform.example', TEST_PASSWORD);
    const page = await kiunga().page(root, '/platform/admins');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sub-admins');
    await kiunga().createIsp('staff-pages-b');
    const owner = await kiunga().signIn('owner@staff-pages-b.example', TEST_PASSWORD);
    const refused = await kiunga().page(owner, '/platform/admins');
    expect(refused.status).not.toBe(200);
  });
});
