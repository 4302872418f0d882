// End to end: the live sessions WebSocket (/api/v1/sessions/live) of the real ./kiunga start, fed by
// accounting that radclient sends as each ISP's router would; who may open it, and what each ISP sees.
// Also the operator's platform live view (/api/v1/platform/live) over the same upgrade and sender.
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, clientWithToken, login } from './support/api-client';
import { apiRequest, cookieSession, createAccount } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
/** How long a message may take: the feed looks every few seconds; a loaded CI machine is slower. */
const MESSAGE_TIMEOUT_MS = 20_000;
const OPEN_TIMEOUT_MS = 10_000;

interface LiveSession {
  id: string;
  username: string;
  acctSessionId: string;
  framedIp: string | null;
  inputOctets: number;
}
interface FeedMessage {
  type: string;
  /** The platform live view's figures (type 'platform_live'). */
  onlineClients?: number;
  accessRequestsPerSecond?: number;
  accountingPerSecond?: number;
  rejectsPerMinuteByReason?: Record<string, number>;
  paymentsPerMinute?: number;
  sessions: LiveSession[];
  total: number;
  at: number;
  nas?: unknown;
  throughput?: Record<string, { in: number | null; out: number | null }>;
}

/** An open feed: every message kept, and a way to wait for one that matters. */
class Feed {
  readonly messages: FeedMessage[] = [];
  readonly closed: Promise<number>;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as FeedMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  /** The first message from index `from` on that passes `test`; fails after the timeout. */
  async waitFor(test: (message: FeedMessage) => boolean, from = 0): Promise<FeedMessage> {
    const deadline = Date.now() + MESSAGE_TIMEOUT_MS;
    for (;;) {
      const found = this.messages.slice(from).find(test);
      if (found) return found;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw new Error(`no such message in ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

type Opened = { feed: Feed } | { status: number; body: { error: { code: string } } };

const openSockets: WebSocket[] = [];

/** Opens the feed with these headers: an open feed, or the HTTP refusal of the upgrade. */
const SESSIONS_PATH = '/api/v1/sessions/live';
const PLATFORM_PATH = '/api/v1/platform/live';

function openFeed(headers: Record<string, string>, path = SESSIONS_PATH): Promise<Opened> {
  const socket = new WebSocket(`ws://127.0.0.1:${suite.kiunga.httpPort}${path}`, {
    headers,
    handshakeTimeout: OPEN_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    // Before 'open' resolves: the first message may arrive in the same tick.
    const feed = new Feed(socket);
    socket.once('open', () => {
      openSockets.push(socket);
      resolve({ feed });
    });
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
}

async function openedFeed(headers: Record<string, string>, path = SESSIONS_PATH): Promise<Feed> {
  const opened = await openFeed(headers, path);
  if (!('feed' in opened)) throw new Error(`refused: ${opened.status} ${JSON.stringify(opened.body)}`);
  return opened.feed;
}

async function expectRefused(
  headers: Record<string, string>,
  status: number,
  code: string,
  path = SESSIONS_PATH,
) {
  const opened = await openFeed(headers, path);
  expect('feed' in opened ? 'opened' : opened.status).toBe(status);
  if (!('feed' in opened)) expect(opened.body.error.code).toBe(code);
}

const first = () => suite.demo.tenants[0]!;
const second = () => suite.demo.tenants[1]!;
const bearer = (client: ApiClient) => ({ authorization: `Bearer ${client.token}` });

/** Accounting from an ISP's router: the first ISP's NAS is 127.0.0.1, the second's 127.0.0.2. */
function accounting(tenant: 'first' | 'second', attributes: Record<string, string | number>) {
  const isSecond = tenant === 'second';
  return radclient({
    server: `127.0.0.1:${suite.kiunga.acctPort}`,
    command: 'acct',
    secret: (isSecond ? second() : first()).nas[0]!.secret,
    attributes: isSecond
      ? { ...attributes, 'Packet-Src-IP-Address': '127.0.0.2', 'Message-Authenticator': '0x00' }
      : attributes,
  });
}

afterAll(() => {
  // Sockets left open on purpose end with the server; any other is closed here.
  for (const socket of openSockets) socket.terminate();
});

describe('who may open the live feed', () => {
  it('refuses an upgrade without credentials, or with a bad token, with 401', async () => {
    await expectRefused({}, 401, 'unauthenticated');
    await expectRefused({ authorization: 'Bearer not-a-token' }, 401, 'unauthenticated');
  });

  it('refuses 403 without sessions.read, to a platform account, and until a reset password is changed', async () => {
    const owner = await login(suite.baseUrl, first().owner);
    const role = await owner.post('/api/v1/roles', { name: 'plans-only', permissions: ['plans.read'] });
    expect(role.status).toBe(201);
    const staff = await createAccount(suite.baseUrl, owner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'plans-only',
    });
    await expectRefused(bearer(staff.client), 403, 'forbidden');
    const key = await owner.post('/api/v1/api-keys', { name: 'audit only', permissions: ['audit.read'] });
    await expectRefused(bearer(clientWithToken(suite.baseUrl, key.body.key)), 403, 'forbidden');
    const admin = await login(suite.baseUrl, suite.demo.superAdmin);
    await expectRefused(bearer(admin), 403, 'forbidden');

    // A technician may watch sessions, but not with a password a superior set.
    const technician = await createAccount(suite.baseUrl, owner, {
      scope: 'isp',
      kind: 'technician',
      roleName: 'technician',
    });
    (await openedFeed(bearer(technician.client))).socket.close();
    const reset = await owner.post(`/api/v1/users/${technician.id}/reset-password`, {});
    const signedIn = await apiRequest(suite.baseUrl, 'POST', '/api/v1/auth/login', {
      body: { email: technician.email, password: reset.body.temporaryPassword },
    });
    expect(signedIn.status).toBe(200);
    await expectRefused({ authorization: `Bearer ${signedIn.body.token}` }, 403, 'password_change_required');
  });

  it('takes a console cookie only from its own origin (no cross-site hijacking)', async () => {
    const { cookie } = await cookieSession(suite.baseUrl, first().owner);
    await expectRefused({ cookie, origin: 'https://evil.example' }, 403, 'forbidden');
    await expectRefused({ cookie }, 403, 'forbidden');
    const feed = await openedFeed({ cookie, origin: suite.baseUrl });
    await feed.waitFor((message) => message.type === 'sessions');
    feed.socket.close();
  });

  it('answers another WebSocket path with 404', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${suite.kiunga.httpPort}/api/v1/elsewhere`);
    const status = await new Promise<number>((resolve, reject) => {
      socket.on('error', reject);
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    });
    expect(status).toBe(404);
  });
});

describe('what the live feed sends', () => {
  const lists = (message: FeedMessage, acctSessionId: string) =>
    message.sessions.some((session) => session.acctSessionId === acctSessionId);
  const firstVoucher = () => first().vouchers[1]!;
  const secondVoucher = () => second().vouchers[0]!;
  const firstSession = {
    'User-Name': '',
    'Acct-Session-Id': 'live0a01',
    'Calling-Station-Id': '02:00:00:00:a0:01',
    'Framed-IP-Address': '10.5.60.7',
  };

  it("pushes an ISP's new session, its counters and its end, and never another ISP's", async () => {
    const ownerA = await login(suite.baseUrl, first().owner);
    const ownerB = await login(suite.baseUrl, second().owner);
    const feedA = await openedFeed(bearer(ownerA));
    const feedB = await openedFeed(bearer(ownerB));
    const welcome = await feedA.waitFor((message) => message.type === 'sessions');
    expect(welcome).toMatchObject({ total: 0, sessions: [] });

    const start = await accounting('second', {
      'User-Name': secondVoucher().code,
      'Acct-Session-Id': 'live0b01',
      'Acct-Status-Type': 'Start',
      'Calling-Station-Id': '02:00:00:00:b0:01',
      'Framed-IP-Address': '10.6.60.7',
    });
    expect(start.code).toBe('Accounting-Response');
    await feedB.waitFor((message) => lists(message, 'live0b01'));

    const session = { ...firstSession, 'User-Name': firstVoucher().code };
    expect((await accounting('first', { ...session, 'Acct-Status-Type': 'Start' })).code).toBe(
      'Accounting-Response',
    );
    const started = await feedA.waitFor((message) => lists(message, 'live0a01'));
    expect(started.total).toBe(1);
    const listed = started.sessions.find((item) => item.acctSessionId === 'live0a01')!;
    expect(listed).toMatchObject({ username: firstVoucher().code, framedIp: '10.5.60.7' });
    // The same item GET /api/v1/sessions gives, but for the uptime, which grows.
    const rest = await ownerA.get('/api/v1/sessions');
    const { uptimeSeconds: _fromFeed, ...fromFeed } = listed as LiveSession & { uptimeSeconds: number };
    const { uptimeSeconds: _fromRest, ...fromRest } = rest.body.items[0];
    expect(fromFeed).toEqual(fromRest);

    const interim = await accounting('first', {
      ...session,
      'Acct-Status-Type': 'Interim-Update',
      'Acct-Input-Octets': 4096,
      'Acct-Session-Time': 30,
    });
    expect(interim.code).toBe('Accounting-Response');
    const counted = await feedA.waitFor((message) =>
      message.sessions.some((item) => item.acctSessionId === 'live0a01' && item.inputOctets === 4096),
    );
    // Per-NAS totals of the ISP's live view (issue 12): its one router, one client, 4 KiB in. The
    // client's rate is known only if the feed saw the Start before the interim (it looks every 3 s);
    // either way the router's rate is its one client's.
    const nasId = (counted.sessions[0] as LiveSession & { nasId: string }).nasId;
    const clientRate = counted.throughput?.[listed.id];
    expect(clientRate?.out ?? 0).toBe(0);
    expect(counted.nas).toEqual([
      {
        nasId,
        sessions: 1,
        inputOctets: 4096,
        outputOctets: 0,
        inBitsPerSecond: clientRate?.in ?? 0,
        outBitsPerSecond: 0,
      },
    ]);

    const seen = feedA.messages.length;
    const stop = await accounting('first', {
      ...session,
      'Acct-Status-Type': 'Stop',
      'Acct-Terminate-Cause': 'User-Request',
      'Acct-Session-Time': 45,
    });
    expect(stop.code).toBe('Accounting-Response');
    const after = await feedA.waitFor((message) => message.type === 'sessions', seen);
    expect(lists(after, 'live0a01')).toBe(false);
    expect(after.total).toBe(0);

    // The first ISP's feed never carried the second ISP's session, nor the other way round.
    expect(feedA.messages.some((message) => lists(message, 'live0b01'))).toBe(false);
    expect(feedB.messages.some((message) => lists(message, 'live0a01'))).toBe(false);
    expect(JSON.stringify(feedB.messages)).not.toContain(nasId);
    expect(JSON.stringify(feedA.messages)).not.toContain(secondVoucher().code);
    feedB.socket.close();
    feedA.socket.close();
  });

  it("pushes the platform live view to a platform admin as the AAA figures move; an ISP's token cannot open it", async () => {
    const owner = await login(suite.baseUrl, first().owner);
    await expectRefused({}, 401, 'unauthenticated', PLATFORM_PATH);
    await expectRefused(bearer(owner), 403, 'forbidden', PLATFORM_PATH);
    const admin = await login(suite.baseUrl, suite.demo.superAdmin);
    const feed = await openedFeed(bearer(admin), PLATFORM_PATH);
    const isView = (message: FeedMessage) => message.type === 'platform_live';
    const welcome = await feed.waitFor(isView);
    expect(welcome).toMatchObject({ nas: { total: 2 }, paymentsPerMinute: 0 });
    const seen = feed.messages.length;

    // A client comes online, and a wrong password is refused, at the first ISP's router.
    const voucher = first().vouchers[2]!;
    const started = await accounting('first', {
      'User-Name': voucher.code,
      'Acct-Status-Type': 'Start',
      'Acct-Session-Id': 'livep001',
      'Calling-Station-Id': '02:00:00:00:a0:09',
    });
    expect(started.code).toBe('Accounting-Response');
    const refused = await radclient({
      server: `127.0.0.1:${suite.kiunga.authPort}`,
      command: 'auth',
      secret: first().nas[0]!.secret,
      attributes: { 'User-Name': voucher.code, 'User-Password': 'not-the-code' },
    });
    expect(refused.code).toBe('Access-Reject');
    const moved = await feed.waitFor(
      (message) =>
        isView(message) &&
        message.onlineClients === (welcome.onlineClients ?? 0) + 1 &&
        (message.accountingPerSecond ?? 0) > 0 &&
        (message.accessRequestsPerSecond ?? 0) > 0 &&
        Object.keys(message.rejectsPerMinuteByReason ?? {}).length > 0,
      seen,
    );
    expect(Object.values(moved.rejectsPerMinuteByReason ?? {}).every((perMinute) => perMinute > 0)).toBe(
      true,
    );
    // No ISP's sessions or names travel on the platform feed.
    expect(JSON.stringify(feed.messages)).not.toContain(voucher.code);
    feed.socket.close();
    const stopped = await accounting('first', {
      'User-Name': voucher.code,
      'Acct-Status-Type': 'Stop',
      'Acct-Session-Id': 'livep001',
      'Calling-Station-Id': '02:00:00:00:a0:09',
      'Acct-Session-Time': 5,
    });
    expect(stopped.code).toBe('Accounting-Response');
  });

  // Last in the file: it stops the server, which useDemoKiunga's afterAll then finds stopped.
  it('stops cleanly with a feed open: the socket is closed as going away and kiunga exits 0', async () => {
    const feed = await openedFeed(bearer(await login(suite.baseUrl, first().owner)));
    await feed.waitFor((message) => message.type === 'sessions');
    expect(await suite.kiunga.stop()).toBe(0);
    expect(await feed.closed).toBe(1001);
  });
});
