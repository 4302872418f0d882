// The audit log in-process: an ISP reads only its own entries, the platform everyone's (filtered by
// ISP, action family and time), newest first and paged; bad filters are refused.
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

async function changeRadiusSettings(token: string, idleTimeoutSeconds: number) {
  const answer = await kiunga().request('PATCH', '/api/v1/settings/radius', {
    token,
    body: { idleTimeoutSeconds },
  });
  expect(answer.status).toBe(200);
}

describe('audit log API', () => {
  it('shows an ISP only its own entries, newest first, paged; the platform sees both', async () => {
    const first = await kiunga().createIsp('audit-a');
    const second = await kiunga().createIsp('audit-b');
    await changeRadiusSettings(first.token, 600);
    kiunga().clock.advance(1_000);
    await changeRadiusSettings(first.token, 900);
    await changeRadiusSettings(second.token, 1200);

    const page = await kiunga().request('GET', '/api/v1/audit?limit=1', { token: first.token });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({
      actorId: first.ownerId,
      tenantId: first.tenantId,
      action: 'settings.radius.update',
    });
    expect(page.body.items[0].detail).toMatchObject({ idleTimeoutSeconds: 900 });
    const next = await kiunga().request('GET', `/api/v1/audit?limit=10&cursor=${page.body.nextCursor}`, {
      token: first.token,
    });
    expect(next.body.items.map((entry: { detail: { idleTimeoutSeconds: number } }) => entry.detail)).toEqual([
      expect.objectContaining({ idleTimeoutSeconds: 600 }),
    ]);

    const root = await kiunga().superAdminToken();
    const platform = await kiunga().request(
      'GET',
      `/api/v1/platform/audit?tenantId=${second.tenantId}&action=settings.`,
      { token: root },
    );
    expect(platform.body.items.map((entry: { tenantId: string }) => entry.tenantId)).toEqual([
      second.tenantId,
    ]);
    const before = await kiunga().request(
      'GET',
      `/api/v1/platform/audit?action=settings.radius.update&to=${kiunga().clock.now()}`,
      { token: root },
    );
    expect(before.body.items.map((entry: { tenantId: string }) => entry.tenantId)).toEqual([first.tenantId]);
  });

  it('refuses bad filters, and an ISP filter on the ISP view never shows another ISP', async () => {
    const first = await kiunga().createIsp('audit-c');
    const second = await kiunga().createIsp('audit-d');
    await changeRadiusSettings(second.token, 700);
    const invalid = await kiunga().request('GET', '/api/v1/audit?from=yesterday', { token: first.token });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    const other = await kiunga().request('GET', `/api/v1/audit?tenantId=${second.tenantId}`, {
      token: first.token,
    });
    expect(other.body.items).toEqual([]);
    const platformOnly = await kiunga().request('GET', '/api/v1/platform/audit', { token: first.token });
    expect(platformOnly.status).toBe(403);
  });
});

describe('audit pages', () => {
  it("shows the ISP's own entries on /isp/audit and every ISP's on /platform/audit", async () => {
    const first = await kiunga().createIsp('audit-pages-a');
    const second = await kiunga().createIsp('audit-pages-b');
    await changeRadiusSettings(first.token, 1_800);
    const session = await kiunga().signIn('owner@audit-pages-a.example', TEST_PASSWORD);
    const own = await kiunga().page(session, '/isp/audit?action=settings.');
    expect(own.status).toBe(200);
    expect(own.html).toContain('settings.radius.update');
    // The owner may list the ISP's accounts, so the actor shows by email.
    expect(own.html).toContain('owner@audit-pages-a.example');
    const other = await kiunga().signIn('owner@audit-pages-b.example', TEST_PASSWORD);
    const otherPage = await kiunga().page(other, '/isp/audit?action=settings.');
    expect(otherPage.html).not.toContain('settings.radius.update');
    expect(second.tenantId).not.toBe(first.tenantId);

    await kiunga().superAdminToken();
    const root = await kiunga().signIn('root@platform.example', TEST_PASSWORD);
    const platform = await kiunga().page(root, '/platform/audit?action=settings.');
    expect(platform.html).toContain('settings.radius.update');
  });
});
