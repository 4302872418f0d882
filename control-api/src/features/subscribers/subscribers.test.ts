// Subscribers in-process: create on a PPPoE plan (a generated password shown once), list, search,
// read, edit, change plan, suspend, reactivate, delete; validation errors; ISP B cannot read or
// change ISP A's subscribers.
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, type TestIsp, useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

async function createPlan(isp: TestIsp, name: string): Promise<string> {
  const plan = await kiunga().request('POST', '/api/v1/plans', {
    token: isp.token,
    body: { name, kind: 'pppoe', priceCents: 150_000, rateUpKbps: 5_000, rateDownKbps: 10_000 },
  });
  expect(plan.status).toBe(201);
  return plan.body.id;
}

describe('subscribers API', () => {
  it('creates, finds, edits, moves, suspends, reactivates and deletes a subscriber', async () => {
    const isp = await kiunga().createIsp('subs-a');
    const home = await createPlan(isp, 'Home 10M');
    const business = await createPlan(isp, 'Business 20M');
    const created = await kiunga().request('POST', '/api/v1/subscribers', {
      token: isp.token,
      body: { username: 'wanjiku', planId: home, fullName: 'Wanjiku Kamau', phone: '0712345678' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'wanjiku', planId: home, status: 'active' });
    expect(created.body.password.length).toBeGreaterThanOrEqual(8);
    const read = await kiunga().request('GET', `/api/v1/subscribers/${created.body.id}`, {
      token: isp.token,
    });
    expect(read.body.password).toBeUndefined();

    const found = await kiunga().request('GET', '/api/v1/subscribers?q=Kamau', { token: isp.token });
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    const edited = await kiunga().request('PATCH', `/api/v1/subscribers/${created.body.id}`, {
      token: isp.token,
      body: { fullName: 'Wanjiku K.' },
    });
    expect(edited.body.fullName).toBe('Wanjiku K.');
    const moved = await kiunga().request('POST', `/api/v1/subscribers/${created.body.id}/change-plan`, {
      token: isp.token,
      body: { planId: business },
    });
    expect(moved.body.planId).toBe(business);
    const suspended = await kiunga().request('POST', `/api/v1/subscribers/${created.body.id}/suspend`, {
      token: isp.token,
    });
    expect(suspended.body.status).toBe('suspended');
    const reactivated = await kiunga().request('POST', `/api/v1/subscribers/${created.body.id}/reactivate`, {
      token: isp.token,
    });
    expect(reactivated.body.status).toBe('active');
    const deleted = await kiunga().request('DELETE', `/api/v1/subscribers/${created.body.id}`, {
      token: isp.token,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.disconnected.sessions).toBe(0);
    const gone = await kiunga().request('GET', `/api/v1/subscribers/${created.body.id}`, {
      token: isp.token,
    });
    expect(gone.status).toBe(404);
  });

  it('refuses bad input, an unknown plan and a taken username', async () => {
    const isp = await kiunga().createIsp('subs-b');
    const plan = await createPlan(isp, 'Home');
    const invalid = await kiunga().request('POST', '/api/v1/subscribers', {
      token: isp.token,
      body: { username: 'a b', planId: plan, staticIp: '999.1.1.1', extra: true },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    const noPlan = await kiunga().request('POST', '/api/v1/subscribers', {
      token: isp.token,
      body: { username: 'otieno', planId: 'plan_missing' },
    });
    expect(noPlan.status).toBe(404);
    expect(noPlan.body.error).toEqual({ code: 'not_found', message: 'No such plan.' });
    await kiunga().request('POST', '/api/v1/subscribers', {
      token: isp.token,
      body: { username: 'otieno', planId: plan },
    });
    const taken = await kiunga().request('POST', '/api/v1/subscribers', {
      token: isp.token,
      body: { username: 'otieno', planId: plan },
    });
    expect(taken.status).toBe(409);
  });

  it("keeps ISP A's subscribers out of ISP B's reach", async () => {
    const first = await kiunga().createIsp('subs-c');
    const second = await kiunga().createIsp('subs-d');
    const plan = await createPlan(first, 'Home');
    const subscriber = await kiunga().request('POST', '/api/v1/subscribers', {
      token: first.token,
      body: { username: 'achieng', planId: plan },
    });
    const list = await kiunga().request('GET', '/api/v1/subscribers', { token: second.token });
    expect(list.body.items).toEqual([]);
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { fullName: 'Taken over' }],
      ['POST', '/suspend', undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const answer = await kiunga().request(method, `/api/v1/subscribers/${subscriber.body.id}${suffix}`, {
        token: second.token,
        body,
      });
      expect(answer.status, `${method} ${suffix}`).toBe(404);
    }
    const unchanged = await kiunga().request('GET', `/api/v1/subscribers/${subscriber.body.id}`, {
      token: first.token,
    });
    expect(unchanged.body).toMatchObject({ status: 'active', fullName: '' });
  });
});

describe('ISP console subscriber pages', () => {
  it('lists, creates (password shown once) and shows a subscriber', async () => {
    const isp = await kiunga().createIsp('subs-pages');
    const planId = await createPlan(isp, 'Fibre 10M');
    const session = await kiunga().signIn('owner@subs-pages.example', TEST_PASSWORD);
    const form = await kiunga().page(session, '/isp/subscribers/new');
    expect(form.html).toContain('Fibre 10M');
    const created = await kiunga().page(session, '/isp/subscribers', {
      planId,
      username: 'nduta',
      fullName: 'Nduta Wairimu',
      email: 'Nduta@Example.org',
    });
    expect(created.status).toBe(201);
    expect(created.html).toMatch(/data-generated-password[^>]*>[A-Za-z0-9_-]{8,}</);
    const list = await kiunga().page(session, '/isp/subscribers?q=nduta');
    expect(list.html).toContain('Nduta Wairimu');
    const found = await kiunga().request('GET', '/api/v1/subscribers?q=nduta', { token: isp.token });
    const id = found.body.items[0].id;
    expect(list.html).toContain(`href="/isp/subscribers/${id}"`);
    const detail = await kiunga().page(session, `/isp/subscribers/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain('Fibre 10M');
    // The email address invoices go to, kept lower-case and editable on the subscriber's page.
    expect(found.body.items[0].email).toBe('nduta@example.org');
    expect(detail.html).toContain('value="nduta@example.org"');
    const suspended = await kiunga().page(session, `/isp/subscribers/${id}/suspend`, {});
    expect(suspended).toMatchObject({ status: 303, location: `/isp/subscribers/${id}` });
  });
});
