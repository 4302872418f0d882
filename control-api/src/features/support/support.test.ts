// Support chat in-process (issue 14): an ISP opens a conversation, platform support sees it in its
// queue, assigns, replies (also with a canned reply), closes; unread counts per side; attachments
// checked from their bytes; and no ISP ever reaches another's conversation.
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_BYTES_MAX } from '../../kernel/attachments';
import {
  apiClient,
  errorCodeOf,
  jsonOf,
  signInWithToken,
  TEST_PASSWORD,
  type TwoIspApp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';
import { pruneSupportEvents, SUPPORT_EVENTS_KEPT_MS } from './events-retention.job';

const kiunga = useTwoIspApp('sup');

/** The 8-byte PNG signature and an IHDR chunk: enough for the type to be read from the bytes. */
const PNG_BYTES = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f5d84f0000000049454e44ae426082',
  'hex',
);
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** A platform user holding only the permissions named (a role made by the super admin). */
async function platformUser(app: TwoIspApp, email: string, permissions: string[]): Promise<string> {
  const root = await app.superAdminToken();
  const role = await app.request('POST', '/api/v1/platform/roles', {
    token: root,
    body: { name: `role ${email.split('@')[0]}`, permissions },
  });
  expect(role.status).toBe(201);
  const created = await app.request('POST', '/api/v1/platform/users', {
    token: root,
    body: { email, kind: 'platform_staff', roleId: role.body.id, password: TEST_PASSWORD },
  });
  expect(created.status).toBe(201);
  return signInWithToken(app, email);
}

async function open(
  token: string,
  subject = 'M-Pesa callbacks missing',
  message = 'Since 9am no callbacks.',
) {
  const answer = await kiunga().request('POST', '/api/v1/support/conversations', {
    token,
    body: { subject, message },
  });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

function upload(
  token: string,
  path: string,
  fields: { body?: string; file?: { name: string; bytes: Uint8Array } },
) {
  const form = new FormData();
  if (fields.body !== undefined) form.set('body', fields.body);
  if (fields.file) form.set('file', new Blob([new Uint8Array(fields.file.bytes)]), fields.file.name);
  return kiunga().app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

describe('support chat: contract', () => {
  it('an ISP opens a conversation, support sees it unassigned, assigns, replies with a canned reply, closes', async () => {
    const { ispA } = kiunga();
    const root = await kiunga().superAdminToken();
    const id = await open(ispA.token);
    expect(id).toMatch(/^spc_/);

    const own = await kiunga().request('GET', '/api/v1/support/conversations', { token: ispA.token });
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([
      expect.objectContaining({ id, subject: 'M-Pesa callbacks missing', status: 'open', unreadCount: 0 }),
    ]);

    const unassigned = await kiunga().request(
      'GET',
      '/api/v1/platform/support/conversations?view=unassigned',
      {
        token: root,
      },
    );
    expect(unassigned.body.items.map((item: { id: string }) => item.id)).toContain(id);
    expect(unassigned.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({
      tenantId: ispA.tenantId,
      unreadCount: 1,
      assignedTo: null,
    });

    const assigned = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/assign`, {
      token: root,
      body: {},
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedTo).toMatchObject({ email: expect.any(String) });
    const mine = await kiunga().request('GET', '/api/v1/platform/support/conversations?view=mine', {
      token: root,
    });
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    const stillUnassigned = await kiunga().request(
      'GET',
      '/api/v1/platform/support/conversations?view=unassigned',
      { token: root },
    );
    expect(stillUnassigned.body.items.map((item: { id: string }) => item.id)).not.toContain(id);

    const canned = await kiunga().request('POST', '/api/v1/platform/support/canned-replies', {
      token: root,
      body: { title: 'Looking', body: 'Thanks, we are looking into it.' },
    });
    expect(canned.status).toBe(201);
    const reply = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/messages`, {
      token: root,
      body: { cannedReplyId: canned.body.id },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ side: 'platform', body: 'Thanks, we are looking into it.' });

    const unread = await kiunga().request('GET', '/api/v1/support/conversations', { token: ispA.token });
    expect(unread.body.items[0].unreadCount).toBe(1);
    const thread = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, {
      token: ispA.token,
    });
    expect(thread.status).toBe(200);
    expect(
      thread.body.messages.map((message: { side: string; body: string }) => [message.side, message.body]),
    ).toEqual([
      ['isp', 'Since 9am no callbacks.'],
      ['platform', 'Thanks, we are looking into it.'],
    ]);
    const read = await kiunga().request('GET', '/api/v1/support/conversations', { token: ispA.token });
    expect(read.body.items[0].unreadCount).toBe(0);

    const answer = await kiunga().request('POST', `/api/v1/support/conversations/${id}/messages`, {
      token: ispA.token,
      body: { body: 'Working again, thanks.' },
    });
    expect(answer.status).toBe(201);
    const closed = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/close`, {
      token: root,
    });
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(Number) });
    const closedList = await kiunga().request('GET', '/api/v1/platform/support/conversations?status=closed', {
      token: root,
    });
    expect(closedList.body.items.map((item: { id: string }) => item.id)).toContain(id);
    const reopened = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/reopen`, {
      token: root,
    });
    expect(reopened.body.status).toBe('open');

    const audit = await kiunga().dependencies.databases.platform.column<string>(
      `SELECT action FROM audit_log WHERE target = ? ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      'support.conversation.opened',
      'support.conversation.assigned',
      'support.message.posted',
      'support.message.posted',
      'support.conversation.closed',
      'support.conversation.reopened',
    ]);
  });

  it('refuses bad input with validation errors', async () => {
    const { ispA } = kiunga();
    const empty = await kiunga().request('POST', '/api/v1/support/conversations', {
      token: ispA.token,
      body: { subject: '', message: 'x'.repeat(10_000) },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    expect(empty.body.error.message).toMatch(/subject/);
    expect(empty.body.error.message).toMatch(/message/);
    const id = await open(ispA.token);
    const blank = await kiunga().request('POST', `/api/v1/support/conversations/${id}/messages`, {
      token: ispA.token,
      body: { body: '   ' },
    });
    expect(blank.status).toBe(400);
    const queue = await kiunga().request('GET', '/api/v1/platform/support/conversations?view=everyone', {
      token: await kiunga().superAdminToken(),
    });
    expect(queue.status).toBe(400);
    const nobody = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/assign`, {
      token: await kiunga().superAdminToken(),
      body: { userId: kiunga().ispA.ownerId },
    });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.message).toMatch(/support permission/);
  });

  it('assigns to another support agent, not to a platform user without the permission', async () => {
    const { ispA } = kiunga();
    const root = await kiunga().superAdminToken();
    const agentToken = await platformUser(kiunga(), 'agent@platform.example', ['platform_support.manage']);
    const agent = await kiunga().request('GET', '/api/v1/me', { token: agentToken });
    const id = await open(ispA.token);
    const given = await kiunga().request('POST', `/api/v1/platform/support/conversations/${id}/assign`, {
      token: root,
      body: { userId: agent.body.id },
    });
    expect(given.body.assignedTo).toEqual({ id: agent.body.id, email: 'agent@platform.example' });
    const mine = await kiunga().request('GET', '/api/v1/platform/support/conversations?view=mine', {
      token: agentToken,
    });
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  });
});

describe('support chat: the contract path on both sides', () => {
  it('platform support reads and answers on /api/v1/support/conversations/<id> too; others get 403', async () => {
    const { ispA } = kiunga();
    const root = await kiunga().superAdminToken();
    const id = await open(ispA.token, 'Both sides', 'Asked on the ISP path');
    const read = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, { token: root });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, tenantId: ispA.tenantId, subject: 'Both sides' });
    const answered = await kiunga().request('POST', `/api/v1/support/conversations/${id}/messages`, {
      token: root,
      body: { body: 'Answered on the same path' },
    });
    expect(answered.status).toBe(201);
    expect(answered.body.side).toBe('platform');
    const seen = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, { token: ispA.token });
    expect(seen.body.messages.map((message: { side: string }) => message.side)).toEqual(['isp', 'platform']);
    const analyst = await platformUser(kiunga(), 'viewer@platform.example', ['tenants.read']);
    const refused = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, { token: analyst });
    expect(refused.status).toBe(403);
    const refusedPost = await kiunga().request('POST', `/api/v1/support/conversations/${id}/messages`, {
      token: analyst,
      body: { body: 'no' },
    });
    expect(refusedPost.status).toBe(403);
  });
});

describe('support chat: built-in roles', () => {
  it('a sub-admin with the built-in "support" role answers, and an ISP "manager" may ask', async () => {
    const root = await kiunga().superAdminToken();
    const roles = await kiunga().request('GET', '/api/v1/platform/roles', { token: root });
    const supportRole = roles.body.items.find((role: { name: string }) => role.name === 'support');
    expect(supportRole.permissions).toContain('platform_support.manage');
    await kiunga().request('POST', '/api/v1/platform/users', {
      token: root,
      body: {
        email: 'helpdesk@platform.example',
        kind: 'platform_staff',
        roleId: supportRole.id,
        password: TEST_PASSWORD,
      },
    });
    const helpdesk = await signInWithToken(kiunga(), 'helpdesk@platform.example');
    expect(
      (await kiunga().request('GET', '/api/v1/platform/support/conversations', { token: helpdesk })).status,
    ).toBe(200);
    const ispRoles = await kiunga().request('GET', '/api/v1/roles', { token: kiunga().ispA.token });
    const manager = ispRoles.body.items.find((role: { name: string }) => role.name === 'manager');
    expect(manager.permissions).toContain('support.use');
    expect(
      ispRoles.body.items.find((role: { name: string }) => role.name === 'cashier').permissions,
    ).not.toContain('support.use');
  });
});

describe('support chat: who may reach what', () => {
  it("ISP B can neither list, read, reply to nor fetch ISP A's conversation (404 as if it did not exist)", async () => {
    const { ispA, ispB } = kiunga();
    const id = await open(ispA.token, 'Secret A', 'Only A and support see this.');
    const posted = await upload(ispA.token, `/api/v1/support/conversations/${id}/messages`, {
      file: { name: 'a.png', bytes: PNG_BYTES },
    });
    const attachment = (await jsonOf<{ attachments: Array<{ url: string }> }>(posted)).attachments[0];
    const listB = await kiunga().request('GET', '/api/v1/support/conversations', { token: ispB.token });
    expect(listB.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    for (const [method, path, body] of [
      ['GET', `/api/v1/support/conversations/${id}`, undefined],
      ['POST', `/api/v1/support/conversations/${id}/messages`, { body: 'hello from B' }],
      ['POST', `/api/v1/support/conversations/${id}/messages`, { body: '' }],
      ['GET', attachment?.url ?? '', undefined],
    ] as const) {
      const answer = await kiunga().request(method, path, { token: ispB.token, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    const thread = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, {
      token: ispA.token,
    });
    expect(thread.body.messages.map((message: { body: string }) => message.body)).not.toContain(
      'hello from B',
    );
  });

  it('a platform user without the support permission gets 403; an ISP owner cannot use the platform side', async () => {
    const { ispA } = kiunga();
    const id = await open(ispA.token);
    const analyst = await platformUser(kiunga(), 'analyst@platform.example', ['platform_analytics.read']);
    for (const [method, path] of [
      ['GET', '/api/v1/platform/support/conversations'],
      ['GET', `/api/v1/platform/support/conversations/${id}`],
      ['POST', `/api/v1/platform/support/conversations/${id}/assign`],
      ['GET', '/api/v1/platform/support/canned-replies'],
    ] as const) {
      const answer = await kiunga().request(method, path, {
        token: analyst,
        body: method === 'POST' ? {} : undefined,
      });
      expect(answer.status, `${method} ${path}`).toBe(403);
      const owner = await kiunga().request(method, path, {
        token: ispA.token,
        body: method === 'POST' ? {} : undefined,
      });
      expect(owner.status, `owner ${method} ${path}`).toBe(403);
    }
    const platformOnIspSide = await kiunga().request('POST', '/api/v1/support/conversations', {
      token: await kiunga().superAdminToken(),
      body: { subject: 's', message: 'm' },
    });
    expect(platformOnIspSide.status).toBe(403);
  });
});

describe('support chat: attachments', () => {
  it('takes a PNG, serves it back to both sides with the checked type and nosniff', async () => {
    const { ispA } = kiunga();
    const root = await kiunga().superAdminToken();
    const id = await open(ispA.token);
    const posted = await upload(ispA.token, `/api/v1/support/conversations/${id}/messages`, {
      body: 'Screenshot attached',
      file: { name: 'screen.png', bytes: PNG_BYTES },
    });
    expect(posted.status).toBe(201);
    const message = await jsonOf<{
      body: string;
      attachments: Array<{ id: string; url: string; mimeType: string }>;
    }>(posted);
    expect(message.body).toBe('Screenshot attached');
    expect(message.attachments).toEqual([
      expect.objectContaining({ fileName: 'screen.png', mimeType: 'image/png', byteSize: PNG_BYTES.length }),
    ]);
    const ispCopy = await apiClient(kiunga(), ispA.token)('GET', message.attachments[0]?.url ?? '');
    expect(ispCopy.status).toBe(200);
    expect(ispCopy.headers.get('content-type')).toBe('image/png');
    expect(ispCopy.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await ispCopy.arrayBuffer()).equals(PNG_BYTES)).toBe(true);
    const platformCopy = await apiClient(kiunga(), root)(
      'GET',
      `/api/v1/platform/support/conversations/${id}/attachments/${message.attachments[0]?.id}`,
    );
    expect(platformCopy.status).toBe(200);
    expect(platformCopy.headers.get('content-type')).toBe('image/png');
  });

  it('serves a PDF as a download', async () => {
    const { ispA } = kiunga();
    const id = await open(ispA.token);
    const posted = await upload(ispA.token, `/api/v1/support/conversations/${id}/messages`, {
      file: { name: 'receipt.pdf', bytes: PDF_BYTES },
    });
    expect(posted.status).toBe(201);
    const url = (await jsonOf<{ attachments: Array<{ url: string }> }>(posted)).attachments[0]?.url ?? '';
    const copy = await apiClient(kiunga(), ispA.token)('GET', url);
    expect(copy.headers.get('content-type')).toBe('application/pdf');
    expect(copy.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''receipt.pdf`);
    expect(copy.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a script renamed .png (415) and a file of 2 MB + 1 byte (413), storing nothing', async () => {
    const { ispA } = kiunga();
    const id = await open(ispA.token);
    const script = await upload(ispA.token, `/api/v1/support/conversations/${id}/messages`, {
      body: 'look',
      file: { name: 'photo.png', bytes: Buffer.from('<script>alert(document.cookie)</script>\n') },
    });
    expect(script.status).toBe(415);
    expect(await errorCodeOf(script)).toBe('unsupported_media_type');
    const big = Buffer.alloc(ATTACHMENT_BYTES_MAX + 1);
    PNG_BYTES.copy(big);
    const tooBig = await upload(ispA.token, `/api/v1/support/conversations/${id}/messages`, {
      file: { name: 'big.png', bytes: big },
    });
    expect(tooBig.status).toBe(413);
    expect(await errorCodeOf(tooBig)).toBe('payload_too_large');
    const thread = await kiunga().request('GET', `/api/v1/support/conversations/${id}`, {
      token: ispA.token,
    });
    expect(thread.body.messages).toHaveLength(1);
  });
});

describe('support chat: change stream retention', () => {
  it('deletes changes older than a day and keeps the newer ones', async () => {
    const { ispA } = kiunga();
    const platform = kiunga().dependencies.databases.platform;
    await open(ispA.token, 'Old', 'An old change');
    kiunga().clock.advance(SUPPORT_EVENTS_KEPT_MS + 1);
    const token = await signInWithToken(kiunga(), ispA.ownerEmail);
    const id = await open(token, 'New', 'A new change');
    const result = await pruneSupportEvents(kiunga().dependencies);
    expect(result.deleted).toBeGreaterThan(0);
    const left = await platform.all<{ conversationId: string }>(
      'SELECT conversation_id AS "conversationId" FROM support_events',
    );
    expect(left.map((row) => row.conversationId)).toEqual([id]);
    // The conversations and their messages stay: only the change stream is trimmed.
    const list = await kiunga().request('GET', '/api/v1/support/conversations', { token });
    expect(list.body.items.map((item: { subject: string }) => item.subject)).toContain('Old');
  });
});
