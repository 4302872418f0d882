// End to end: sign-in, refresh rotation, logout, console cookie sessions with CSRF, TOTP,
// password reset by a superior, API key scopes, and a suspended ISP's read-only access.
import { describe, expect, it } from 'vitest';
import { apiRequest, clientWithToken, cookieSession, createAccount, login } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';
import { totpCode, wrongTotpCode } from './support/totp';

const suite = useDemoKiunga();
const base = () => suite.kiunga.baseUrl;
const firstOwner = () => suite.demo.tenants[0]!.owner;

const loginRaw = (body: Record<string, unknown>) =>
  apiRequest(base(), 'POST', '/api/v1/auth/login', { body });

describe('login, refresh and logout', () => {
  it('signs in with email and password and answers a token pair', async () => {
    const response = await loginRaw(firstOwner());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      tokenType: 'Bearer',
      kind: 'isp_owner',
      tenantId: suite.demo.tenants[0]!.id,
    });
    expect(typeof response.body.refreshToken).toBe('string');
    const me = await clientWithToken(base(), response.body.token).get('/api/v1/me');
    expect(me.body.email).toBe(firstOwner().email);
  });

  it('refuses a wrong password with the one error shape', async () => {
    const response = await loginRaw({ email: firstOwner().email, password: 'not-the-password' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: 'unauthenticated', message: 'Wrong email or password.' },
    });
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const first = (await loginRaw(suite.demo.superAdmin)).body;
    const refreshed = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await clientWithToken(base(), refreshed.body.token).get('/api/v1/me')).status).toBe(200);
    // The old token again: theft is assumed and the newer token dies with it.
    const replay = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    const newer = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(newer.status).toBe(401);
  });

  it('logout ends the refresh token', async () => {
    const pair = (await loginRaw(suite.demo.superAdmin)).body;
    const out = await apiRequest(base(), 'POST', '/api/v1/auth/logout', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(out.status).toBe(204);
    const after = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });
});

describe('console cookie sessions', () => {
  it('sets an HttpOnly SameSite=Lax cookie and requires the CSRF token on writes', async () => {
    const session = await cookieSession(base(), firstOwner());
    expect(session.setCookie).toMatch(/HttpOnly/i);
    expect(session.setCookie).toMatch(/SameSite=Lax/i);
    expect(session.setCookie).not.toMatch(/Secure/i);
    const read = await fetch(`${base()}/api/v1/me`, { headers: { cookie: session.cookie } });
    expect(read.status).toBe(200);
    const body = JSON.stringify({ name: 'csrf-test-role', permissions: ['plans.read'] });
    const forged = await fetch(`${base()}/api/v1/roles`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/json' },
      body,
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const allowed = await fetch(`${base()}/api/v1/roles`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'content-type': 'application/json',
        'x-csrf-token': session.csrfToken,
      },
      body,
    });
    expect(allowed.status).toBe(201);
    const out = await fetch(`${base()}/api/v1/auth/session`, {
      method: 'DELETE',
      headers: { cookie: session.cookie },
    });
    expect(out.status).toBe(204);
    expect((await fetch(`${base()}/api/v1/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});

describe('TOTP two-factor', () => {
  it('enrols an ISP owner, then sign-in needs a valid code', async () => {
    const owner = suite.demo.tenants[1]!.owner;
    const client = await login(base(), owner);
    const setup = await client.post('/api/v1/auth/totp/setup', {});
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const secret = setup.body.secret as string;
    expect(setup.body.otpauthUrl).toContain(`secret=${secret}`);
    // A wrong code does not switch it on.
    expect(
      (
        await client.post('/api/v1/auth/totp/confirm', {
          code: wrongTotpCode(secret, Date.now()),
          currentPassword: owner.password,
        })
      ).status,
    ).toBe(400);
    const confirmTime = Date.now();
    const confirmed = await client.post('/api/v1/auth/totp/confirm', {
      code: totpCode(secret, confirmTime),
      currentPassword: owner.password,
    });
    expect(confirmed.status).toBe(200);

    const withoutCode = await loginRaw(owner);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error.code).toBe('totp_required');
    const wrongCode = await loginRaw({ ...owner, totp: wrongTotpCode(secret, Date.now()) });
    expect(wrongCode.body.error.code).toBe('invalid_totp');
    // The confirm code's step is spent: use the next step's code (accepted within the window).
    const nextCode = totpCode(secret, confirmTime + 30_000);
    const withCode = await loginRaw({ ...owner, totp: nextCode });
    expect(withCode.status).toBe(200);
    // The same code cannot be replayed.
    const replay = await loginRaw({ ...owner, totp: nextCode });
    expect(replay.body.error.code).toBe('invalid_totp');
  });
});

describe('password reset by the superior', () => {
  it('an ISP owner resets a technician, who gets a one-time temporary password', async () => {
    const owner = await login(base(), firstOwner());
    const technician = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'technician',
      roleName: 'technician',
    });
    const reset = await owner.post(`/api/v1/users/${technician.id}/reset-password`, {});
    expect(reset.status).toBe(200);
    expect(typeof reset.body.temporaryPassword).toBe('string');
    expect((await loginRaw({ email: technician.email, password: technician.password })).status).toBe(401);
    expect((await loginRaw({ email: technician.email, password: reset.body.temporaryPassword })).status).toBe(
      200,
    );
    // The temporary password must be changed first (tests/api-identity-password-change.test.ts).
    const changed = await technician.client.post('/api/v1/auth/password', {
      currentPassword: reset.body.temporaryPassword,
      newPassword: 'technician own password',
    });
    expect(changed.status).toBe(200);
    // A technician cannot reset anyone (its old access token still lives out its 15 minutes).
    const denied = await technician.client.post(`/api/v1/users/${technician.id}/reset-password`, {});
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });

  it('the super admin resets an ISP owner with a chosen password', async () => {
    const admin = await login(base(), suite.demo.superAdmin);
    const tenant = suite.demo.tenants[0]!;
    const reset = await admin.post(`/api/v1/platform/tenants/${tenant.id}/owner/reset-password`, {
      password: 'a brand new password',
    });
    expect(reset.status).toBe(200);
    expect(reset.body.temporaryPassword).toBeUndefined();
    const signedIn = await loginRaw({ email: tenant.owner.email, password: 'a brand new password' });
    expect(signedIn.status).toBe(200);
    // The platform knows the password it chose: the owner picks their own before going on.
    expect(signedIn.body.mustChangePassword).toBe(true);
    const changed = await clientWithToken(base(), signedIn.body.token).post('/api/v1/auth/password', {
      currentPassword: 'a brand new password',
      newPassword: 'the owner own password',
    });
    expect(changed.status).toBe(200);
    tenant.owner.password = 'the owner own password';
  });
});

describe('API keys', () => {
  it('creates a scoped key shown once; it opens only what its permissions allow, until revoked', async () => {
    const owner = await login(base(), firstOwner());
    const created = await owner.post('/api/v1/api-keys', {
      name: 'billing export',
      permissions: ['audit.read'],
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^kiu_key_/);
    const key = clientWithToken(base(), created.body.key);
    const me = await key.get('/api/v1/me');
    expect(me.body).toMatchObject({
      kind: 'api_key',
      tenantId: suite.demo.tenants[0]!.id,
      permissions: ['audit.read'],
    });
    expect((await key.get('/api/v1/audit')).status).toBe(200);
    const denied = await key.get('/api/v1/users');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    const listed = await owner.get('/api/v1/api-keys');
    const stored = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
    expect(stored.key).toBeUndefined();
    expect(stored.lastUsedAt).toEqual(expect.any(Number));
    expect((await owner.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await key.get('/api/v1/audit')).status).toBe(401);
  });

  it('refuses a key with more permissions than its creator', async () => {
    const owner = await login(base(), firstOwner());
    const keyManager = await owner.post('/api/v1/roles', {
      name: 'integrations',
      permissions: ['api_keys.manage', 'plans.read'],
    });
    expect(keyManager.status).toBe(201);
    const staff = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'integrations',
    });
    const escalate = await staff.client.post('/api/v1/api-keys', {
      name: 'x',
      permissions: ['staff.manage'],
    });
    expect(escalate.status).toBe(403);
    expect(
      (await staff.client.post('/api/v1/api-keys', { name: 'x', permissions: ['plans.read'] })).status,
    ).toBe(201);
    const unknown = await owner.post('/api/v1/api-keys', { name: 'x', permissions: ['tenants.write'] });
    expect(unknown.status).toBe(400);
  });
});
