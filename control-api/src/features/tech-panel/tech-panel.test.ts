// The technician panel in-process, signed in as a browser would be: the new-subscriber form with the
// ISP's plans, creating a subscriber (its password shown once), searching; a refused form comes back
// with the error; a technician of ISP B finds none of ISP A's subscribers; client chats are read-only
// for the built-in technician role, answerable when a role grants chat.reply, and never another ISP's.
import { describe, expect, it } from 'vitest';
import {
  signInWithToken,
  TEST_PASSWORD,
  type TestIsp,
  useTestApp,
} from '../../kernel/testing/in-process-app';
import { createSubscriber, signInSubscriber, writeAsSubscriber } from '../chat/chat-testing';

const kiunga = useTestApp();

/** A technician account of the ISP (made by its owner through the API) and a plan to sell. */
async function technicianOf(isp: TestIsp, slug: string, roleName = 'technician') {
  const roles = await kiunga().request('GET', '/api/v1/roles', { token: isp.token });
  const role = roles.body.items.find((item: { name: string }) => item.name === roleName);
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

/** A subscriber of the ISP writes on the customer portal; answers the conversation's id. */
async function clientWrites(isp: TestIsp, username: string, text: string): Promise<string> {
  await createSubscriber(isp, username, null);
  const cookie = await signInSubscriber(kiunga().app, isp, username);
  expect((await writeAsSubscriber(kiunga().app, isp, cookie, text)).status).toBe(303);
  const listed = await kiunga().request('GET', '/api/v1/chat/conversations', { token: isp.token });
  return listed.body.items[0].id as string;
}

async function ownerSees(isp: TestIsp, conversationId: string): Promise<string[]> {
  const view = await kiunga().request('GET', `/api/v1/chat/conversations/${conversationId}`, {
    token: isp.token,
  });
  return view.body.messages.map((message: { body: string }) => message.body);
}

describe('technician panel: client chats', () => {
  it("lists and opens its ISP's conversations read-only; another ISP's stay out of reach", async () => {
    const isp = await kiunga().createIsp('tech-chat-a');
    const other = await kiunga().createIsp('tech-chat-b');
    const conversationId = await clientWrites(isp, 'achieng', 'The router light is red');
    const otherId = await clientWrites(other, 'kiprono', 'Private words for ISP B');
    const session = await technicianOf(isp, 'tech-chat-a');

    const inbox = await kiunga().page(session, '/tech/chat');
    expect(inbox.status).toBe(200);
    expect(inbox.html).toContain('href="/tech/chat"');
    expect(inbox.html).toContain(`href="/tech/chat/${conversationId}"`);
    expect(inbox.html).toContain('achieng');
    expect(inbox.html).not.toContain('kiprono');

    const thread = await kiunga().page(session, `/tech/chat/${conversationId}`);
    expect(thread.status).toBe(200);
    expect(thread.html).toContain('The router light is red');
    expect(thread.html).toContain('href="/tech/chat"');
    expect(thread.html).not.toContain('Send reply');
    expect(thread.html).not.toContain(`action="/tech/chat/${conversationId}/close"`);

    const elsewhere = await kiunga().page(session, `/tech/chat/${otherId}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.html).not.toContain('Private words for ISP B');

    const posted = await kiunga().page(session, `/tech/chat/${conversationId}/messages`, {
      body: 'Sent by a technician without chat.reply',
    });
    expect(posted.status).toBe(403);
    const token = await signInWithToken(kiunga(), 'tech@tech-chat-a.example');
    const direct = await kiunga().request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, {
      token,
      body: { body: 'Sent by a technician without chat.reply' },
    });
    expect(direct.status).toBe(403);
    expect(await ownerSees(isp, conversationId)).toEqual(['The router light is red']);
  });

  it('replies from the panel when a role of the ISP grants chat.reply', async () => {
    const isp = await kiunga().createIsp('tech-chat-c');
    const roles = await kiunga().request('GET', '/api/v1/roles', { token: isp.token });
    const technician = roles.body.items.find((item: { name: string }) => item.name === 'technician');
    const created = await kiunga().request('POST', '/api/v1/roles', {
      token: isp.token,
      body: { name: 'field-support', permissions: [...technician.permissions, 'chat.reply'] },
    });
    expect(created.status).toBe(201);
    const conversationId = await clientWrites(isp, 'njeri', 'Is the tower down?');
    const session = await technicianOf(isp, 'tech-chat-c', 'field-support');

    const thread = await kiunga().page(session, `/tech/chat/${conversationId}`);
    expect(thread.html).toContain('Send reply');
    const posted = await kiunga().page(session, `/tech/chat/${conversationId}/messages`, {
      body: 'On my way to the tower',
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe(`/tech/chat/${conversationId}`);
    expect(await ownerSees(isp, conversationId)).toEqual(['Is the tower down?', 'On my way to the tower']);
  });
});
