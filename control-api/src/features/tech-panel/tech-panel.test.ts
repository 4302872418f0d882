// The technician panel in-process, signed in as a browser would be: the new-subscriber form with the
// ISP's plans, creating a subscriber (its password shown once), searching; a refused form comes back
// with the error; a technician of ISP B finds none of ISP A's subscribers.
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, type TestIsp, useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

/** A technician account of the ISP (made by its owner through the API) and a plan to sell. */
async function technicianOf(isp: TestIsp, slug: string) {
  const roles = await kiunga().request('GET', '/api/v1/roles', { token: isp.token });
  const role = roles.body.items.find((item: { name: string }) => item.name === 'technician');
  const email = `tech@${slug}.example`;
  const created = await kiunga().request('POST', '/api/v1/users', {
    token: isp.token,
    body: { email, kind: 'technician', roleId: role.id, password: TEST_PASSWORD },
  });
  expect(created.status).toBe(201);
  return kiunga().signIn(email, TEST_PASSWORD);
}

async function planOf(isp: TestIsp, name: string) {
  const plan = await kiunga().request('POST', '/api/v1/plans', {
    token: isp.token,
    body: { name, kind: 'pppoe', priceCents: 200_000, rateUpKbps: 4_000, rateDownKbps: 8_000 },
  });
  return plan.body.id as string;
}

describe('technician panel', () => {
  it('adds a PPPoE subscriber on a package and finds it', async () => {
    const isp = await kiunga().createIsp('tech-a');
    const planId = await planOf(isp, 'Nyumbani 8M');
    const session = await technicianOf(isp, 'tech-a');
    const form = await kiunga().page(session, '/tech');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Nyumbani 8M');

    const created = await kiunga().page(session, '/tech/subscribers', {
      planId,
      username: 'kamau',
      fullName: 'Kamau Njoroge',
    });
    expect(created.status).toBe(201);
    expect(created.html).toContain('kamau');
    const found = await kiunga().page(session, '/tech/subscribers?q=Njoroge');
    expect(found.html).toContain('Kamau Njoroge');
    expect(found.html).toContain('Nyumbani 8M');
  });

  it('sends a refused form back to the panel with the reason', async () => {
    const isp = await kiunga().createIsp('tech-b');
    const planId = await planOf(isp, 'Home');
    const session = await technicianOf(isp, 'tech-b');
    await kiunga().page(session, '/tech/subscribers', { planId, username: 'wafula', fullName: 'One' });
    const duplicate = await kiunga().page(session, '/tech/subscribers', {
      planId,
      username: 'wafula',
      fullName: 'Two',
    });
    expect(duplicate.status).toBe(303);
    expect(duplicate.location).toBe('/tech');
    const back = await kiunga().page(session, '/tech');
    expect(back.html).toMatch(/class="flash error"[^<]*wafula|class="flash error"[^<]*(already|taken)/i);
  });

  it("shows a technician of ISP B none of ISP A's subscribers", async () => {
    const first = await kiunga().createIsp('tech-c');
    const second = await kiunga().createIsp('tech-d');
    const planId = await planOf(first, 'Home');
    await kiunga().request('POST', '/api/v1/subscribers', {
      token: first.token,
      body: { username: 'mutua', planId, fullName: 'Mutua Private' },
    });
    const session = await technicianOf(second, 'tech-d');
    const search = await kiunga().page(session, '/tech/subscribers?q=mutua');
    expect(search.status).toBe(200);
    expect(search.html).not.toContain('Mutua Private');
  });
});
