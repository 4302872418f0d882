// The platform's ISPs in-process: create with an owner (one account path), list and read with
// figures, suspend/reactivate/archive, the owner's password reset, self-registration; validation
// errors; ISP accounts never reach the platform API.
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

const newIsp = (slug: string, extra: Record<string, unknown> = {}) => ({
  name: `ISP ${slug}`,
  slug,
  tier: 'tier2',
  owner: { email: `boss@${slug}.example` },
  ...extra,
});

describe('platform tenants API', () => {
  it('creates an ISP whose owner gets a one-time password, lists and reads it with its figures', async () => {
    const root = await kiunga().superAdminToken();
    const created = await kiunga().request('POST', '/api/v1/platform/tenants', {
      token: root,
      body: newIsp('mawingu', { contactPhone: '0712 345 678' }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'mawingu',
      status: 'active',
      tier: 'tier2',
      contactPhone: '254712345678',
      owner: { email: 'boss@mawingu.example' },
      figures: { nas: 0, plans: 0, vouchers: 0, subscribers: 0, openSessions: 0 },
    });
    expect(created.body.ownerTemporaryPassword).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const signIn = await kiunga().request('POST', '/api/v1/auth/login', {
      body: { email: 'boss@mawingu.example', password: created.body.ownerTemporaryPassword },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.mustChangePassword).toBe(true);

    const read = await kiunga().request('GET', `/api/v1/platform/tenants/${created.body.id}`, {
      token: root,
    });
    expect(read.body.owner.id).toBe(created.body.owner.id);
    const list = await kiunga().request('GET', '/api/v1/platform/tenants?status=active&limit=200', {
      token: root,
    });
    expect(list.body.items.map((tenant: { slug: string }) => tenant.slug)).toContain('mawingu');
  });

  it('refuses bad input and a taken slug or owner email', async () => {
    const root = await kiunga().superAdminToken();
    const invalid = await kiunga().request('POST', '/api/v1/platform/tenants', {
      token: root,
      body: newIsp('api', { tier: 'tier1' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect(invalid.body.error.message).toMatch(/reserved/);
    expect(invalid.body.error.message).toMatch(/featureChoice/);

    await kiunga().request('POST', '/api/v1/platform/tenants', { token: root, body: newIsp('jamii') });
    const slugTaken = await kiunga().request('POST', '/api/v1/platform/tenants', {
      token: root,
      body: newIsp('jamii', { owner: { email: 'other@jamii.example' } }),
    });
    expect(slugTaken.status).toBe(409);
    expect(slugTaken.body.error.message).toMatch(/slug/);
    const emailTaken = await kiunga().request('POST', '/api/v1/platform/tenants', {
      token: root,
      body: newIsp('jamii-two', { owner: { email: 'boss@jamii.example' } }),
    });
    expect(emailTaken.status).toBe(409);
    expect(emailTaken.body.error.message).toMatch(/email/);
    const missing = await kiunga().request('GET', '/api/v1/platform/tenants/tenant_nothing', { token: root });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('tenant_not_found');
  });

  it('suspends (writes refused, reads allowed), reactivates and archives an ISP', async () => {
    const root = await kiunga().superAdminToken();
    const isp = await kiunga().createIsp('lifecycle');
    const suspended = await kiunga().request('POST', `/api/v1/platform/tenants/${isp.tenantId}/suspend`, {
      token: root,
    });
    expect(suspended.body.status).toBe('suspended');
    const read = await kiunga().request('GET', '/api/v1/plans', { token: isp.token });
    expect(read.status).toBe(200);
    const write = await kiunga().request('POST', '/api/v1/users', {
      token: isp.token,
      body: { email: 'staff@lifecycle.example', kind: 'isp_staff', roleId: 'role_x' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('tenant_suspended');

    const reactivated = await kiunga().request(
      'POST',
      `/api/v1/platform/tenants/${isp.tenantId}/reactivate`,
      { token: root },
    );
    expect(reactivated.body.status).toBe('active');
    const again = await kiunga().request('POST', `/api/v1/platform/tenants/${isp.tenantId}/reactivate`, {
      token: root,
    });
    expect(again.status).toBe(409);

    const archived = await kiunga().request('POST', `/api/v1/platform/tenants/${isp.tenantId}/archive`, {
      token: root,
    });
    expect(archived.body.status).toBe('archived');
    const afterArchive = await kiunga().request('GET', '/api/v1/plans', { token: isp.token });
    expect(afterArchive.status).toBe(401);
    const audit = await kiunga().request('GET', '/api/v1/platform/audit?action=tenant.&limit=200', {
      token: root,
    });
    const actions = audit.body.items
      .filter((entry: { target: string }) => entry.target === isp.tenantId)
      .map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['tenant.archive', 'tenant.reactivate', 'tenant.suspend']);
  });

  it("resets the owner's password: the old one stops working, the new one must be changed", async () => {
    const root = await kiunga().superAdminToken();
    const isp = await kiunga().createIsp('reset');
    const reset = await kiunga().request(
      'POST',
      `/api/v1/platform/tenants/${isp.tenantId}/owner/reset-password`,
      {
        token: root,
        body: {},
      },
    );
    expect(reset.body.id).toBe(isp.ownerId);
    const old = await kiunga().request('POST', '/api/v1/auth/login', {
      body: { email: 'owner@reset.example', password: TEST_PASSWORD },
    });
    expect(old.status).toBe(401);
    const fresh = await kiunga().request('POST', '/api/v1/auth/login', {
      body: { email: 'owner@reset.example', password: reset.body.temporaryPassword },
    });
    expect(fresh.body.mustChangePassword).toBe(true);
  });

  it("answers 404 for an unknown ISP's owner reset before validating the body, 400 for a bad body of a known one", async () => {
    const root = await kiunga().superAdminToken();
    const isp = await kiunga().createIsp('reset-order');
    const tooShort = { password: 'short' };
    const unknown = await kiunga().request(
      'POST',
      '/api/v1/platform/tenants/tenant-nope/owner/reset-password',
      {
        token: root,
        body: tooShort,
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('tenant_not_found');
    const invalid = await kiunga().request(
      'POST',
      `/api/v1/platform/tenants/${isp.tenantId}/owner/reset-password`,
      { token: root, body: tooShort },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
  });

  it('lets an ISP register itself, pending until its phone and email are confirmed', async () => {
    const registered = await kiunga().request('POST', '/api/v1/registration', {
      body: {
        ispName: 'Self Made',
        slug: 'self-made',
        ownerEmail: 'me@self-made.example',
        ownerPassword: TEST_PASSWORD,
        phone: '0112345678',
        tier: 'tier1',
        featureChoice: 'hotspot',
      },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      tenantId: registered.body.tenant.id,
      slug: 'self-made',
      verification: { phone: 'pending', email: 'pending' },
    });
    // The 24-hour trial starts when both are confirmed (tests/signup.test.ts); until then a week to do so.
    expect(registered.body.tenant).toMatchObject({
      slug: 'self-made',
      status: 'trial',
      featureChoice: 'hotspot',
      trialEndsAt: kiunga().clock.now() + 7 * 24 * 3_600_000,
    });
    const me = await kiunga().request('GET', '/api/v1/me', { token: registered.body.token });
    expect(me.body.id ?? me.body.user?.id).toBe(registered.body.ownerId);
    const roles = await kiunga().request('GET', '/api/v1/roles', { token: registered.body.token });
    expect(roles.status).toBe(403);
    expect(roles.body.error.code).toBe('signup_pending');
  });

  it('keeps ISP accounts out: an owner can neither list ISPs nor act on another ISP', async () => {
    const first = await kiunga().createIsp('isolated-a');
    const second = await kiunga().createIsp('isolated-b');
    const list = await kiunga().request('GET', '/api/v1/platform/tenants', { token: second.token });
    expect(list.status).toBe(403);
    const suspend = await kiunga().request('POST', `/api/v1/platform/tenants/${first.tenantId}/suspend`, {
      token: second.token,
    });
    expect(suspend.status).toBe(403);
    const root = await kiunga().superAdminToken();
    const stillActive = await kiunga().request('GET', `/api/v1/platform/tenants/${first.tenantId}`, {
      token: root,
    });
    expect(stillActive.body.status).toBe('active');
  });
});
