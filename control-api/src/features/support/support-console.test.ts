// Support chat's console pages without JavaScript (issue 14): an ISP owner opens a conversation from
// /isp/support, platform support finds it in its queue, assigns it, replies with a canned reply and a
// screenshot, closes it; the ISP sees the reply, its attachment and the unread badge after a refresh.
import { describe, expect, it } from 'vitest';
import { type ConsoleBrowser, TEST_ORIGIN, useTwoIspApp } from '../../kernel/testing/in-process-app';

const kiunga = useTwoIspApp('supcon');

const PNG_BYTES = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f5d84f0000000049454e44ae426082',
  'hex',
);

/** A reply form as a browser sends it: multipart, with the session's CSRF field and maybe a file. */
async function postReply(
  session: ConsoleBrowser,
  path: string,
  fields: Record<string, string>,
  file?: { name: string; bytes: Uint8Array },
) {
  const form = new FormData();
  form.set('_csrf', session.csrfToken);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file', file ? new Blob([new Uint8Array(file.bytes)]) : new Blob([]), file?.name ?? '');
  const cookie = [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await kiunga().app.request(path, {
    method: 'POST',
    headers: { cookie, origin: TEST_ORIGIN },
    body: form,
  });
  // The flash message the redirect leaves is a cookie, kept as the browser keeps it.
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const separator = pair.indexOf('=');
    session.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
  }
  return response;
}

describe('support console pages', () => {
  it('an ISP owner and platform support talk through plain forms, with an attachment', async () => {
    const { ispA } = kiunga();
    await kiunga().superAdminToken();
    const owner = await kiunga().signIn(ispA.ownerEmail);
    const list = await kiunga().page(owner, '/isp/support');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/isp/support"');
    expect(list.html).toContain('id="new-conversation"');

    const opened = await kiunga().page(owner, '/isp/support', {
      subject: 'Vouchers not printing',
      message: 'The PDF is blank.\nSince this morning.',
    });
    expect(opened.status).toBe(303);
    const threadPath = opened.location ?? '';
    expect(threadPath).toMatch(/^\/isp\/support\/spc_/);
    const id = threadPath.split('/').pop() ?? '';
    const thread = await kiunga().page(owner, threadPath);
    expect(thread.html).toContain('The PDF is blank.<br/>Since this morning.');
    expect(thread.html).toContain('enctype="multipart/form-data"');

    const root = await kiunga().signIn('root@platform.example');
    const queue = await kiunga().page(root, '/platform/support');
    expect(queue.html).toContain('Vouchers not printing');
    expect(queue.html).toContain(`data-conversation-id="${id}"`);
    expect(queue.html).toContain('data-unread="1"');

    const canned = await kiunga().page(root, '/platform/support/canned-replies', {
      title: 'Reinstall',
      body: 'Please reload the page and print again.',
    });
    expect(canned.status).toBe(303);
    const assigned = await kiunga().page(root, `/platform/support/${id}/assign`, { userId: '' });
    expect(assigned.status).toBe(303);
    const mine = await kiunga().page(root, '/platform/support?view=mine');
    expect(mine.html).toContain(`data-conversation-id="${id}"`);
    const platformThread = await kiunga().page(root, `/platform/support/${id}`);
    const cannedId = /<option value="(scr_[^"]+)">Reinstall<\/option>/.exec(platformThread.html)?.[1] ?? '';
    expect(cannedId).not.toBe('');
    const replied = await postReply(
      root,
      `/platform/support/${id}/messages`,
      { body: '', cannedReplyId: cannedId },
      {
        name: 'how-to.png',
        bytes: PNG_BYTES,
      },
    );
    expect(replied.status).toBe(303);

    const refused = await postReply(
      root,
      `/platform/support/${id}/messages`,
      { body: 'see' },
      {
        name: 'fake.png',
        bytes: Buffer.from('#!/bin/sh\nrm -rf /\n'),
      },
    );
    expect(refused.status).toBe(303);
    const refusedPage = await kiunga().page(root, `/platform/support/${id}`);
    expect(refusedPage.html).toContain('Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.');

    const ispList = await kiunga().page(owner, '/isp/support');
    expect(ispList.html).toContain('data-unread="1"');
    const answered = await kiunga().page(owner, threadPath);
    expect(answered.html).toContain('Please reload the page and print again.');
    expect(answered.html).toContain(`href="/api/v1/support/conversations/${id}/attachments/spa_`);
    expect(answered.html).toContain('Kiunga support');
    const ownReply = await postReply(owner, `${threadPath}/messages`, { body: 'Works now, thanks!' });
    expect(ownReply.status).toBe(303);

    const closed = await kiunga().page(root, `/platform/support/${id}/close`, {});
    expect(closed.status).toBe(303);
    const closedQueue = await kiunga().page(root, '/platform/support?view=all&status=closed');
    expect(closedQueue.html).toContain(`data-conversation-id="${id}"`);
  });

  it('keeps the pages to those allowed: another ISP gets 404, an ISP owner never the platform queue', async () => {
    const { ispA, ispB } = kiunga();
    const created = await ispA.request('POST', '/api/v1/support/conversations', {
      subject: 'A only',
      message: 'Private',
    });
    const { id } = (await created.json()) as { id: string };
    const other = await kiunga().signIn(ispB.ownerEmail);
    const stranger = await kiunga().page(other, `/isp/support/${id}`);
    expect(stranger.status).toBe(404);
    expect(stranger.html).not.toContain('Private');
    const queue = await kiunga().page(other, '/platform/support');
    expect(queue.status).not.toBe(200);
    expect(queue.html).not.toContain('A only');
  });
});
