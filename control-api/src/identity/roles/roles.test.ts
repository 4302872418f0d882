// /api/v1/roles in-process: built-in and custom roles of an ISP, the grant rules, and that one ISP
// never sees or changes another's roles (app.request() on test databases, no server).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  errorCodeOf,
  jsonOf,
  signInWithToken,
  type TestApp,
  type TestIsp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';

const opened = useTwoIspApp('roles');
let testApp: TestApp;
let ispA: TestIsp;
let callAsA: ReturnType<typeof apiClient>;
let callAsB: ReturnType<typeof apiClient>;

beforeAll(async () => {
  testApp = opened();
  ({ ispA } = opened());
  callAsA = apiClient(testApp, await signInWithToken(testApp, ispA.ownerEmail));
  callAsB = apiClient(testApp, await signInWithToken(testApp, opened().ispB.ownerEmail));
});

interface Role {
  id: string;
  name: string;
  permissions: string[];
  isBuiltIn: boolean;
}

describe('ISP roles', () => {
  it('lists the built-in roles, read-only', async () => {
    const roles = await jsonOf<{ items: Role[] }>(await callAsA('GET', '/api/v1/roles'));
    expect(roles.items.map((role) => role.name)).toEqual(['cashier', 'manager', 'technician']);
    const cashier = roles.items.find((role) => role.name === 'cashier');
    const change = await callAsA('PATCH', `/api/v1/roles/${cashier?.id}`, { name: 'till' });
    expect(change.status).toBe(403);
  });

  it('creates, renames, re-permissions and deletes a custom role', async () => {
    const created = await callAsA('POST', '/api/v1/roles', {
      name: 'night shift',
      permissions: ['vouchers.write', 'vouchers.read', 'vouchers.read'],
    });
    expect(created.status).toBe(201);
    const role = await jsonOf<Role>(created);
    expect(role).toMatchObject({
      name: 'night shift',
      permissions: ['vouchers.read', 'vouchers.write'],
      isBuiltIn: false,
    });

    const duplicate = await callAsA('POST', '/api/v1/roles', { name: 'night shift', permissions: [] });
    expect(duplicate.status).toBe(409);

    const updated = await callAsA('PATCH', `/api/v1/roles/${role.id}`, {
      name: 'late shift',
      permissions: ['sessions.read'],
    });
    expect(await jsonOf<Role>(updated)).toMatchObject({ name: 'late shift', permissions: ['sessions.read'] });
    expect(await jsonOf<Role>(await callAsA('GET', `/api/v1/roles/${role.id}`))).toMatchObject({
      name: 'late shift',
    });

    expect((await callAsA('DELETE', `/api/v1/roles/${role.id}`)).status).toBe(204);
    expect((await callAsA('GET', `/api/v1/roles/${role.id}`)).status).toBe(404);
  });

  it('refuses unknown permissions, bad names and an empty change with 400 validation_failed', async () => {
    const unknown = await callAsA('POST', '/api/v1/roles', { name: 'odd', permissions: ['tenants.write'] });
    expect(unknown.status).toBe(400);
    expect(await errorCodeOf(unknown)).toBe('validation_failed');
    const badName = await callAsA('POST', '/api/v1/roles', { name: '<script>', permissions: [] });
    expect(await errorCodeOf(badName)).toBe('validation_failed');
    const role = await jsonOf<Role>(
      await callAsA('POST', '/api/v1/roles', { name: 'empty change', permissions: [] }),
    );
    const empty = await callAsA('PATCH', `/api/v1/roles/${role.id}`, {});
    expect(await errorCodeOf(empty)).toBe('validation_failed');
  });

  it("keeps ISP B away from ISP A's roles: not listed, not readable, not changeable", async () => {
    const role = await jsonOf<Role>(
      await callAsA('POST', '/api/v1/roles', { name: 'only for a', permissions: ['plans.read'] }),
    );
    const listedForB = await jsonOf<{ items: Role[] }>(await callAsB('GET', '/api/v1/roles'));
    expect(listedForB.items.map((each) => each.id)).not.toContain(role.id);
    expect((await callAsB('GET', `/api/v1/roles/${role.id}`)).status).toBe(404);
    expect((await callAsB('PATCH', `/api/v1/roles/${role.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await callAsB('DELETE', `/api/v1/roles/${role.id}`)).status).toBe(404);
    expect(await jsonOf<Role>(await callAsA('GET', `/api/v1/roles/${role.id}`))).toMatchObject({
      name: 'only for a',
    });
  });

  it('answers 401 without a token', async () => {
    expect((await apiClient(testApp, null)('GET', '/api/v1/roles')).status).toBe(401);
  });
});

describe('the role editor (/isp/roles)', () => {
  it('lists the roles, creates one from the form and says so', async () => {
    const browser = await testApp.signIn(ispA.ownerEmail);
    expect(await (await browser.get('/isp/roles')).text()).toContain('manager');
    const created = await browser.post('/isp/roles', { name: 'from the page', permissions: ['plans.read'] });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/isp/roles');
    expect(await (await browser.get('/isp/roles')).text()).toContain('Role “from the page” created.');
  });
});
