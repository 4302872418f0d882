// The chat sockets on a real loopback HTTP server over the in-process app: staff get their own ISP's
// new messages live (never another ISP's), a client gets the ISP's reply live (and, being connected,
// no SMS for it), and a client's cookie opens no socket on another ISP's portal or from another site.

import { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TEST_ORIGIN, type TestIsp, useTwoIspApp } from '../../kernel/testing/in-process-app';
import { createUpgradeRouter } from '../../kernel/ws-upgrade';
import {
  cookieOf,
  createSubscriber,
  createVoucher,
  csrfOf,
  proveVoucher,
  signInSubscriber,
} from './chat-testing';
import { type ChatFeed, startChatFeed } from './live';

/** How long a message may take to cross: a poll is 1 s; a loaded machine is slower. */
const MESSAGE_TIMEOUT_MS = 10_000;

const opened = useTwoIspApp('chat-live');
let server: ServerType;
let feed: ChatFeed;
let baseUrl: string;
let ispA: TestIsp;
let ispB: TestIsp;

interface ChatEvent {
  type: string;
  conversation?: { id: string; client: { label: string }; unread: number };
  message?: { author: string; body: string };
}

/** An open socket: every event kept, and a way to wait for one. */
class Socket {
  readonly events: ChatEvent[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as ChatEvent);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  async waitFor(test: (event: ChatEvent) => boolean): Promise<ChatEvent> {
    const deadline = Date.now() + MESSAGE_TIMEOUT_MS;
    for (;;) {
      const found = this.events.find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

/** Opens a socket; answers it once 'ready', or the HTTP status it was refused with. */
function connect(path: string, headers: Record<string, string>): Promise<Socket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}`, { headers });
    const wrapped = new Socket(socket);
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
    void wrapped.waitFor((event) => event.type === 'ready').then(() => resolve(wrapped), reject);
  });
}

async function opensSocket(path: string, headers: Record<string, string>): Promise<Socket> {
  const outcome = await connect(path, headers);
  if (typeof outcome === 'number') throw new Error(`socket refused with ${outcome}`);
  return outcome;
}

async function post(path: string, fields: Record<string, string>, cookie = '') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return opened().app.request(path, { method: 'POST', headers: { cookie, origin: TEST_ORIGIN }, body: form });
}

let subscriberCookie: string;
let voucherCookie: string;

beforeAll(async () => {
  ({ ispA, ispB } = opened());
  const app = opened().app;
  await createSubscriber(ispA, 'akinyi', '0711222333');
  subscriberCookie = await signInSubscriber(app, ispA, 'akinyi');
  const proven = await proveVoucher(app, ispA, (await createVoucher(ispA)).code);
  voucherCookie = cookieOf(proven, 'kiunga_chat');

  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: opened().app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started),
    );
  });
  if (!(server instanceof HttpServer)) throw new Error('expected a node:http server');
  feed = startChatFeed(createUpgradeRouter(server), opened().dependencies);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await feed?.stop();
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
});

describe('chat sockets', () => {
  it('staff get their ISP’s new message live, never another ISP’s; the connected client gets the reply, with no SMS', async () => {
    const staffA = await opensSocket('/api/v1/chat/live', { authorization: `Bearer ${ispA.token}` });
    const staffB = await opensSocket('/api/v1/chat/live', { authorization: `Bearer ${ispB.token}` });
    const client = await opensSocket(`/account/${ispA.slug}/chat/live`, {
      cookie: subscriberCookie,
      origin: TEST_ORIGIN,
    });

    const csrf = await csrfOf(opened().app, `/account/${ispA.slug}/chat`, subscriberCookie);
    expect(
      (
        await post(
          `/account/${ispA.slug}/chat/messages`,
          { _csrf: csrf, body: 'Is there an outage?' },
          subscriberCookie,
        )
      ).status,
    ).toBe(303);
    const arrived = await staffA.waitFor((event) => event.message?.body === 'Is there an outage?');
    expect(arrived.conversation).toMatchObject({ client: { label: 'akinyi' }, unread: 1 });

    // The client's socket was opened before the conversation existed; it reconnects as a page reload would.
    client.socket.close();
    const reopened = await opensSocket(`/account/${ispA.slug}/chat/live`, {
      cookie: subscriberCookie,
      origin: TEST_ORIGIN,
    });
    const reply = await ispA.request(
      'POST',
      `/api/v1/chat/conversations/${arrived.conversation!.id}/messages`,
      {
        body: 'Yes, fixed within the hour',
      },
    );
    expect(await reply.json()).toMatchObject({ smsQueued: false });
    await reopened.waitFor(
      (event) => event.message?.author === 'staff' && event.message.body === 'Yes, fixed within the hour',
    );

    // ISP B's staff saw none of it: their first message is their own ISP's.
    const provenB = await proveVoucher(opened().app, ispB, (await createVoucher(ispB)).code);
    const cookieB = cookieOf(provenB, 'kiunga_chat');
    const csrfB = await csrfOf(opened().app, `/portal/${ispB.slug}/chat`, cookieB);
    await post(`/portal/${ispB.slug}/chat/messages`, { _csrf: csrfB, body: 'Hello B' }, cookieB);
    await staffB.waitFor((event) => event.type === 'message');
    expect(
      staffB.events.filter((event) => event.type === 'message').map((event) => event.message?.body),
    ).toEqual(['Hello B']);
    expect(staffA.events.some((event) => event.message?.body === 'Hello B')).toBe(false);
    for (const socket of [staffA, staffB, reopened]) socket.socket.close();
  });

  it('a client cookie opens no socket on another ISP’s portal, from another site, or without a cookie', async () => {
    expect(
      await connect(`/account/${ispB.slug}/chat/live`, { cookie: subscriberCookie, origin: TEST_ORIGIN }),
    ).toBe(401);
    expect(
      await connect(`/portal/${ispB.slug}/chat/live`, { cookie: voucherCookie, origin: TEST_ORIGIN }),
    ).toBe(401);
    expect(
      await connect(`/portal/${ispA.slug}/chat/live`, {
        cookie: voucherCookie,
        origin: 'https://evil.example',
      }),
    ).toBe(403);
    expect(await connect(`/portal/${ispA.slug}/chat/live`, { origin: TEST_ORIGIN })).toBe(401);
    expect(await connect('/api/v1/chat/live', {})).toBe(401);
    const voucherSocket = await opensSocket(`/portal/${ispA.slug}/chat/live`, {
      cookie: voucherCookie,
      origin: TEST_ORIGIN,
    });
    voucherSocket.socket.close();
  });
});
