// Email to subscribers and ISP owners (issue 14), in-process with a clock the test moves and an SMTP sink on
// loopback: a subscriber's address is validated and kept; a new invoice is mailed to them once, in the ISP's
// language, with its PDF; "forgot password" works for a subscriber of the customer portal (the link arrives,
// sets the PPPoE password once), and for a reseller; a router gone silent, and heard again, is mailed to the ISP's owner.
import {
  type ApiDependencies,
  type createApp,
  queueInvoiceEmails,
  runNasMonitoring,
  runTenantInvoices,
  sendPendingEmails,
} from '@kiunga/control-api';
import type { SmtpSink } from '@kiunga/ops/sim/smtp';
import { insertOf, ManualClock, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailingInProcess, startMailingInProcess } from './support/in-process';
import type { DemoJson } from './support/kiunga-process';

const PUBLIC_URL = 'http://127.0.0.1:9';
const SUBSCRIBER_EMAIL = 'achieng.otieno@example.org';
const FIRST_PASSWORD = 'first-pppoe-secret';
let kiunga: MailingInProcess;
let sink: SmtpSink;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
let demo: DemoJson;
let ownerToken: string;
let subscriberId: string;
const clock = new ManualClock(Date.UTC(2030, 2, 1, 7));

const tenant = () => demo.tenants[0]!;

async function call(method: string, path: string, body?: unknown, token = ownerToken) {
  return app.request(path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function postForm(path: string, form: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

beforeAll(async () => {
  kiunga = await startMailingInProcess({ clock, publicUrl: PUBLIC_URL });
  ({ dependencies, app, demo, sink } = kiunga);
  const signedIn = await call('POST', '/api/v1/auth/login', tenant().owner, '');
  ownerToken = ((await signedIn.json()) as { token: string }).token;
});

afterAll(async () => {
  await kiunga?.stop();
});

describe('email to subscribers', () => {
  it('takes an optional, validated email address on a subscriber, kept lower-case', async () => {
    const plan = tenant().plans.find((candidate) => candidate.kind === 'pppoe')!;
    const refused = await call('POST', '/api/v1/subscribers', {
      username: 'achieng',
      password: FIRST_PASSWORD,
      planId: plan.id,
      email: 'not-an-address',
    });
    expect(refused.status).toBe(400);
    const created = await call('POST', '/api/v1/subscribers', {
      username: 'achieng',
      password: FIRST_PASSWORD,
      planId: plan.id,
      fullName: 'Achieng Otieno',
    });
    expect(created.status).toBe(201);
    subscriberId = ((await created.json()) as { id: string }).id;
    const saved = await call('PATCH', `/api/v1/subscribers/${subscriberId}`, {
      email: ' Achieng.Otieno@Example.ORG ',
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ id: subscriberId, email: SUBSCRIBER_EMAIL });
  });

  it('mails a new invoice to the subscriber once, in the ISP’s language, with the invoice as a PDF', async () => {
    expect((await call('PUT', '/api/v1/settings/language', { default: 'sw' })).status).toBe(200);
    await runTenantInvoices(dependencies.databases.forTenant(tenant().id), tenant().id, clock.now());
    const invoices = await call('GET', `/api/v1/invoices?subscriberId=${subscriberId}`);
    const [invoice] = ((await invoices.json()) as { items: Array<{ id: string; number: string }> }).items;
    expect(invoice).toBeDefined();

    expect(await queueInvoiceEmails(dependencies)).toEqual({ queued: 1 });
    expect((await sendPendingEmails(dependencies)).sent).toBe(1);
    const mail = await sink.waitForMessage(SUBSCRIBER_EMAIL);
    expect(mail.subject).toContain(`Ankara ${invoice!.number} kutoka ${tenant().name}`);
    expect(mail.text).toContain('Habari Achieng Otieno,');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ contentType: 'application/pdf' });
    expect(mail.attachments[0]!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Another run (and the next minute's) finds nothing new: each invoice is mailed once.
    expect(await queueInvoiceEmails(dependencies)).toEqual({ queued: 0 });
    expect((await sendPendingEmails(dependencies)).sent).toBe(0);
    expect(sink.messagesTo(SUBSCRIBER_EMAIL)).toHaveLength(1);
    expect((await call('PUT', '/api/v1/settings/language', { default: 'en' })).status).toBe(200);
  });

  it('sends a subscriber a forgot-password link from the customer portal that works once', async () => {
    sink.reset();
    const slug = tenant().slug;
    const login = await app.request(`/account/${slug}/login`);
    expect(await login.text()).toContain(`href="/account/${slug}/forgot-password"`);
    const asked = await postForm(`/account/${slug}/forgot-password`, { email: SUBSCRIBER_EMAIL });
    expect(asked.status).toBe(303);
    // An unknown address (and another ISP's) is answered alike and sends nothing.
    expect(
      (await call('POST', '/api/v1/auth/password-reset', { email: 'nobody@example.org', isp: slug }, ''))
        .status,
    ).toBe(202);
    expect(
      (
        await call(
          'POST',
          '/api/v1/auth/password-reset',
          { email: SUBSCRIBER_EMAIL, isp: demo.tenants[1]!.slug },
          '',
        )
      ).status,
    ).toBe(202);
    expect((await sendPendingEmails(dependencies)).sent).toBe(1);
    const mail = await sink.waitForMessage(SUBSCRIBER_EMAIL);
    expect(mail.text).toContain('achieng');
    const link = /(http\S+\/reset-password\?token=\S+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe(`${PUBLIC_URL}/account/${slug}/reset-password`);
    const token = url.searchParams.get('token')!;
    const page = await app.request(url.pathname + url.search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`name="token" value="${token}"`);

    const password = 'second-pppoe-secret';
    expect((await call('POST', '/api/v1/auth/password-reset/confirm', { token, password }, '')).status).toBe(
      204,
    );
    const again = await call(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      { token, password: 'third-secret-9' },
      '',
    );
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('validation_failed');

    expect(
      (await postForm(`/account/${slug}/login`, { login: 'achieng', password: FIRST_PASSWORD })).status,
    ).toBe(401);
    const signedIn = await postForm(`/account/${slug}/login`, { login: 'achieng', password });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/account/${slug}`);
  });

  it('lets the signed-in subscriber change their own address, and refuses one that is not', async () => {
    const slug = tenant().slug;
    const signedIn = await postForm(`/account/${slug}/login`, {
      login: 'achieng',
      password: 'second-pppoe-secret',
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await (await app.request(`/account/${slug}/email`, { headers: { cookie } })).text();
    expect(page).toContain(`value="${SUBSCRIBER_EMAIL}"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const post = (email: string) =>
      app.request(`/account/${slug}/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, email }).toString(),
      });
    expect((await post('nope')).status).toBe(400);
    expect((await post('achieng@example.net')).status).toBe(303);
    const read = await call('GET', `/api/v1/subscribers/${subscriberId}`);
    expect(((await read.json()) as { email: string }).email).toBe('achieng@example.net');
  });
});

describe('forgot password for a reseller', () => {
  it('mails a reseller (a sign-in account of its own) a link that sets its password once', async () => {
    sink.reset();
    const email = 'agent.mwangi@example.org';
    const created = await call('POST', '/api/v1/resellers', {
      name: 'Mwangi Agencies',
      email,
      phone: '254712000333',
      password: 'reseller-first-1',
    });
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/v1/auth/password-reset', { email }, '')).status).toBe(202);
    expect((await sendPendingEmails(dependencies)).sent).toBe(1);
    const mail = await sink.waitForMessage(email);
    const token = new URL(/(http\S+\/reset-password\?token=\S+)/.exec(mail.text)![1]!).searchParams.get(
      'token',
    );
    const password = 'reseller-second-2';
    expect((await call('POST', '/api/v1/auth/password-reset/confirm', { token, password }, '')).status).toBe(
      204,
    );
    expect((await call('POST', '/api/v1/auth/password-reset/confirm', { token, password }, '')).status).toBe(
      400,
    );
    expect((await call('POST', '/api/v1/auth/login', { email, password }, '')).status).toBe(200);
  });
});

describe('email to ISP owners', () => {
  it('mails the owner when a router goes silent, and when it is heard again', async () => {
    sink.reset();
    const nas = await call('POST', '/api/v1/nas', { name: 'Kibera hill', ipAddress: '10.40.0.9' });
    expect(nas.status).toBe(201);
    // Without SNMP a router is judged on accounting: silent past the default threshold, it is down.
    clock.advance(11 * 60_000);
    await runNasMonitoring(dependencies);
    expect((await sendPendingEmails(dependencies)).sent).toBeGreaterThanOrEqual(1);
    const down = sink.messagesTo(tenant().owner.email).find((mail) => mail.subject.includes('Kibera hill'));
    expect(down?.subject).toBe(`[${tenant().name}] Router Kibera hill is down`);
    expect(down?.text).toContain(`${PUBLIC_URL}/isp/nas`);

    // An Interim-Update from the router, as the AAA server logs it; the monitor reads it once settled.
    const nasId = ((await nas.json()) as { id: string }).id;
    const heard = insertOf(tenantSchema.accountingLog, {
      receivedAt: clock.now(),
      nasId,
      statusType: 3,
      acctSessionId: 'acct-kibera',
      username: 'client',
      inputOctets: 0,
      outputOctets: 0,
      sessionTimeSeconds: 60,
    });
    await dependencies.databases.forTenant(tenant().id).run(heard.sql, heard.params);
    clock.advance(2 * 60_000);
    sink.reset();
    await runNasMonitoring(dependencies);
    await sendPendingEmails(dependencies);
    const back = sink.messagesTo(tenant().owner.email).find((mail) => mail.subject.includes('Kibera hill'));
    expect(back?.subject).toBe(`[${tenant().name}] Router Kibera hill is back online`);
  });
});
