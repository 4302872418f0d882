// Support chat's WebSockets on a real HTTP server (issue 14): a change written through another app
// instance on the same databases (as another API node would) reaches the platform's support staff and
// the ISP whose conversation it is, never another ISP; who may open which feed.
import { stopTestDatabaseServer } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';
import { type ControlApiServer, startControlApi } from '../../server';
import { PLATFORM_SUPPORT_LIVE_PATH, SUPPORT_LIVE_PATH } from './live-feed';

/** A push comes within a poll or two; a loaded machine is slower. */
const MESSAGE_TIMEOUT_MS = 10_000;

interface Pushed {
  type: string;
  conversationId?: string;
  kind?: string;
}

let kiunga: TwoIspApp;
let server: ControlApiServer;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  kiunga = await openTwoIspApp({ prefix: 'suplive' });
  server = await startControlApi({ ...kiunga.dependencies, host: '127.0.0.1', port: 0, runJobs: false });
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await server?.stop();
  await kiunga?.close();
  await stopTestDatabaseServer();
});

/** An open feed with every message it got, or the HTTP status that refused the upgrade. */
function openFeed(
  path: string,
  token: string,
): Promise<{ messages: Pushed[]; socket: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    sockets.push(socket);
    const messages: Pushed[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Pushed));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.once('open', () => resolve({ messages, socket }));
    socket.once('error', reject);
  });
}

async function opened(path: string, token: string): Promise<Pushed[]> {
  const feed = await openFeed(path, token);
  if (!('messages' in feed)) throw new Error(`feed refused with ${feed.status}`);
  await waitFor(feed.messages, (message) => message.type === 'support_ready');
  return feed.messages;
}

async function waitFor(messages: Pushed[], test: (message: Pushed) => boolean): Promise<Pushed> {
  const deadline = Date.now() + MESSAGE_TIMEOUT_MS;
  for (;;) {
    const found = messages.find(test);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such message in ${JSON.stringify(messages)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('support live feed', () => {
  it('pushes a new conversation, a reply and an assignment to support and the ISP, never to another ISP', async () => {
    const root = await kiunga.superAdminToken();
    const platformFeed = await opened(PLATFORM_SUPPORT_LIVE_PATH, root);
    const feedA = await opened(SUPPORT_LIVE_PATH, kiunga.ispA.token);
    const feedB = await opened(SUPPORT_LIVE_PATH, kiunga.ispB.token);

    // Written through the in-process app: another instance than the server the sockets are on.
    const created = await kiunga.request('POST', '/api/v1/support/conversations', {
      token: kiunga.ispA.token,
      body: { subject: 'Router offline', message: 'Our main router dropped.' },
    });
    const id = created.body.id as string;
    await waitFor(platformFeed, (message) => message.conversationId === id && message.kind === 'opened');

    await kiunga.request('POST', `/api/v1/platform/support/conversations/${id}/messages`, {
      token: root,
      body: { body: 'Looking at it now.' },
    });
    await waitFor(feedA, (message) => message.conversationId === id && message.kind === 'message');
    await kiunga.request('POST', `/api/v1/platform/support/conversations/${id}/assign`, {
      token: root,
      body: {},
    });
    await waitFor(feedA, (message) => message.conversationId === id && message.kind === 'assigned');
    await waitFor(platformFeed, (message) => message.conversationId === id && message.kind === 'assigned');

    // B's own conversation reaches B: by then every earlier change has been polled, and none was B's.
    const own = await kiunga.request('POST', '/api/v1/support/conversations', {
      token: kiunga.ispB.token,
      body: { subject: 'Invoice question', message: 'Why two charges?' },
    });
    await waitFor(feedB, (message) => message.conversationId === own.body.id);
    expect(feedB.filter((message) => message.conversationId === id)).toEqual([]);
    expect(
      feedB.every((message) => message.type !== 'support_changed' || message.conversationId === own.body.id),
    ).toBe(true);
    // No message text travels on the socket: the page reads the thread over HTTP.
    expect(JSON.stringify(platformFeed)).not.toContain('Looking at it now');
  });

  it('refuses an ISP owner on the platform feed, a platform account on the ISP feed, and no credentials', async () => {
    const onPlatform = await openFeed(PLATFORM_SUPPORT_LIVE_PATH, kiunga.ispA.token);
    expect(onPlatform).toEqual({ status: 403 });
    const onIsp = await openFeed(SUPPORT_LIVE_PATH, await kiunga.superAdminToken());
    expect(onIsp).toEqual({ status: 403 });
    const anonymous = await openFeed(SUPPORT_LIVE_PATH, 'not-a-token');
    expect(anonymous).toEqual({ status: 401 });
  });
});
