// "Forgot password" for every kind of account, in-process with a clock the test moves and an SMTP sink
// on loopback: the mail goes out through the outbox job, its link works once and for 30 minutes, an
// unknown email answers 202 alike and sends nothing, and with email off nothing is queued.
import { type ApiDependencies, createApp, sendPendingEmails } from '@kiunga/control-api';
import type { SmtpSink } from '@kiunga/ops/sim/smtp';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MailingInProcess, startMailingInProcess } from './support/in-process';
import type { DemoJson } from './support/kiunga-process';

const PUBLIC_URL = 'http://127.0.0.1:9';
let kiunga: MailingInProcess;
let sink: SmtpSink;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
let demo: DemoJson;
const clock = new ManualClock(Date.UTC(2030, 2, 1, 7));
let freshPasswordNumber = 0;

beforeAll(async () => {
  kiunga = await startMailingInProcess({ clock, publicUrl: PUBLIC_URL });
  ({ dependencies, app, demo, sink } = kiunga);
});

afterAll(async () => {
  await kiunga?.stop();
});

beforeEach(() => {
  sink.reset();
  // Each test a new hour: the per-email limit (3 an hour) of an earlier test does not carry over.
  clock.advance(2 * 60 * 60_000);
});

async function post(path: string, body: unknown, target = app) {
  return target.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The token of the link in the mail to `email` (text part), after the job sent it. */
async function resetTokenMailedTo(email: string): Promise<{ link: string; token: string }> {
  const result = await sendPendingEmails(dependencies);
  expect(result.sent).toBeGreaterThanOrEqual(1);
  const message = await sink.waitForMessage(email);
  expect(message.subject).toBe('Reset your Kiunga password');
  const link = /(http\S+\/reset-password\?token=\S+)/.exec(message.text)?.[1];
  expect(link).toBeDefined();
  const url = new URL(link!);
  expect(url.origin).toBe(PUBLIC_URL);
  return { link: link!, token: url.searchParams.get('token')! };
}

function nextPassword(): string {
  freshPasswordNumber += 1;
  return `new-secret-${freshPasswordNumber}-horse`;
}

describe('password reset by email', () => {
  it('mails an ISP owner a link that sets a new password once, and ends the old sessions', async () => {
    const owner = demo.tenants[0]!.owner;
    const signedIn = await post('/api/v1/auth/login', owner);
    expect(signedIn.status).toBe(200);
    const { refreshToken } = (await signedIn.json()) as { refreshToken: string };

    expect((await post('/api/v1/auth/password-reset', { email: owner.email })).status).toBe(202);
    const { link, token } = await resetTokenMailedTo(owner.email);

    const page = await app.request(new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`name="token" value="${token}"`);

    const password = nextPassword();
    expect((await post('/api/v1/auth/password-reset/confirm', { token, password })).status).toBe(204);
    const again = await post('/api/v1/auth/password-reset/confirm', { token, password: nextPassword() });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('validation_failed');

    expect((await post('/api/v1/auth/login', owner)).status).toBe(401);
    expect((await post('/api/v1/auth/login', { email: owner.email, password })).status).toBe(200);
    expect((await post('/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
    owner.password = password;
  });

  it('works for a platform account too, through the no-JavaScript forms', async () => {
    const admin = demo.superAdmin;
    const asked = await app.request('/forgot-password', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: admin.email }).toString(),
    });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/login');
    const { token } = await resetTokenMailedTo(admin.email);
    const password = nextPassword();
    const set = await app.request('/reset-password', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, password }).toString(),
    });
    expect(set.status).toBe(303);
    expect((await post('/api/v1/auth/login', { email: admin.email, password })).status).toBe(200);
    admin.password = password;
  });

  it('answers 202 for an unknown email and sends nothing', async () => {
    const response = await post('/api/v1/auth/password-reset', { email: 'nobody-here@example.org' });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(await sendPendingEmails(dependencies)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(sink.messages()).toHaveLength(0);
  });

  it('refuses a link older than 30 minutes', async () => {
    const owner = demo.tenants[1]!.owner;
    expect((await post('/api/v1/auth/password-reset', { email: owner.email })).status).toBe(202);
    const { token } = await resetTokenMailedTo(owner.email);
    clock.advance(30 * 60_000);
    const late = await post('/api/v1/auth/password-reset/confirm', { token, password: nextPassword() });
    expect(late.status).toBe(400);
    expect((await post('/api/v1/auth/login', owner)).status).toBe(200);
  });

  it('sends at most three links an hour to one address, and says 429 after', async () => {
    const email = demo.tenants[1]!.owner.email;
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await post('/api/v1/auth/password-reset', { email })).status).toBe(202);
    const refused = await post('/api/v1/auth/password-reset', { email });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await sendPendingEmails(dependencies)).sent).toBe(3);
  });

  it('with email off answers 202 and queues nothing', async () => {
    const withoutEmail = createApp({ ...dependencies, email: null });
    const response = await post(
      '/api/v1/auth/password-reset',
      { email: demo.tenants[0]!.owner.email },
      withoutEmail,
    );
    expect(response.status).toBe(202);
    expect(await sendPendingEmails(dependencies)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(sink.messages()).toHaveLength(0);
  });
});
