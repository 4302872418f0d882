// SMS notifications, in-process with a clock the test moves and the SMS gateway simulator on loopback:
// the sender job (claims, retries with backoff, permanent failures, SMS off), the SMS settings and
// notifications routes, tenant isolation between the two demo ISPs, and the console's Messages page.
import { type ApiDependencies, type createApp, sendPendingNotifications } from '@kiunga/control-api';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { ManualClock, openDatabases, type SqlDatabase } from '@kiunga/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import { type DemoJson, makeDataDir, removeDataDir, seedDemo } from './support/kiunga-process';
import { databaseUrlFor } from './support/test-database';

type SmsDemoTenant = DemoJson['tenants'][number] & {
  sms: { username: string; apiKey: string; senderId: string };
};

interface NotificationRow {
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  providerMessageId: string | null;
  sentAt: number | null;
}

let dataDir: string;
let kiunga: InProcessKiunga;
let sms: SmsSimulator;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
let tenants: SmsDemoTenant[];
const tokens = new Map<string, string>();
const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
const a = () => tenants[0]!;
const b = () => tenants[1]!;
let dedupeNumber = 0;

beforeAll(async () => {
  dataDir = makeDataDir();
  tenants = (await seedDemo(dataDir)).tenants as SmsDemoTenant[];
  sms = await startSmsSimulator({
    port: 0,
    accounts: tenants.map((tenant) => ({ username: tenant.sms.username, apiKey: tenant.sms.apiKey })),
  });
  kiunga = await startInProcess({ dataDir, clock, extra: { smsBaseUrl: sms.baseUrl } });
  ({ dependencies, app } = kiunga);
});

afterAll(async () => {
  await kiunga?.stop();
  await sms?.stop();
  removeDataDir(dataDir);
});

beforeEach(async () => {
  sms.reset();
  // Access tokens are short-lived and the tests move the clock by hours: sign in afresh each time.
  for (const tenant of tenants) tokens.set(tenant.id, await login(tenant.owner));
  // Each test starts with an empty queue: what an earlier test left pending is taken out of the way.
  for (const tenant of tenants) {
    await databaseOf(tenant.id).run(
      `UPDATE notifications SET status = 'failed' WHERE status IN ('pending', 'sending')`,
    );
    const put = await api(tenant, 'PUT', '/api/v1/settings/sms', {
      username: tenant.sms.username,
      apiKey: tenant.sms.apiKey,
      senderId: tenant.sms.senderId,
      enabled: true,
    });
    expect(put.status).toBe(200);
  }
});

async function login(credentials: { email: string; password: string }): Promise<string> {
  const response = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function api(
  who: SmsDemoTenant | string,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the test reads JSON loosely and asserts on it.
): Promise<{ status: number; body: any; text: string }> {
  const token = typeof who === 'string' ? who : tokens.get(who.id)!;
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

function databaseOf(tenantId: string): SqlDatabase {
  return kiunga.databases.forTenant(tenantId);
}

/** Queues a message as dunning does (dunning-store.ts queueNotification). */
async function queue(
  tenant: SmsDemoTenant,
  recipient: string | null,
  body = 'Reminder: invoice due.',
): Promise<number> {
  dedupeNumber += 1;
  const inserted = await databaseOf(tenant.id).get<{ id: number }>(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', 'payment_reminder', ?, ?, ?, 'pending', ?) RETURNING id`,
    [`test-${dedupeNumber}`, tenant.subscribers[0]!.id, recipient, body, clock.now()],
  );
  return inserted!.id;
}

async function row(tenant: SmsDemoTenant, id: number): Promise<NotificationRow> {
  const found = await databaseOf(tenant.id).get<NotificationRow>(
    `SELECT status, attempts, last_error AS "lastError", next_attempt_at AS "nextAttemptAt",
            provider_message_id AS "providerMessageId", sent_at AS "sentAt"
       FROM notifications WHERE id = ?`,
    [id],
  );
  return found!;
}

const deliveredTo = (number: string) => sms.delivered().filter((message) => message.to === number);

describe('the SMS sender job', () => {
  it('sends each pending message exactly once when two nodes run the job at the same moment', async () => {
    const ids = [
      await queue(a(), '0712345678', 'Reminder one'),
      await queue(a(), '+254722000111', 'Reminder two'),
      await queue(a(), '254733000222', 'Reminder three'),
    ];
    // A second node: its own connections to the same databases, the same clock and gateway.
    const databaseUrl = await databaseUrlFor(dataDir);
    const otherDatabases = await openDatabases({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    const otherNode: ApiDependencies = { ...dependencies, databases: otherDatabases };
    try {
      const [first, second] = await Promise.all([
        sendPendingNotifications(dependencies),
        sendPendingNotifications(otherNode),
      ]);
      expect(first.sent + second.sent).toBe(3);
    } finally {
      await otherDatabases.close();
    }
    expect(
      sms
        .delivered()
        .map((message) => message.to)
        .sort(),
    ).toEqual(['+254712345678', '+254722000111', '+254733000222']);
    const [message] = deliveredTo('+254712345678');
    expect(message).toMatchObject({
      message: 'Reminder one',
      from: a().sms.senderId,
      username: a().sms.username,
    });
    expect(await row(a(), ids[0]!)).toEqual({
      status: 'sent',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
      providerMessageId: message?.messageId,
      sentAt: clock.now(),
    });
    // A later run finds nothing left to send.
    expect(await sendPendingNotifications(dependencies)).toMatchObject({ sent: 0, failed: 0, retried: 0 });
    expect(sms.delivered()).toHaveLength(3);
  });

  it('retries a transient gateway failure after the backoff, then sends', async () => {
    sms.setBehaviour('+254722000111', 'server_error', 1);
    const id = await queue(a(), '0722000111');
    expect(await sendPendingNotifications(dependencies)).toMatchObject({ sent: 0, retried: 1 });
    const waiting = await row(a(), id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: clock.now() + 60_000 });
    expect(waiting.lastError).toMatch(/HTTP 500/);
    // Not due yet: nothing is asked of the gateway.
    const requestsBefore = sms.requestCount();
    await sendPendingNotifications(dependencies);
    expect(sms.requestCount()).toBe(requestsBefore);
    clock.advance(60_000);
    expect(await sendPendingNotifications(dependencies)).toMatchObject({ sent: 1 });
    expect(await row(a(), id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(deliveredTo('+254722000111')).toHaveLength(1);
  });

  it('gives up on a message that keeps failing for now, after the last attempt', async () => {
    sms.setBehaviour('+254733000222', 'gateway_error');
    const id = await queue(a(), '0733000222');
    for (let attempt = 0; attempt < 10 && (await row(a(), id)).status === 'pending'; attempt += 1) {
      await sendPendingNotifications(dependencies);
      clock.advance(3 * 60 * 60_000);
    }
    const given = await row(a(), id);
    expect(given.status).toBe('failed');
    expect(given.attempts).toBe(5);
    expect(given.lastError).toMatch(/GatewayError \(gave up after 5 attempts\)/);
    expect(deliveredTo('+254733000222')).toEqual([]);
  });

  it('fails a message without a phone, or to a number the gateway refuses, with a clear reason', async () => {
    const noPhone = await queue(a(), null);
    const notMobile = await queue(a(), '020 123 4567');
    const refused = await queue(a(), '+254700000403');
    expect(await sendPendingNotifications(dependencies)).toMatchObject({ failed: 3, sent: 0 });
    expect(await row(a(), noPhone)).toMatchObject({
      status: 'failed',
      lastError: 'the subscriber has no phone number',
    });
    expect(await row(a(), notMobile)).toMatchObject({
      status: 'failed',
      lastError: '020 123 4567 is not a Kenyan mobile number',
    });
    expect(await row(a(), refused)).toMatchObject({
      status: 'failed',
      lastError: 'gateway: InvalidPhoneNumber',
      attempts: 1,
    });
    // Only the well-formed number reached the gateway; nothing was delivered.
    expect(sms.messages().map((message) => message.to)).toEqual(['+254700000403']);
    await sendPendingNotifications(dependencies);
    expect(sms.messages()).toHaveLength(1);
  });

  it('leaves messages pending while the ISP has SMS off, and sends them once it is on again', async () => {
    const off = await api(b(), 'PUT', '/api/v1/settings/sms', { username: b().sms.username, enabled: false });
    expect(off.body).toMatchObject({ isConfigured: true, enabled: false });
    const id = await queue(b(), '0799000444');
    await sendPendingNotifications(dependencies);
    expect(await row(b(), id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(sms.requestCount()).toBe(0);
    // Turned on without giving the API key again: the stored one is kept.
    await api(b(), 'PUT', '/api/v1/settings/sms', { username: b().sms.username, enabled: true });
    await sendPendingNotifications(dependencies);
    expect((await row(b(), id)).status).toBe('sent');
    expect(deliveredTo('+254799000444')).toEqual([expect.objectContaining({ username: b().sms.username })]);
  });

  it('keeps messages pending when the gateway refuses the API key, trying one per run', async () => {
    await api(b(), 'PUT', '/api/v1/settings/sms', {
      username: b().sms.username,
      apiKey: 'wrong',
      enabled: true,
    });
    const first = await queue(b(), '0799000444');
    const second = await queue(b(), '0799000445');
    await sendPendingNotifications(dependencies);
    expect(sms.requestCount()).toBe(1);
    expect(await row(b(), first)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row(b(), first)).lastError).toMatch(/refused the username or API key/);
    expect(await row(b(), second)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('takes back a message whose sender died mid-send once its claim runs out', async () => {
    const id = await queue(a(), '0712345678');
    await databaseOf(a().id).run(
      `UPDATE notifications SET status = 'sending', attempts = 1, claimed_until = ? WHERE id = ?`,
      [clock.now() + 60_000, id],
    );
    await sendPendingNotifications(dependencies);
    expect((await row(a(), id)).status).toBe('sending'); // the claim still holds
    clock.advance(60_001);
    await sendPendingNotifications(dependencies);
    expect(await row(a(), id)).toMatchObject({ status: 'pending', lastError: 'sending was interrupted' });
    clock.advance(60_000);
    await sendPendingNotifications(dependencies);
    expect(await row(a(), id)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('SMS settings and notifications API', () => {
  it('reads back the settings without the API key, and audits a change without it', async () => {
    const read = await api(a(), 'GET', '/api/v1/settings/sms');
    expect(read.body).toEqual({
      isConfigured: true,
      enabled: true,
      username: a().sms.username,
      senderId: a().sms.senderId,
    });
    const put = await api(a(), 'PUT', '/api/v1/settings/sms', {
      username: a().sms.username,
      apiKey: 'a-new-secret-api-key',
      senderId: null,
      enabled: true,
    });
    expect(put.body).toEqual({
      isConfigured: true,
      enabled: true,
      username: a().sms.username,
      senderId: null,
    });
    expect(put.text).not.toContain('a-new-secret-api-key');
    const audit = await api(a(), 'GET', '/api/v1/audit?action=settings.sms.update');
    expect(audit.body.items[0].detail).toEqual({
      username: a().sms.username,
      senderId: null,
      enabled: true,
      isApiKeyChanged: true,
    });
    expect(JSON.stringify(audit.body)).not.toContain('a-new-secret-api-key');
    // Stored sealed: the key is not in the shard's settings as text.
    const stored = await databaseOf(a().id).get<{ value: string }>(
      `SELECT value FROM tenant_settings WHERE key = 'sms.config'`,
    );
    expect(stored?.value).not.toContain('a-new-secret-api-key');
  });

  it('refuses invalid settings with validation_failed, and an API key is needed the first time', async () => {
    for (const body of [
      { username: 'isp', apiKey: 'key', senderId: 'FAR-TOO-LONG-SENDER', enabled: true },
      { username: 'bad name!', apiKey: 'key', enabled: true },
      { username: 'isp', apiKey: 'key' },
    ]) {
      const response = await api(a(), 'PUT', '/api/v1/settings/sms', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    await databaseOf(b().id).run(`DELETE FROM tenant_settings WHERE key = 'sms.config'`);
    expect((await api(b(), 'GET', '/api/v1/settings/sms')).body).toEqual({
      isConfigured: false,
      enabled: false,
      username: null,
      senderId: null,
    });
    const withoutKey = await api(b(), 'PUT', '/api/v1/settings/sms', { username: 'isp', enabled: true });
    expect(withoutKey.status).toBe(400);
    expect(withoutKey.body.error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/API key/),
    });
  });

  it('lets only settings.write change the settings, and billing.read list the messages', async () => {
    const created = await api(a(), 'POST', '/api/v1/api-keys', {
      name: 'read only',
      permissions: ['billing.read'],
    });
    expect(created.status).toBe(201);
    const readOnly = created.body.key as string;
    const put = await api(readOnly, 'PUT', '/api/v1/settings/sms', {
      username: 'hijack',
      apiKey: 'k',
      enabled: false,
    });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe('forbidden');
    expect((await api(readOnly, 'GET', '/api/v1/notifications')).status).toBe(200);
    const noBilling = await api(a(), 'POST', '/api/v1/api-keys', {
      name: 'plans only',
      permissions: ['plans.read'],
    });
    const refused = await api(noBilling.body.key as string, 'GET', '/api/v1/notifications');
    expect(refused.status).toBe(403);
    expect((await api(a(), 'GET', '/api/v1/settings/sms')).body.username).toBe(a().sms.username);
  });

  it('lists messages newest first with a status filter and cursor pages', async () => {
    const ids = [
      await queue(a(), null, 'first'),
      await queue(a(), '0712345678', 'second'),
      await queue(a(), '0712345678', 'third'),
    ];
    clock.advance(1);
    await sendPendingNotifications(dependencies);
    const firstPage = await api(a(), 'GET', '/api/v1/notifications?limit=2');
    expect(firstPage.body.items.map((item: { id: number }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(firstPage.body.items[0]).toMatchObject({
      kind: 'payment_reminder',
      body: 'third',
      recipient: '0712345678',
      status: 'sent',
      attempts: 1,
      providerMessageId: expect.stringMatching(/^ATXid_/),
      sentAt: clock.now(),
    });
    const secondPage = await api(
      a(),
      'GET',
      `/api/v1/notifications?limit=2&cursor=${firstPage.body.nextCursor}`,
    );
    expect(secondPage.body.items[0]).toMatchObject({ id: ids[0], status: 'failed' });
    const failed = await api(a(), 'GET', '/api/v1/notifications?status=failed&limit=200');
    expect(failed.body.items.map((item: { id: number }) => item.id)).toContain(ids[0]);
    expect(failed.body.items.every((item: { status: string }) => item.status === 'failed')).toBe(true);
    const invalid = await api(a(), 'GET', '/api/v1/notifications?status=lost');
    expect(invalid.status).toBe(400);
  });
});

describe('tenant isolation of SMS', () => {
  it('B’s token never reads A’s messages or settings, and cannot change A’s', async () => {
    const secretBody = `A-only reminder ${Date.now()}`;
    const id = await queue(a(), null, secretBody);
    const subscriberOfA = a().subscribers[0]!.id;
    for (const path of [
      '/api/v1/notifications?limit=200',
      '/api/v1/notifications?status=pending&limit=200',
      `/api/v1/notifications?subscriberId=${subscriberOfA}`,
    ]) {
      const list = await api(b(), 'GET', path);
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(secretBody);
      expect(
        list.body.items.every((item: { subscriberId: string }) => item.subscriberId !== subscriberOfA),
      ).toBe(true);
    }
    expect((await api(a(), 'GET', '/api/v1/notifications?status=pending')).text).toContain(secretBody);
    const settingsOfB = await api(b(), 'GET', '/api/v1/settings/sms');
    expect(settingsOfB.body.username).toBe(b().sms.username);
    expect(settingsOfB.text).not.toContain(a().sms.username);
    await api(b(), 'PUT', '/api/v1/settings/sms', { username: 'b-changed', enabled: false });
    expect((await api(a(), 'GET', '/api/v1/settings/sms')).body).toMatchObject({
      username: a().sms.username,
      enabled: true,
    });
    // A's message goes out through A's account only.
    await databaseOf(a().id).run('UPDATE notifications SET recipient = ? WHERE id = ?', ['0712345678', id]);
    await sendPendingNotifications(dependencies);
    expect(sms.delivered().map((message) => [message.username, message.message])).toEqual([
      [a().sms.username, secretBody],
    ]);
  });
});

describe('the console Messages page', () => {
  it('lists messages with their state, has an empty state, and saves the SMS settings', async () => {
    const session = await app.request('/api/v1/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(b().owner),
    });
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const page = async (path: string) => {
      const response = await app.request(path, { headers: { cookie } });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await page('/isp/messages?status=sending')).toContain('No message has this status.');
    const id = await queue(b(), null, 'Your internet service is suspended');
    await sendPendingNotifications(dependencies);
    const html = await page('/isp/messages');
    expect(html).toContain(`data-message="${id}"`);
    expect(html).toContain('the subscriber has no phone number');
    expect(html).toContain('href="/isp/messages"');
    expect(html).not.toContain(b().sms.apiKey);
    const saved = await app.request('/isp/messages/sms-settings', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken, username: b().sms.username, senderId: '' }).toString(),
    });
    expect(saved.status).toBe(303);
    expect((await api(b(), 'GET', '/api/v1/settings/sms')).body).toEqual({
      isConfigured: true,
      enabled: false,
      username: b().sms.username,
      senderId: null,
    });
    expect(await page('/isp/messages')).toContain('SMS is off');
  });
});
