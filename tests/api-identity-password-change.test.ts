// End to end: a password set by a superior (reset, or generated at account creation) must be changed
// at first use. Until then the account's token and cookie get 403 password_change_required from every
// route but the password change (refresh and logout still work); afterwards its sessions go on.
import { describe, expect, it } from 'vitest';
import {
  type ApiClient,
  apiRequest,
  clientWithToken,
  createAccount,
  login,
  uniqueEmail,
} from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();
const base = () => suite.kiunga.baseUrl;

const loginRaw = (body: Record<string, unknown>) =>
  apiRequest(base(), 'POST', '/api/v1/auth/login', { body });

/** Signs in with a superior-set password and checks the API holds the account to the change. */
async function expectChangeRequired(email: string, password: string): Promise<ApiClient> {
  const signedIn = await loginRaw({ email, password });
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.mustChangePassword).toBe(true);
  const client = clientWithToken(base(), signedIn.body.token);
  for (const path of ['/api/v1/me', '/api/v1/plans']) {
    const denied = await client.get(path);
    expect(denied.status, path).toBe(403);
    expect(denied.body.error.code, path).toBe('password_change_required');
    expect(denied.body.error.message, path).toMatch(/choose your own password/i);
  }
  return client;
}

describe('password reset by a superior', () => {
  it('the technician must choose a new password; then every route opens and the temporary one is dead', async () => {
    const owner = await login(base(), suite.demo.tenants[0]!.owner);
    const technician = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'technician',
      roleName: 'technician',
    });
    expect((await technician.client.get('/api/v1/me')).status).toBe(200);
    const reset = await owner.post(`/api/v1/users/${technician.id}/reset-password`, {});
    expect(reset.status).toBe(200);
    const temporaryPassword = reset.body.temporaryPassword as string;

    const signedIn = await loginRaw({ email: technician.email, password: temporaryPassword });
    const client = await expectChangeRequired(technician.email, temporaryPassword);
    // Writes and account settings are held too; the access token from before the reset as well.
    const write = await client.post('/api/v1/subscribers', { username: 'held-back' });
    expect(write.body.error.code).toBe('password_change_required');
    expect((await client.post('/api/v1/auth/totp/setup', {})).body.error.code).toBe(
      'password_change_required',
    );
    expect((await technician.client.get('/api/v1/plans')).body.error.code).toBe('password_change_required');

    // Refresh works and still says so; a console session is sent to /password.
    const refreshed = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: signedIn.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.mustChangePassword).toBe(true);
    const session = await apiRequest(base(), 'POST', '/api/v1/auth/session', {
      body: { email: technician.email, password: temporaryPassword },
    });
    expect(session.body).toMatchObject({ mustChangePassword: true, home: '/password' });

    // Wrong current password, two equal passwords, too short: refused.
    const wrong = await client.post('/api/v1/auth/password', {
      currentPassword: 'not the temporary one',
      newPassword: 'my very own password',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('forbidden');
    const same = await client.post('/api/v1/auth/password', {
      currentPassword: temporaryPassword,
      newPassword: temporaryPassword,
    });
    expect(same.status).toBe(400);
    const short = await client.post('/api/v1/auth/password', {
      currentPassword: temporaryPassword,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_failed');

    const changed = await client.post('/api/v1/auth/password', {
      currentPassword: temporaryPassword,
      newPassword: 'my very own password',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ changed: true, tokens: { tokenType: 'Bearer' } });

    // Whoever else signed in with the temporary password (the superior knows it) is signed out:
    // their refresh tokens end. The caller goes on with the new tokens it was given.
    for (const refreshToken of [signedIn.body.refreshToken, refreshed.body.refreshToken]) {
      const ended = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(ended.status).toBe(401);
    }
    const renewed = clientWithToken(base(), changed.body.tokens.token);
    expect((await renewed.get('/api/v1/plans')).status).toBe(200);
    expect((await renewed.get('/api/v1/me')).body.mustChangePassword).toBe(false);
    const again = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: changed.body.tokens.refreshToken },
    });
    expect(again.status).toBe(200);
    expect(again.body.mustChangePassword).toBe(false);

    expect((await loginRaw({ email: technician.email, password: temporaryPassword })).status).toBe(401);
    const own = await loginRaw({ email: technician.email, password: 'my very own password' });
    expect(own.status).toBe(200);
    expect(own.body.mustChangePassword).toBe(false);

    const audit = await owner.get(`/api/v1/audit?action=auth.password_change&actorId=${technician.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorId: technician.id,
      target: technician.id,
      tenantId: suite.demo.tenants[0]!.id,
      detail: { wasRequired: true },
    });
  });

  it('logout works while the change is pending', async () => {
    const owner = await login(base(), suite.demo.tenants[0]!.owner);
    const staff = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'cashier',
    });
    const reset = await owner.post(`/api/v1/users/${staff.id}/reset-password`, {
      password: 'chosen by owner',
    });
    expect(reset.body.temporaryPassword).toBeUndefined();
    // A password the superior chose is known to them too: it must be changed as well.
    const signedIn = await loginRaw({ email: staff.email, password: 'chosen by owner' });
    expect(signedIn.body.mustChangePassword).toBe(true);
    const out = await apiRequest(base(), 'POST', '/api/v1/auth/logout', {
      body: { refreshToken: signedIn.body.refreshToken },
    });
    expect(out.status).toBe(204);
  });

  it('a voluntary change (no change required) ends every other session too', async () => {
    const owner = await login(base(), suite.demo.tenants[0]!.owner);
    const staff = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'cashier',
    });
    const signedIn = await loginRaw({ email: staff.email, password: staff.password });
    expect(signedIn.body.mustChangePassword).toBe(false);
    const changed = await staff.client.post('/api/v1/auth/password', {
      currentPassword: staff.password,
      newPassword: 'another password 2',
    });
    expect(changed.status).toBe(200);
    const refresh = await apiRequest(base(), 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: signedIn.body.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect((await clientWithToken(base(), changed.body.tokens.token).get('/api/v1/plans')).status).toBe(200);
  });
});

describe('accounts created with a generated password', () => {
  it('a staff account created without a password must change it; one with a chosen password need not', async () => {
    const owner = await login(base(), suite.demo.tenants[0]!.owner);
    const roles = (await owner.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
    const cashier = roles.find((role) => role.name === 'cashier')!;
    const email = uniqueEmail('generated');
    const created = await owner.post('/api/v1/users', { email, kind: 'isp_staff', roleId: cashier.id });
    expect(created.status).toBe(201);
    const temporaryPassword = created.body.temporaryPassword as string;
    const client = await expectChangeRequired(email, temporaryPassword);
    const changed = await client.post('/api/v1/auth/password', {
      currentPassword: temporaryPassword,
      newPassword: 'cashier own password',
    });
    expect(changed.status).toBe(200);
    expect((await client.get('/api/v1/plans')).status).toBe(200);
    expect((await loginRaw({ email, password: temporaryPassword })).status).toBe(401);

    const chosen = await createAccount(base(), owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'cashier',
    });
    expect((await loginRaw({ email: chosen.email, password: chosen.password })).body.mustChangePassword).toBe(
      false,
    );
    expect((await chosen.client.get('/api/v1/plans')).status).toBe(200);

    const audit = await owner.get(`/api/v1/audit?action=auth.password_change&actorId=${created.body.id}`);
    expect(audit.body.items.map((entry: { detail: unknown }) => entry.detail)).toEqual([
      { wasRequired: true },
    ]);
  });

  it('the owner of an ISP created by the platform without a password must change it', async () => {
    const admin = await login(base(), suite.demo.superAdmin);
    const ownerEmail = uniqueEmail('new-isp-owner');
    const created = await admin.post('/api/v1/platform/tenants', {
      name: 'Forced Change Net',
      slug: `forced-change-${process.pid}`,
      tier: 'tier2',
      owner: { email: ownerEmail },
    });
    expect(created.status).toBe(201);
    const temporaryPassword = created.body.ownerTemporaryPassword as string;
    const owner = await expectChangeRequired(ownerEmail, temporaryPassword);
    expect(
      (
        await owner.post('/api/v1/auth/password', {
          currentPassword: temporaryPassword,
          newPassword: 'the owner own password',
        })
      ).status,
    ).toBe(200);
    expect((await owner.get('/api/v1/roles')).status).toBe(200);
  });
});
