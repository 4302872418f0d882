// Client ↔ ISP chat in process: a subscriber writes from /account, a hotspot client from /portal after
// proving a voucher or a phone (SMS code: wrong, expired, limited; Tier 1 has no phone way); the ISP
// lists with unread counts, reads, replies (with an SMS to an offline client once per waiting batch),
// closes, reopens and assigns; attachments are decided by their bytes and served only inside the
// conversation; ISP B never sees ISP A's conversations and one client never another's.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ORIGIN, type TestApp, type TestIsp, useTwoIspApp } from '../../kernel/testing/in-process-app';
import {
  cookieOf,
  createSubscriber,
  createVoucher,
  csrfOf,
  postAsConsolePage,
  proveVoucher,
  signInSubscriber,
  writeAsSubscriber,
} from './chat-testing';
import { PHONE_CODE_TTL_MS, PHONE_CODES_PER_HOUR_MAX } from './service';

const opened = useTwoIspApp('chat');
let testApp: TestApp;
let ispA: TestIsp;
let ispB: TestIsp;
let voucherA: { id: string; code: string };
let voucherB: { id: string; code: string };
let subscriberCookieA: string;
let subscriberCookieB: string;

const PNG_BYTES = Uint8Array.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
  ...new Array(17).fill(0),
]);
const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n');
const SUBSCRIBER_PHONE = '254712345678';

const get = (path: string, cookie = '') => testApp.app.request(path, { headers: { cookie } });

function postForm(path: string, fields: Record<string, string>, cookie = '') {
  return testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: TEST_ORIGIN },
    body: new URLSearchParams(fields).toString(),
  });
}

function postMultipart(
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; token?: string; file?: { name: string; bytes: Uint8Array; type: string } } = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (options.file)
    form.set(
      'file',
      new File([new Uint8Array(options.file.bytes)], options.file.name, { type: options.file.type }),
    );
  return testApp.app.request(path, {
    method: 'POST',
    headers: {
      origin: TEST_ORIGIN,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: form,
  });
}

/** Proves a voucher on the captive portal; answers the chat cookie. */
async function provenVoucherCookie(isp: TestIsp, code: string): Promise<string> {
  const response = await proveVoucher(testApp.app, isp, code);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`/portal/${isp.slug}/chat`);
  return cookieOf(response, 'kiunga_chat');
}

async function conversationsOf(isp: TestIsp, query = '') {
  const response = await isp.request('GET', `/api/v1/chat/conversations${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    items: Array<{
      id: string;
      client: { kind: string; label: string };
      unread: number;
      status: string;
      assignedTo: string | null;
    }>;
    unreadConversations: number;
  };
}

async function smsRows(isp: TestIsp, kind: string) {
  return isp.database.all<{ recipient: string; body: string }>(
    'SELECT recipient, body FROM notifications WHERE kind = ? ORDER BY id',
    [kind],
  );
}

beforeAll(async () => {
  testApp = opened();
  ({ ispA, ispB } = opened());
  await createSubscriber(ispA, 'wanjiku', '0712345678');
  await createSubscriber(ispB, 'otieno', null);
  voucherA = await createVoucher(ispA);
  voucherB = await createVoucher(ispB);
  subscriberCookieA = await signInSubscriber(testApp.app, ispA, 'wanjiku');
  subscriberCookieB = await signInSubscriber(testApp.app, ispB, 'otieno');
});

describe('a subscriber and the ISP', () => {
  let conversationId: string;

  it('a subscriber writes from the customer portal; only their ISP lists it, unread', async () => {
    const csrf = await csrfOf(testApp.app, `/account/${ispA.slug}/chat`, subscriberCookieA);
    const posted = await postMultipart(
      `/account/${ispA.slug}/chat/messages`,
      { _csrf: csrf, body: 'My internet is slow since morning' },
      { cookie: subscriberCookieA },
    );
    expect(posted.status).toBe(303);
    const listed = await conversationsOf(ispA);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      client: { kind: 'subscriber', label: 'wanjiku' },
      unread: 1,
      status: 'open',
    });
    expect(listed.unreadConversations).toBe(1);
    conversationId = listed.items[0]!.id;
    expect((await conversationsOf(ispB)).items).toHaveLength(0);
  });

  it('ISP B can neither read, answer, close nor assign ISP A’s conversation', async () => {
    expect((await ispB.request('GET', `/api/v1/chat/conversations/${conversationId}`)).status).toBe(404);
    expect(
      (await ispB.request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, { body: 'hi' }))
        .status,
    ).toBe(404);
    expect((await ispB.request('POST', `/api/v1/chat/conversations/${conversationId}/close`)).status).toBe(
      404,
    );
    expect(
      (
        await ispB.request('POST', `/api/v1/chat/conversations/${conversationId}/assign`, {
          assignedTo: 'me',
        })
      ).status,
    ).toBe(404);
    const page = await (await get(`/account/${ispB.slug}/chat`, subscriberCookieB)).text();
    expect(page).not.toContain('My internet is slow');
  });

  it('reading the conversation marks it seen; a reply to an offline client sends one SMS per waiting batch', async () => {
    const read = await ispA.request('GET', `/api/v1/chat/conversations/${conversationId}`);
    const view = (await read.json()) as { messages: Array<{ author: string; body: string }> };
    expect(view.messages).toEqual([
      expect.objectContaining({ author: 'client', body: 'My internet is slow since morning' }),
    ]);
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(0);

    const first = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, {
      body: 'We are checking your line.',
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ smsQueued: true });
    const second = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, {
      body: 'Please restart your router.',
    });
    expect(await second.json()).toMatchObject({ smsQueued: false });
    expect(await smsRows(ispA, 'chat_reply')).toEqual([
      { recipient: SUBSCRIBER_PHONE, body: expect.stringContaining('replied to your message') },
    ]);

    // The client reads both replies; the next reply is a new batch.
    const page = await (await get(`/account/${ispA.slug}/chat`, subscriberCookieA)).text();
    expect(page).toContain('We are checking your line.');
    expect(page).toContain('Please restart your router.');
    const third = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, {
      body: 'Fixed now?',
    });
    expect(await third.json()).toMatchObject({ smsQueued: true });
    expect(await smsRows(ispA, 'chat_reply')).toHaveLength(2);
  });

  it('the reply SMS is in the language the client writes in', async () => {
    const csrf = await csrfOf(testApp.app, `/account/${ispA.slug}/chat?lang=sw`, subscriberCookieA);
    await postMultipart(
      `/account/${ispA.slug}/chat/messages?lang=sw`,
      { _csrf: csrf, body: 'Bado ni polepole' },
      { cookie: subscriberCookieA },
    );
    const reply = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/messages`, {
      body: 'Sawa',
    });
    expect(await reply.json()).toMatchObject({ smsQueued: true });
    const rows = await smsRows(ispA, 'chat_reply');
    expect(rows[rows.length - 1]?.body).toContain('amejibu ujumbe wako');
  });

  it('close, reopen and assign are the ISP’s, audited; a client writing reopens a closed one', async () => {
    const closed = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/close`);
    expect(await closed.json()).toMatchObject({ status: 'closed' });
    expect((await conversationsOf(ispA, '?status=open')).items).toHaveLength(0);
    const assigned = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/assign`, {
      assignedTo: 'me',
    });
    expect(await assigned.json()).toMatchObject({ assignedTo: ispA.ownerId });
    expect((await conversationsOf(ispA, '?assignedTo=me')).items).toHaveLength(1);
    const strange = await ispA.request('POST', `/api/v1/chat/conversations/${conversationId}/assign`, {
      assignedTo: ispB.ownerId,
    });
    expect(strange.status).toBe(400);
    const csrf = await csrfOf(testApp.app, `/account/${ispA.slug}/chat`, subscriberCookieA);
    await postMultipart(
      `/account/${ispA.slug}/chat/messages`,
      { _csrf: csrf, body: 'Still there?' },
      { cookie: subscriberCookieA },
    );
    expect((await conversationsOf(ispA, '?status=open')).items).toHaveLength(1);
    const audit = await testApp.dependencies.databases.platform.column<string>(
      'SELECT action FROM audit_log WHERE tenant_id = ? AND target = ? ORDER BY id',
      [ispA.tenantId, conversationId],
    );
    expect(audit).toEqual(expect.arrayContaining(['chat.reply', 'chat.close', 'chat.assign']));
  });

  it('the console inbox lists the conversation and replies through its form', async () => {
    const console = await testApp.signIn(ispA.ownerEmail);
    const inbox = await testApp.page(console, '/isp/chat');
    expect(inbox.status).toBe(200);
    expect(inbox.html).toContain('wanjiku');
    const page = await testApp.page(console, `/isp/chat/${conversationId}`);
    expect(page.html).toContain('Still there?');
    const form = new FormData();
    form.set('_csrf', console.csrfToken);
    form.set('body', 'Yes, from the console');
    const replied = await testApp.app.request(`/isp/chat/${conversationId}/messages`, {
      method: 'POST',
      headers: {
        cookie: [...console.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        origin: TEST_ORIGIN,
      },
      body: form,
    });
    expect(replied.status).toBe(303);
    const clientPage = await (await get(`/account/${ispA.slug}/chat`, subscriberCookieA)).text();
    expect(clientPage).toContain('Yes, from the console');
  });
});

describe('the read marker of an open conversation page', () => {
  it('marks the client messages the page showed read, no further, never backwards; CSRF and ISP bound', async () => {
    await writeAsSubscriber(testApp.app, ispA, subscriberCookieA, 'First live line');
    await writeAsSubscriber(testApp.app, ispA, subscriberCookieA, 'Second live line');
    const [conversation] = (await conversationsOf(ispA)).items;
    expect(conversation).toMatchObject({ client: { label: 'wanjiku' }, unread: 2 });
    const id = conversation!.id;
    const [first, second] = await ispA.database
      .column<number>(
        `SELECT id FROM chat_messages WHERE conversation_id = ? AND author_kind = 'client'
        ORDER BY id DESC LIMIT 2`,
        [id],
      )
      .then((ids) => ids.reverse());
    const path = `/api/v1/chat/conversations/${id}/read`;
    const staffA = await testApp.signIn(ispA.ownerEmail);

    const withoutCsrf = await postAsConsolePage(testApp.app, staffA, path, { upTo: first }, null);
    expect(withoutCsrf.status).toBe(403);
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(2);

    const staffB = await testApp.signIn(ispB.ownerEmail);
    expect((await postAsConsolePage(testApp.app, staffB, path, { upTo: second })).status).toBe(404);
    expect((await ispB.request('POST', path, { upTo: second })).status).toBe(404);
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(2);

    const upToFirst = await postAsConsolePage(testApp.app, staffA, path, { upTo: first });
    expect(upToFirst.status).toBe(200);
    expect(await upToFirst.json()).toMatchObject({ id, unread: 1 });
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(1);
    expect((await postAsConsolePage(testApp.app, staffA, path, { upTo: 'all' })).status).toBe(400);

    const upToSecond = await postAsConsolePage(testApp.app, staffA, path, { upTo: second });
    expect(await upToSecond.json()).toMatchObject({ unread: 0 });
    expect((await conversationsOf(ispA)).unreadConversations).toBe(0);
    // An older marker (a slow request arriving late) does not make seen messages unread again.
    expect(await (await postAsConsolePage(testApp.app, staffA, path, { upTo: first })).json()).toMatchObject({
      unread: 0,
    });
    // A marker past the conversation's newest message does not swallow the client's next one.
    await postAsConsolePage(testApp.app, staffA, path, { upTo: second! + 1_000 });
    await writeAsSubscriber(testApp.app, ispA, subscriberCookieA, 'Third line, not yet shown');
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(1);
  });

  it('the staff conversation page carries the marker path and the session CSRF token for its script', async () => {
    const [conversation] = (await conversationsOf(ispA)).items;
    const staff = await testApp.signIn(ispA.ownerEmail);
    const page = await testApp.page(staff, `/isp/chat/${conversation!.id}`);
    expect(page.html).toContain(`data-read="/api/v1/chat/conversations/${conversation!.id}/read"`);
    expect(page.html).toContain(`data-csrf="${staff.csrfToken}"`);
    // Without JavaScript the page load itself marks read.
    expect((await conversationsOf(ispA)).items[0]!.unread).toBe(0);
  });
});

describe('a hotspot client on the captive portal', () => {
  let voucherCookie: string;

  it('a wrong voucher code is refused; the right one opens the chat, bound to its ISP', async () => {
    const wrong = await postForm(`/portal/${ispA.slug}/chat/voucher`, { code: 'NOTACODE' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('This voucher code is not valid here.');
    // ISP B's voucher names nobody at ISP A.
    expect((await postForm(`/portal/${ispA.slug}/chat/voucher`, { code: voucherB.code })).status).toBe(400);
    voucherCookie = await provenVoucherCookie(ispA, voucherA.code);
    const csrf = await csrfOf(testApp.app, `/portal/${ispA.slug}/chat`, voucherCookie);
    const posted = await postMultipart(
      `/portal/${ispA.slug}/chat/messages`,
      { _csrf: csrf, body: 'Voucher not connecting' },
      { cookie: voucherCookie },
    );
    expect(posted.status).toBe(303);
    const listed = await conversationsOf(ispA);
    expect(listed.items.find((item) => item.client.kind === 'voucher')).toMatchObject({
      client: { label: `Voucher ${voucherA.code}` },
      unread: 1,
    });
  });

  it('ISP A’s chat cookie is refused on ISP B’s portal; a post without the CSRF token is refused', async () => {
    const onB = await (await get(`/portal/${ispB.slug}/chat`, voucherCookie)).text();
    expect(onB).toContain('name="code"');
    expect(onB).not.toContain('Voucher not connecting');
    const posted = await postMultipart(
      `/portal/${ispB.slug}/chat/messages`,
      { body: 'sneaky' },
      { cookie: voucherCookie },
    );
    expect(posted.status).toBe(401);
    const noCsrf = await postMultipart(
      `/portal/${ispA.slug}/chat/messages`,
      { body: 'forged' },
      { cookie: voucherCookie },
    );
    expect(noCsrf.status).toBe(403);
  });

  it('one client never reads another client’s conversation or attachment', async () => {
    const voucherPage = await (await get(`/portal/${ispA.slug}/chat`, voucherCookie)).text();
    expect(voucherPage).toContain('Voucher not connecting');
    expect(voucherPage).not.toContain('My internet is slow');
    const subscriberPage = await (await get(`/account/${ispA.slug}/chat`, subscriberCookieA)).text();
    expect(subscriberPage).not.toContain('Voucher not connecting');
  });

  it('a phone proves itself with the SMS code: wrong and expired codes fail, the limit holds', async () => {
    const phone = '0722000111';
    const sent = await postForm(`/portal/${ispA.slug}/chat/phone`, { phone });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('autocomplete="one-time-code"');
    const [codeSms] = await smsRows(ispA, 'chat_code');
    expect(codeSms?.recipient).toBe('254722000111');
    const code = /(\d{6})/.exec(codeSms?.body ?? '')?.[1] ?? '';
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await postForm(`/portal/${ispA.slug}/chat/phone/confirm`, { phone, code: wrongCode });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The code is wrong or has expired.');
    // The stored code is a hash, never the code.
    const stored = await ispA.database.column<string>('SELECT code_hash FROM chat_phone_codes');
    expect(stored.join()).not.toContain(code);

    testApp.clock.advance(PHONE_CODE_TTL_MS + 1);
    expect((await postForm(`/portal/${ispA.slug}/chat/phone/confirm`, { phone, code })).status).toBe(400);

    await postForm(`/portal/${ispA.slug}/chat/phone`, { phone });
    const fresh = (await smsRows(ispA, 'chat_code')).at(-1)?.body ?? '';
    const freshCode = /(\d{6})/.exec(fresh)?.[1] ?? '';
    const confirmed = await postForm(`/portal/${ispA.slug}/chat/phone/confirm`, { phone, code: freshCode });
    expect(confirmed.status).toBe(303);
    // Spent: the same code does not work twice.
    expect(
      (await postForm(`/portal/${ispA.slug}/chat/phone/confirm`, { phone, code: freshCode })).status,
    ).toBe(400);

    for (let sentCount = 2; sentCount < PHONE_CODES_PER_HOUR_MAX; sentCount += 1)
      expect((await postForm(`/portal/${ispA.slug}/chat/phone`, { phone })).status).toBe(200);
    const limited = await postForm(`/portal/${ispA.slug}/chat/phone`, { phone });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many codes');
  });

  it('a Tier 1 ISP’s portal offers the voucher way only', async () => {
    await testApp.dependencies.databases.platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
      [ispB.tenantId],
    );
    try {
      const page = await (await get(`/portal/${ispB.slug}/chat`)).text();
      expect(page).toContain('name="code"');
      expect(page).not.toContain('name="phone"');
      expect((await postForm(`/portal/${ispB.slug}/chat/phone`, { phone: '0722000222' })).status).toBe(403);
    } finally {
      await testApp.dependencies.databases.platform.run(
        `UPDATE tenants SET tier = 'tier2', feature_choice = NULL WHERE id = ?`,
        [ispB.tenantId],
      );
    }
  });
});

describe('attachments', () => {
  it('an image and a PDF are taken by their bytes and served only inside the conversation', async () => {
    const { items } = await conversationsOf(ispA);
    const voucherConversation = items.find((item) => item.client.kind === 'voucher')!;
    const image = await postMultipart(
      `/api/v1/chat/conversations/${voucherConversation.id}/messages`,
      { body: 'Your receipt' },
      { token: ispA.token, file: { name: 'receipt.png', bytes: PNG_BYTES, type: 'image/png' } },
    );
    expect(image.status).toBe(201);
    const pdf = await postMultipart(
      `/api/v1/chat/conversations/${voucherConversation.id}/messages`,
      { body: '' },
      { token: ispA.token, file: { name: 'invoice.pdf', bytes: PDF_BYTES, type: 'application/pdf' } },
    );
    expect(pdf.status).toBe(201);
    const view = (await (
      await ispA.request('GET', `/api/v1/chat/conversations/${voucherConversation.id}`)
    ).json()) as {
      messages: Array<{ attachment: { id: string; url: string; mimeType: string } | null }>;
    };
    const [png, document] = view.messages.flatMap((message) =>
      message.attachment ? [message.attachment] : [],
    );
    const served = await ispA.request('GET', png!.url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG_BYTES);
    const servedPdf = await ispA.request('GET', document!.url);
    expect(servedPdf.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await ispB.request('GET', png!.url)).status).toBe(404);

    // The voucher client sees theirs; the subscriber of the same ISP gets nothing for it.
    const voucherCookie = await provenVoucherCookie(ispA, voucherA.code);
    const clientUrl = `/portal/${ispA.slug}/chat/attachments/${png!.id}`;
    expect((await get(clientUrl, voucherCookie)).status).toBe(200);
    expect((await get(`/account/${ispA.slug}/chat/attachments/${png!.id}`, subscriberCookieA)).status).toBe(
      404,
    );
    expect((await get(clientUrl)).status).toBe(404);
  });

  it('a script named like an image and a file over 2 MB are refused, on the API and the portal', async () => {
    const { items } = await conversationsOf(ispA);
    const id = items[0]!.id;
    const script = await postMultipart(
      `/api/v1/chat/conversations/${id}/messages`,
      { body: 'look' },
      {
        token: ispA.token,
        file: {
          name: 'photo.png',
          bytes: new TextEncoder().encode('<script>alert(1)</script>'),
          type: 'image/png',
        },
      },
    );
    expect(script.status).toBe(415);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG_BYTES);
    const tooBig = await postMultipart(
      `/api/v1/chat/conversations/${id}/messages`,
      { body: 'big' },
      { token: ispA.token, file: { name: 'big.png', bytes: big, type: 'image/png' } },
    );
    expect(tooBig.status).toBe(413);
    const csrf = await csrfOf(testApp.app, `/account/${ispA.slug}/chat`, subscriberCookieA);
    const refused = await postMultipart(
      `/account/${ispA.slug}/chat/messages?lang=sw`,
      { _csrf: csrf, body: 'picha' },
      {
        cookie: subscriberCookieA,
        file: { name: 'x.png', bytes: new TextEncoder().encode('not an image'), type: 'image/png' },
      },
    );
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain('Ni picha (PNG, JPEG, GIF, WebP) na faili za PDF tu');
  });
});
