// /api/v1/api-keys in-process: a key is shown once, works as a Bearer token with only its permissions,
// stops at revocation, and one ISP never sees or revokes another's (app.request() on test databases).
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

const opened = useTwoIspApp('keys');
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

interface ApiKey {
  id: string;
  name: string;
  permissions: string[];
  revokedAt: number | null;
  key?: string;
}

async function createKey(name: string, permissions: string[]): Promise<ApiKey & { key: string }> {
  const response = await callAsA('POST', '/api/v1/api-keys', { name, permissions });
  expect(response.status).toBe(201);
  return jsonOf(response);
}

describe('API keys', () => {
  it('are shown once, listed without their secret, and work with only their permissions', async () => {
    const created = await createKey('billing export', ['plans.read', 'plans.read']);
    expect(created.key).toMatch(/^kiu_/);
    expect(created.permissions).toEqual(['plans.read']);
    const listed = await jsonOf<{ items: ApiKey[] }>(await callAsA('GET', '/api/v1/api-keys'));
    const entry = listed.items.find((each) => each.id === created.id);
    expect(entry).toMatchObject({ name: 'billing export', revokedAt: null });
    expect(entry).not.toHaveProperty('key');

    const asKey = apiClient(testApp, created.key);
    expect((await asKey('GET', '/api/v1/plans')).status).toBe(200);
    expect((await asKey('GET', '/api/v1/vouchers')).status).toBe(403);
  });

  it('stop working at once when revoked; revoking again changes nothing', async () => {
    const created = await createKey('to revoke', ['plans.read']);
    expect((await callAsA('DELETE', `/api/v1/api-keys/${created.id}`)).status).toBe(204);
    expect((await apiClient(testApp, created.key)('GET', '/api/v1/plans')).status).toBe(401);
    expect((await callAsA('DELETE', `/api/v1/api-keys/${created.id}`)).status).toBe(204);
    const listed = await jsonOf<{ items: ApiKey[] }>(await callAsA('GET', '/api/v1/api-keys'));
    expect(listed.items.find((each) => each.id === created.id)?.revokedAt).toBe(testApp.clock.now());
  });

  it('refuse an empty name or unknown permission (400) and permissions the creator lacks (403)', async () => {
    const noName = await callAsA('POST', '/api/v1/api-keys', { name: ' ', permissions: ['plans.read'] });
    expect(noName.status).toBe(400);
    const unknown = await callAsA('POST', '/api/v1/api-keys', {
      name: 'odd',
      permissions: ['tenants.write'],
    });
    expect(unknown.status).toBe(400);
    expect(await errorCodeOf(unknown)).toBe('validation_failed');
    // A key that may manage keys cannot mint one with more than it holds.
    const keyManager = await createKey('key manager', ['api_keys.manage']);
    const wider = await apiClient(testApp, keyManager.key)('POST', '/api/v1/api-keys', {
      name: 'wider',
      permissions: ['plans.read'],
    });
    expect(wider.status).toBe(403);
  });

  it('of ISP A are neither listed for ISP B nor revocable by it', async () => {
    const created = await createKey('only for a', ['plans.read']);
    const listedForB = await jsonOf<{ items: ApiKey[] }>(await callAsB('GET', '/api/v1/api-keys'));
    expect(listedForB.items.map((each) => each.id)).not.toContain(created.id);
    expect((await callAsB('DELETE', `/api/v1/api-keys/${created.id}`)).status).toBe(404);
    expect((await apiClient(testApp, created.key)('GET', '/api/v1/plans')).status).toBe(200);
  });
});

describe('the API keys page (/isp/api-keys)', () => {
  it('creates a key and shows it once, and sends an incomplete form back with the reason', async () => {
    const browser = await testApp.signIn(ispA.ownerEmail);
    expect(await (await browser.get('/isp/api-keys')).text()).toContain('New API key');
    const created = await browser.post('/isp/api-keys', {
      name: 'from the page',
      permissions: ['plans.read'],
    });
    expect(created.status).toBe(201);
    expect(await created.text()).toMatch(/kiu_[A-Za-z0-9_]+/);
    const incomplete = await browser.post('/isp/api-keys', { name: 'no permissions' });
    expect(incomplete.status).toBe(303);
    expect(incomplete.headers.get('location')).toBe('/isp/api-keys');
    expect(await (await browser.get('/isp/api-keys')).text()).toContain('permissions');
  });
});
