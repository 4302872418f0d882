// The web sign-up (issue 15), in-process with a clock the test moves, the SMS gateway simulator (the
// platform's own account) and an SMTP sink on loopback: the landing page, the form with its CSRF cookie
// and live short-name check, the phone code and the email link, the trial starting only when both are
// confirmed, POST /api/v1/registration's verification answer, and abandoned sign-ups freeing their slug.
import {
  type ApiDependencies,
  type ControlApiServer,
  type createApp,
  releaseAbandonedSignups,
  sendPendingEmails,
  startControlApi,
} from '@kiunga/control-api';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { type PayPalSimulator, startPayPalSimulator } from '@kiunga/ops/sim/paypal';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { type SmtpSink, startSmtpSink } from '@kiunga/ops/sim/smtp';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import { type DemoJson, freePort, makeDataDir, removeDataDir, seedDemo } from './support/kiunga-process';

let PUBLIC_URL = '';
/** The platform's own collection account on the Daraja simulator (never a real shortcode). */
const PLATFORM_MPESA = {
  shortcode: '600100',
  passkey: 'platform-passkey-for-tests',
  consumerKey: 'platform-consumer-key',
  consumerSecret: 'platform-consumer-secret',
};
const PLATFORM_SMS = { username: 'kiunga-platform', apiKey: 'platform-sms-key-for-tests' };
/** The platform's PayPal REST app on the PayPal simulator, and its fixed exchange rate (Ksh 129 a dollar). */
const PLATFORM_PAYPAL = { clientId: 'platform-paypal-id', clientSecret: 'platform-paypal-secret' };
const KES_CENTS_PER_USD = 12_900;
/** The Tier 1 registration fee the tier catalogue asks, Ksh 500. */
const REGISTRATION_FEE_CENTS = 50_000;
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
let dataDir: string;
let kiunga: InProcessKiunga;
let sms: SmsSimulator;
let sink: SmtpSink;
let daraja: DarajaSimulator;
let paypal: PayPalSimulator;
let listening: ControlApiServer;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
let demo: DemoJson;
const clock = new ManualClock(Date.UTC(2030, 2, 1, 7));
let signupNumber = 0;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir, 0);
  sms = await startSmsSimulator({ port: 0, accounts: [PLATFORM_SMS] });
  sink = await startSmtpSink({ port: 0 });
  daraja = await startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: PLATFORM_MPESA.consumerKey, consumerSecret: PLATFORM_MPESA.consumerSecret }],
    shortcodes: [{ shortcode: PLATFORM_MPESA.shortcode, passkey: PLATFORM_MPESA.passkey }],
    callbackDelayMs: 0,
    now: () => clock.now(),
  });
  paypal = await startPayPalSimulator({ port: 0, clients: [PLATFORM_PAYPAL] });
  // Daraja's STK callback comes back over HTTP: the app listens on the public URL's port.
  const port = await freePort('tcp');
  PUBLIC_URL = `http://127.0.0.1:${port}`;
  kiunga = await startInProcess({
    dataDir,
    clock,
    publicUrl: PUBLIC_URL,
    mpesaBaseUrl: daraja.baseUrl,
    extra: {
      smsBaseUrl: sms.baseUrl,
      platformSms: PLATFORM_SMS,
      email: { smtpUrl: sink.url, from: '"Kiunga" <no-reply@kiunga.test>' },
      platformBilling: {
        mpesa: PLATFORM_MPESA,
        paypal: { baseUrl: paypal.baseUrl, ...PLATFORM_PAYPAL, kesCentsPerUsd: KES_CENTS_PER_USD },
        bankInstructions: 'Kiunga Ltd, account 123',
      },
    },
  });
  ({ dependencies, app } = kiunga);
  listening = await startControlApi({ ...dependencies, host: '127.0.0.1', port, runJobs: false });
});

afterAll(async () => {
  await listening?.stop();
  await daraja?.stop();
  await paypal?.stop();
  await kiunga?.stop();
  await sms?.stop();
  await sink?.stop();
  removeDataDir(dataDir);
});

beforeEach(() => {
  sms.reset();
  sink.reset();
  // A new hour each test: the registration limit (5 an hour per address) of one test does not carry over.
  clock.advance(2 * HOUR_MS);
});

/** A browser's cookie jar, enough for these pages: name=value pairs from Set-Cookie. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; csrf?: string } = {},
  ) {
    const headers: Record<string, string> = init.csrf === undefined ? {} : { 'x-csrf-token': init.csrf };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const body =
      init.form !== undefined
        ? new URLSearchParams(init.form).toString()
        : init.json !== undefined
          ? JSON.stringify(init.json)
          : undefined;
    const response = await app.request(path, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(token).toBeDefined();
  return token!;
}

interface NewIsp {
  slug: string;
  email: string;
  phone: string;
}

function newIsp(phone = `07${String(10_000_000 + signupNumber * 7919).slice(-8)}`): NewIsp {
  signupNumber += 1;
  return { slug: `web-isp-${signupNumber}`, email: `owner-${signupNumber}@web-isp.example`, phone };
}

/** Fills the form as a person would and lands on the verify page. */
async function signUp(browser: Browser, isp: NewIsp): Promise<Response> {
  const form = await browser.request('/signup');
  expect(form.status).toBe(200);
  return browser.request('/signup', {
    form: {
      _csrf: csrfOf(await form.text()),
      intent: 'signup',
      ispName: `Web ISP ${isp.slug}`,
      slug: isp.slug,
      ownerName: 'Wanjiru',
      email: isp.email,
      phone: isp.phone,
      password: 'correct horse battery',
      tier: 'tier1',
      featureChoice: 'hotspot',
    },
  });
}

function codeSentTo(phone: string): string {
  const international = `+254${phone.slice(-9)}`;
  const message = sms.messages().find((sent) => sent.to === international);
  expect(message?.username).toBe(PLATFORM_SMS.username);
  const code = /^(\d{6}) is your Kiunga sign-up code/.exec(message!.message)?.[1];
  expect(code).toBeDefined();
  return code!;
}

async function emailLinkTo(email: string): Promise<string> {
  await sendPendingEmails(dependencies);
  const message = await sink.waitForMessage(email);
  expect(message.subject).toBe('Confirm your email for Kiunga');
  const link = /(http\S+\/signup\/verify-email\?token=\S+)/.exec(message.text)?.[1];
  expect(link).toBeDefined();
  const url = new URL(link!);
  expect(url.origin).toBe(PUBLIC_URL);
  return url.pathname + url.search;
}

async function tenantBySlug(slug: string) {
  return dependencies.databases.platform.get<{ id: string; status: string; trialEndsAt: number | null }>(
    'SELECT id, status, trial_ends_at AS "trialEndsAt" FROM tenants WHERE slug = ?',
    [slug],
  );
}

/** POST /api/v1/registration for a new ISP, as an integrator's script would. */
async function registerByApi(isp: NewIsp, tier: 'tier1' | 'tier2'): Promise<Response> {
  return app.request('/api/v1/registration', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ispName: `API ISP ${isp.slug}`,
      slug: isp.slug,
      ownerEmail: isp.email,
      ownerPassword: 'correct horse battery',
      phone: isp.phone,
      tier,
      ...(tier === 'tier1' ? { featureChoice: 'hotspot' } : {}),
    }),
  });
}

/** A JSON API caller with a bearer token. */
function bearer(token: string) {
  return (method: string, path: string, json?: unknown) =>
    app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
}

async function tokenOf(account: { email: string; password: string }): Promise<string> {
  const response = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

describe('the front door', () => {
  it('serves the landing page and the sign-up form as HTML', async () => {
    const landing = await app.request('/');
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toContain('text/html');
    expect(await landing.text()).toContain('href="/signup"');
    const signup = await app.request('/signup');
    expect(signup.status).toBe(200);
    expect(await signup.text()).toContain('action="/signup"');
  });

  it('says live and without JavaScript whether a short name is free', async () => {
    const taken = demo.tenants[0]!.slug;
    const live = await app.request(`/signup/slug-availability?slug=${taken}`);
    expect(await live.json()).toMatchObject({ slug: taken, isAvailable: false, reason: 'taken' });
    const free = await app.request('/signup/slug-availability?slug=nobody-has-this');
    expect(await free.json()).toEqual({ slug: 'nobody-has-this', isAvailable: true });

    const browser = new Browser();
    const form = await browser.request('/signup');
    const checked = await browser.request('/signup', {
      form: { _csrf: csrfOf(await form.text()), intent: 'check-slug', slug: taken, ispName: 'Mine' },
    });
    expect(checked.status).toBe(200);
    expect(await checked.text()).toContain('already taken');
  });

  it('refuses a form without the CSRF cookie it was served with', async () => {
    const refused = await new Browser().request('/signup', {
      form: { _csrf: 'made-up', intent: 'signup', slug: 'forged-isp' },
    });
    expect(refused.status).toBe(403);
    expect(await tenantBySlug('forged-isp')).toBeUndefined();
  });

  it('starts the 24-hour trial only when the phone code and the email link are both confirmed', async () => {
    const browser = new Browser();
    const isp = newIsp();
    const submitted = await signUp(browser, isp);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe('/signup/verify');
    const pending = await tenantBySlug(isp.slug);
    // Pending: platform billing waits a week for the confirmations, after which the sign-up is abandoned.
    expect(pending?.trialEndsAt).toBe(clock.now() + 7 * DAY_MS);

    const page = await browser.request('/signup/verify');
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain(`•••••••${isp.phone.slice(-3)}`);
    const csrf = csrfOf(pageHtml);
    const code = codeSentTo(isp.phone);

    const wrong = await browser.request('/signup/verify-phone', {
      form: { _csrf: csrf, code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(303);
    expect(await (await browser.request('/signup/verify')).text()).toContain('That code is not right');

    clock.advance(60_000);
    const right = await browser.request('/signup/verify-phone', { form: { _csrf: csrf, code } });
    expect(right.status).toBe(303);
    expect(await (await browser.request('/signup/verify')).text()).toContain('Phone confirmed.');
    expect((await tenantBySlug(isp.slug))?.trialEndsAt).toBe(pending?.trialEndsAt);

    clock.advance(60_000);
    const link = await emailLinkTo(isp.email);
    const confirmed = await browser.request(link);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/signup/verify');
    const done = await browser.request('/signup/verify');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/isp');
    expect((await tenantBySlug(isp.slug))?.trialEndsAt).toBe(clock.now() + DAY_MS);
    // The owner lands on the console with the getting-started checklist.
    const dashboard = await browser.request('/isp');
    expect(dashboard.status).toBe(200);
    const dashboardHtml = await dashboard.text();
    expect(dashboardHtml).toContain('data-getting-started');
    for (const step of ['router', 'plan', 'vouchers'])
      expect(dashboardHtml).toContain(`data-step="${step}" data-done="false"`);

    const again = await new Browser().request(link);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/login?next=%2Fsignup%2Fverify');
  });

  it('keeps a pending owner out of the console but for the pay page until both are confirmed', async () => {
    const browser = new Browser();
    const isp = newIsp();
    expect((await signUp(browser, isp)).status).toBe(303);
    const verifyHtml = await (await browser.request('/signup/verify')).text();
    expect(verifyHtml).toContain('href="/isp/platform-account"');
    expect(verifyHtml).toContain('Pay the registration now');

    for (const path of ['/isp', '/isp/plans', '/isp/nas', '/isp/vouchers']) {
      const gated = await browser.request(path);
      expect(gated.status).toBe(403);
      const html = await gated.text();
      expect(html).toContain('Confirm your phone and email first');
      expect(html).toContain('href="/signup/verify"');
      expect(html).not.toContain('data-getting-started');
    }
    const payPage = await browser.request('/isp/platform-account');
    expect(payPage.status).toBe(200);
    expect(await payPage.text()).toContain('action="/isp/platform-account/mpesa"');

    // Confirmed: the console opens.
    const csrf = csrfOf(verifyHtml);
    await browser.request('/signup/verify-phone', { form: { _csrf: csrf, code: codeSentTo(isp.phone) } });
    expect((await browser.request('/isp')).status).toBe(403);
    expect((await browser.request(await emailLinkTo(isp.email))).status).toBe(303);
    expect((await browser.request('/isp/plans')).status).toBe(200);
  });

  it('gives no second trial to a phone that had one: billing starts at once', async () => {
    const first = newIsp();
    const second = newIsp(first.phone);
    for (const isp of [first, second]) {
      const browser = new Browser();
      expect((await signUp(browser, isp)).status).toBe(303);
      const csrf = csrfOf(await (await browser.request('/signup/verify')).text());
      expect(
        (
          await browser.request('/signup/verify-phone', {
            form: { _csrf: csrf, code: codeSentTo(isp.phone) },
          })
        ).status,
      ).toBe(303);
      expect((await browser.request(await emailLinkTo(isp.email))).status).toBe(303);
      sms.reset();
      clock.advance(2 * 60_000);
    }
    const firstTenant = await tenantBySlug(first.slug);
    const secondTenant = await tenantBySlug(second.slug);
    expect(firstTenant!.trialEndsAt).toBeGreaterThan(clock.now());
    expect(secondTenant!.trialEndsAt).toBeLessThanOrEqual(clock.now());
  });

  it('waits a minute before sending a code again', async () => {
    const browser = new Browser();
    const isp = newIsp();
    await signUp(browser, isp);
    const csrf = csrfOf(await (await browser.request('/signup/verify')).text());
    await browser.request('/signup/resend-code', { form: { _csrf: csrf } });
    expect(await (await browser.request('/signup/verify')).text()).toContain('wait a little');
    expect(sms.messages()).toHaveLength(1);
    clock.advance(61_000);
    await browser.request('/signup/resend-code', { form: { _csrf: csrf } });
    expect(sms.messages()).toHaveLength(2);
  });

  it('answers POST /api/v1/registration pending, and starts the trial only when the phone and email are confirmed', async () => {
    const isp = newIsp();
    const response = await registerByApi(isp, 'tier2');
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown> & {
      tenant: { id: string };
      token: string;
    };
    expect(body).toMatchObject({
      tenantId: body.tenant.id,
      slug: isp.slug,
      verification: { phone: 'pending', email: 'pending' },
      // No trial yet: platform billing waits a week for the confirmations, as for the web form.
      tenant: { status: 'trial', trialEndsAt: clock.now() + 7 * DAY_MS },
    });
    const owner = bearer(body.token);
    expect(await (await owner('GET', '/api/v1/signup')).json()).toEqual({
      tenantId: body.tenant.id,
      verification: { phone: 'pending', email: 'pending' },
      isActivated: false,
    });

    const wrong = await owner('POST', '/api/v1/signup/verify-phone', { code: '12345x' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain('not right');
    const phone = await owner('POST', '/api/v1/signup/verify-phone', { code: codeSentTo(isp.phone) });
    expect(phone.status).toBe(200);
    expect(((await phone.json()) as { verification: unknown }).verification).toEqual({
      phone: 'verified',
      email: 'pending',
    });
    const stillGated = await owner('GET', '/api/v1/plans');
    expect(stillGated.status).toBe(403);
    expect(await stillGated.json()).toMatchObject({
      error: { code: 'signup_pending', details: { missing: ['email'] } },
    });
    expect((await new Browser().request(await emailLinkTo(isp.email))).status).toBe(303);

    expect(await (await owner('GET', '/api/v1/signup')).json()).toMatchObject({ isActivated: true });
    expect((await tenantBySlug(isp.slug))?.trialEndsAt).toBe(clock.now() + DAY_MS);
    expect((await owner('GET', '/api/v1/plans')).status).toBe(200);
  });

  it('keeps a pending owner out of every tenant route of the JSON API but verification, payment and its profile', async () => {
    const isp = newIsp();
    const registered = (await (await registerByApi(isp, 'tier1')).json()) as {
      token: string;
      tenantId: string;
    };
    const owner = bearer(registered.token);
    const documented = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const open = ['/api/v1/signup', '/api/v1/platform-billing', '/api/v1/me', '/api/v1/auth'];
    const isOpen = (path: string) => open.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    const families = new Set<string>();
    let checked = 0;
    for (const [template, operations] of Object.entries(documented.paths)) {
      if (isOpen(template)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security?.length === 0) continue;
        const path = template.replace(/\{[^}]+\}/g, 'id-of-nothing');
        const refused = await owner(method.toUpperCase(), path, method === 'get' ? undefined : {});
        expect(refused.status, `${method} ${path}`).toBe(403);
        expect(((await refused.json()) as { error: { code: string; details: unknown } }).error, path).toEqual(
          {
            code: 'signup_pending',
            message: expect.stringContaining('Confirm your phone and email first'),
            details: { missing: ['phone', 'email'], verifyAt: '/api/v1/signup' },
          },
        );
        families.add(path.split('/')[3]!);
        checked += 1;
      }
    }
    for (const family of [
      'plans',
      'vouchers',
      'subscribers',
      'nas',
      'sessions',
      'users',
      'api-keys',
      'reports',
    ])
      expect(families).toContain(family);
    expect(checked).toBeGreaterThan(100);

    // What finishing needs stays open.
    expect((await owner('GET', '/api/v1/me')).status).toBe(200);
    expect((await owner('GET', '/api/v1/signup')).status).toBe(200);
    expect((await owner('GET', '/api/v1/platform-billing')).status).toBe(200);
    // An ISP past its sign-up (the demo's) is not affected.
    const demoOwner = bearer(await tokenOf(demo.tenants[0]!.owner));
    expect((await demoOwner('GET', '/api/v1/plans')).status).toBe(200);
    expect((await demoOwner('GET', '/api/v1/signup')).status).toBe(404);
  });

  it('frees the slug and email of a sign-up left unconfirmed for a week', async () => {
    const isp = newIsp();
    await signUp(new Browser(), isp);
    clock.advance(6 * DAY_MS);
    expect((await releaseAbandonedSignups(dependencies)).released).toBe(0);
    clock.advance(DAY_MS);
    expect((await releaseAbandonedSignups(dependencies)).released).toBeGreaterThanOrEqual(1);
    expect(await tenantBySlug(isp.slug)).toBeUndefined();
    sms.reset();
    const again = await signUp(new Browser(), isp);
    expect(again.status).toBe(303);
  });

  it('takes the Tier 1 registration fee in the trial by bank transfer, matched by the platform, with a receipt', async () => {
    const isp = newIsp();
    const password = 'correct horse battery';
    const registered = await app.request('/api/v1/registration', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ispName: 'Paying ISP',
        slug: isp.slug,
        ownerEmail: isp.email,
        ownerPassword: password,
        phone: isp.phone,
        tier: 'tier1',
        featureChoice: 'hotspot',
      }),
    });
    expect(registered.status).toBe(201);
    const owner = new Browser();
    expect(
      (await owner.request('/api/v1/auth/session', { json: { email: isp.email, password } })).status,
    ).toBe(200);
    const account = (await (await owner.request('/api/v1/platform-billing')).json()) as {
      state: string;
      bankReference: string;
    };
    expect(account.state).toBe('trial');
    const page = await (await owner.request('/isp/platform-account')).text();
    expect(page).toContain(account.bankReference);

    // The platform's finance user matches the transfer by the reference the ISP quoted.
    const matched = await app.request('/api/v1/platform/billing/bank-payments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await superAdminToken()}` },
      body: JSON.stringify({
        reference: account.bankReference,
        amountCents: 50_000,
        bankTransactionId: `BANK-${isp.slug}`,
      }),
    });
    expect(matched.status).toBe(201);
    const payment = (await matched.json()) as { id: string; tenantId: string };

    const receiptMail = await waitForReceipt(isp.email);
    expect(receiptMail.subject).toBe('Kiunga receipt: Ksh 500 received');
    expect(receiptMail.text).toContain(`${PUBLIC_URL}/isp/platform-account/receipts/${payment.id}`);
    const receipt = await owner.request(`/isp/platform-account/receipts/${payment.id}`);
    expect(receipt.status).toBe(200);
    const receiptHtml = await receipt.text();
    expect(receiptHtml).toContain('<html lang="en">');
    expect(receiptHtml).toContain('Kiunga received Ksh 500 from Paying ISP by bank transfer.');
    expect(receiptHtml).toContain(`BANK-${isp.slug}`);
    // Another ISP's owner cannot read it.
    const stranger = new Browser();
    expect((await stranger.request('/api/v1/auth/session', { json: demo.tenants[0]!.owner })).status).toBe(
      200,
    );
    expect((await stranger.request(`/api/v1/platform-billing/payments/${payment.id}`)).status).toBe(404);
  });
});

const htmlLangOf = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
/** The page's link to the other language: its href and its label. */
const languageSwitchOf = (html: string) => {
  const match = /<a href="([^"]+)" hreflang="[a-z]+" data-language-switch="true">([^<]+)<\/a>/.exec(html);
  return { href: match?.[1]?.replace(/&amp;/g, '&'), label: match?.[2] };
};

describe('the front door in Swahili', () => {
  it('gives the landing page in Swahili for ?lang=sw, prices from the tier catalogue, and remembers the choice', async () => {
    const landing = await app.request('/?lang=sw');
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(htmlLangOf(html)).toBe('sw');
    expect(html).toContain('Anza majaribio ya bure');
    expect(html).toContain('Majaribio ya bure ya saa 24');
    expect(html).toContain('Kiunga hufanya nini');
    expect(html).toContain('Ksh 500 za usajili, kisha Ksh 500 kwa mwezi');
    expect(html).toContain('Ksh 1,500 kwa mwezi');
    expect(html).not.toContain('Start free trial');
    expect(languageSwitchOf(html)).toEqual({ href: '/?lang=en', label: 'English' });
    expect(landing.headers.get('set-cookie')).toMatch(/^lang=sw;/);
  });

  it('gives the sign-up form in Swahili for Accept-Language: sw, the switch keeping the query', async () => {
    const form = await app.request('/signup?from=landing', {
      headers: { 'accept-language': 'sw-KE,en;q=0.5' },
    });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(htmlLangOf(html)).toBe('sw');
    expect(html).toContain('<h1>Anza majaribio yako ya bure</h1>');
    expect(html).toContain('<label for="slug">Jina fupi (anwani ya ukurasa wako)</label>');
    expect(html).toContain('Fungua akaunti yangu');
    expect(languageSwitchOf(html)).toEqual({ href: '/signup?from=landing&lang=en', label: 'English' });
    const live = await app.request(`/signup/slug-availability?slug=${demo.tenants[0]!.slug}`, {
      headers: { 'accept-language': 'sw' },
    });
    expect(await live.json()).toMatchObject({
      isAvailable: false,
      message: 'tayari limechukuliwa: jaribu jingine',
    });
  });

  it('stays English by default and for a browser that asks for English', async () => {
    for (const headers of [{}, { 'accept-language': 'en-GB,en;q=0.9' }] as Record<string, string>[]) {
      for (const path of ['/', '/signup']) {
        const html = await (await app.request(path, { headers })).text();
        expect(htmlLangOf(html), path).toBe('en');
        expect(html, path).toContain(path === '/' ? 'Start free trial' : 'Start your free trial');
        expect(languageSwitchOf(html), path).toEqual({ href: `${path}?lang=sw`, label: 'Kiswahili' });
      }
    }
    const live = await app.request(`/signup/slug-availability?slug=${demo.tenants[0]!.slug}`);
    expect(await live.json()).toMatchObject({ message: 'already taken: try another' });
  });

  it('says a refused form in Swahili: a taken short name, a wrong phone, the short-name check', async () => {
    const browser = new Browser();
    const form = await browser.request('/signup?lang=sw');
    const csrf = csrfOf(await form.text());
    const fields = {
      _csrf: csrf,
      intent: 'signup',
      ispName: 'Mtandao wa Kitengela',
      ownerName: 'Achieng',
      email: 'owner@kitengela-net.example',
      phone: '0722 000 111',
      password: 'correct horse battery',
      tier: 'tier1',
      featureChoice: 'hotspot',
    };
    const taken = demo.tenants[0]!.slug;
    const refused = await browser.request('/signup', { form: { ...fields, slug: taken } });
    expect(refused.status).toBe(409);
    const refusedHtml = await refused.text();
    expect(htmlLangOf(refusedHtml)).toBe('sw');
    expect(refusedHtml).toMatch(
      /<p class="field-error" id="slug-error" role="alert">Jina hili fupi tayari limechukuliwa: jaribu jingine.<\/p>/,
    );
    expect(refusedHtml).toContain('value="Mtandao wa Kitengela"');

    const badPhone = await browser.request('/signup', {
      form: { ...fields, slug: 'kitengela-net', phone: '12' },
    });
    expect(badPhone.status).toBe(400);
    expect(await badPhone.text()).toContain('Andika namba ya simu ya Kenya kama 0712 345 678.');
    expect(await tenantBySlug('kitengela-net')).toBeUndefined();

    const checked = await browser.request('/signup', {
      form: { _csrf: csrf, intent: 'check-slug', slug: taken },
    });
    expect(await checked.text()).toContain(`${taken}: tayari limechukuliwa: jaribu jingine`);
  });

  it('confirms the phone in Swahili on the web while the JSON API keeps its English messages', async () => {
    const browser = new Browser();
    await browser.request('/?lang=sw');
    const isp = newIsp();
    expect((await signUp(browser, isp)).status).toBe(303);
    const page = await browser.request('/signup/verify');
    const pageHtml = await page.text();
    expect(htmlLangOf(pageHtml)).toBe('sw');
    // The phone as stored, 254 and nine digits, all but the last three masked.
    expect(pageHtml).toContain(
      `Andika msimbo wa tarakimu 6 tuliotuma kwa ${'•'.repeat(9)}${isp.phone.slice(-3)}.`,
    );
    expect(pageHtml).toContain('Lipa ada ya usajili sasa');
    // The SMS and the email are in the language the sign-up was made in.
    const sent = sms.messages().find((message) => message.to === `+254${isp.phone.slice(-9)}`);
    const code = /^(\d{6}) ni msimbo wako wa kujisajili Kiunga\. Unaisha baada ya dakika 10\.$/.exec(
      sent?.message ?? '',
    )?.[1];
    expect(code, sent?.message).toBeDefined();
    await sendPendingEmails(dependencies);
    const email = await sink.waitForMessage(isp.email);
    expect(email.subject).toBe('Thibitisha barua pepe yako kwa Kiunga');
    expect(email.text).toContain('fungua kiungo hiki ndani ya saa 24');

    await browser.request('/signup/verify-phone', {
      form: { _csrf: csrfOf(pageHtml), code: code === '000000' ? '111111' : '000000' },
    });
    expect(await (await browser.request('/signup/verify')).text()).toContain(
      'Msimbo huo si sahihi: angalia SMS na uuandike tena.',
    );

    const apiIsp = newIsp();
    const registered = (await (await registerByApi(apiIsp, 'tier2')).json()) as { token: string };
    const wrong = await app.request('/api/v1/signup/verify-phone', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${registered.token}`,
        'content-type': 'application/json',
        'accept-language': 'sw',
      },
      body: JSON.stringify({ code: '12345x' }),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        message: 'That code is not right: check the SMS and type it again.',
      },
    });
  });
});

describe('the registration fee by M-Pesa', () => {
  it('asks for the Tier 1 fee by STK push in the trial, credits it from the callback and mails the receipt', async () => {
    const isp = newIsp('0712345678');
    const password = 'correct horse battery';
    const registered = await app.request('/api/v1/registration', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ispName: 'STK ISP',
        slug: isp.slug,
        ownerEmail: isp.email,
        ownerPassword: password,
        phone: isp.phone,
        tier: 'tier1',
        featureChoice: 'hotspot',
      }),
    });
    expect(registered.status).toBe(201);
    sink.reset();
    const owner = new Browser();
    const session = await owner.request('/api/v1/auth/session', { json: { email: isp.email, password } });
    expect(session.status).toBe(200);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const started = await owner.request('/api/v1/platform-billing/mpesa', { json: {}, csrf: csrfToken });
    expect(started.status).toBe(202);
    // Nothing is owed in the trial: the push asks for the registration fee.
    expect(((await started.json()) as { amountCents: number }).amountCents).toBe(50_000);

    const receiptMail = await waitForReceipt(isp.email);
    expect(receiptMail.subject).toBe('Kiunga receipt: Ksh 500 received');
    const account = (await (await owner.request('/api/v1/platform-billing')).json()) as {
      balanceCents: number;
    };
    expect(account.balanceCents).toBe(-50_000);
  });
});

describe('the registration fee by PayPal', () => {
  it('takes the Tier 1 fee before the phone and email are confirmed, in dollars, once, with a receipt', async () => {
    const browser = new Browser();
    const isp = newIsp();
    expect((await signUp(browser, isp)).status).toBe(303);
    const payPage = await (await browser.request('/isp/platform-account')).text();
    const ordered = await browser.request('/isp/platform-account/paypal', {
      form: { _csrf: csrfOf(payPage) },
    });
    expect(ordered.status).toBe(303);
    const approveUrl = new URL(ordered.headers.get('location')!);
    expect(approveUrl.origin).toBe(paypal.baseUrl);
    const order = paypal.orders().at(-1)!;
    // Nothing is owed in the trial: the order is for the registration fee, in USD at the fixed rate.
    expect(order.purchaseUnit.amount).toEqual({
      currency_code: 'USD',
      value: (Math.ceil((REGISTRATION_FEE_CENTS * 100) / KES_CENTS_PER_USD) / 100).toFixed(2),
    });

    // The buyer approves on PayPal, which sends the browser back to Kiunga's return URL.
    const approval = await fetch(approveUrl, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    const back = new URL(approval.headers.get('location')!);
    expect(back.origin).toBe(PUBLIC_URL);
    const captured = await browser.request(back.pathname + back.search);
    expect(captured.status).toBe(303);
    expect(captured.headers.get('location')).toBe('/isp/platform-account?paid=paypal');
    const again = await browser.request(back.pathname + back.search);
    expect(again.status).toBe(303);

    const payments = (await (await browser.request('/api/v1/platform-billing/payments')).json()) as {
      items: { id: string; provider: string; amountCents: number; paidCurrency: string }[];
    };
    expect(payments.items).toHaveLength(1);
    expect(payments.items[0]).toMatchObject({
      provider: 'paypal',
      amountCents: REGISTRATION_FEE_CENTS,
      paidCurrency: 'USD',
    });
    const receiptMail = await waitForReceipt(isp.email);
    expect(receiptMail.subject).toBe('Kiunga receipt: Ksh 500 received');
    const accountPage = await (await browser.request('/isp/platform-account')).text();
    expect(accountPage).toContain(`href="/isp/platform-account/receipts/${payments.items[0]!.id}"`);
    const receipt = await browser.request(`/isp/platform-account/receipts/${payments.items[0]!.id}`);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain('Ksh 500');
  });
});

describe('the registration fee in Swahili', () => {
  it('gives a Swahili sign-up its payment page, its STK outcome, its receipt page and its mailed receipt in Swahili', async () => {
    const browser = new Browser();
    await browser.request('/?lang=sw');
    const isp = newIsp();
    expect((await signUp(browser, isp)).status).toBe(303);

    const payPage = await browser.request('/isp/platform-account');
    expect(payPage.status).toBe(200);
    const payHtml = await payPage.text();
    expect(htmlLangOf(payHtml)).toBe('sw');
    expect(payHtml).toContain('<h1>Usajili wa Kiunga</h1>');
    expect(payHtml).toContain('<h2>Lipa Kiunga</h2>');
    expect(payHtml).toContain('Lipa kwa M-Pesa');
    expect(payHtml).toContain('Lipa kwa PayPal');
    expect(payHtml).toContain('Kiasi (Ksh, kinatozwa kwa USD)');
    // The fees from the tier catalogue, the bank reference shown with the words around it.
    expect(payHtml).toContain('Tier 1 (Ksh 500 kwa mwezi, Hotspot au PPPoE/Static)');
    expect(payHtml).toContain(
      'Tier 2 inakupa huduma zote (Hotspot, PPPoE/Static na SMS) kwa Ksh 1,500 kwa mwezi.',
    );
    const account = (await (await browser.request('/api/v1/platform-billing')).json()) as {
      bankReference: string;
    };
    expect(payHtml).toMatch(
      new RegExp(
        `Tumia kumbukumbu <b class="mono" data-bank-reference="true">${account.bankReference}</b> ili malipo yako`,
      ),
    );
    expect(payHtml).toContain('Bado hakuna malipo kwa Kiunga.');
    expect(payHtml).not.toContain('Pay with M-Pesa');
    expect(languageSwitchOf(payHtml)).toEqual({ href: '/isp/platform-account?lang=en', label: 'English' });

    sink.reset();
    const pushed = await browser.request('/isp/platform-account/mpesa', {
      form: { _csrf: csrfOf(payHtml), phone: '0712345678' },
    });
    expect(pushed.status).toBe(303);
    const afterPush = await (await browser.request('/isp/platform-account')).text();
    expect(afterPush).toContain(
      'Ombi la M-Pesa la Ksh 500 limetumwa: weka PIN yako kwenye simu. Salio litabadilika M-Pesa ikithibitisha.',
    );

    // The callback credits it with no owner request in hand: the receipt is in the language the owner paid in.
    const receiptMail = await waitForReceipt(isp.email, 'Risiti ya Kiunga');
    expect(receiptMail.subject).toBe('Risiti ya Kiunga: Ksh 500 imepokelewa');
    expect(receiptMail.text).toContain(
      `Kiunga imepokea Ksh 500 kutoka kwa Web ISP ${isp.slug} kupitia M-Pesa.`,
    );
    expect(receiptMail.text).toContain('Asante.');
    const payments = (await (await browser.request('/api/v1/platform-billing/payments')).json()) as {
      items: { id: string }[];
    };
    const receiptPath = `/isp/platform-account/receipts/${payments.items[0]!.id}`;
    expect(receiptMail.text).toContain(`Risiti: ${PUBLIC_URL}${receiptPath}`);

    const receipt = await browser.request(receiptPath);
    expect(receipt.status).toBe(200);
    const receiptHtml = await receipt.text();
    expect(htmlLangOf(receiptHtml)).toBe('sw');
    expect(receiptHtml).toContain('<h1>Risiti</h1>');
    expect(receiptHtml).toContain(`Kiunga imepokea Ksh 500 kutoka kwa Web ISP ${isp.slug} kupitia M-Pesa.`);
    expect(receiptHtml).toContain('Rudi kwenye usajili wa Kiunga');
    expect(languageSwitchOf(receiptHtml)).toEqual({ href: `${receiptPath}?lang=en`, label: 'English' });
  });

  it('keeps the payment page English by default, and switches it with ?lang=sw, remembered for the next pages', async () => {
    const browser = new Browser();
    const isp = newIsp();
    expect((await signUp(browser, isp)).status).toBe(303);
    const payHtml = await (await browser.request('/isp/platform-account')).text();
    expect(htmlLangOf(payHtml)).toBe('en');
    expect(payHtml).toContain('<h2>Pay Kiunga</h2>');
    expect(payHtml).toContain('Pay with M-Pesa');
    expect(payHtml).toContain('Tier 1 (Ksh 500 a month, Hotspot or PPPoE/Static)');
    expect(payHtml).not.toContain('Lipa kwa M-Pesa');
    expect(languageSwitchOf(payHtml)).toEqual({ href: '/isp/platform-account?lang=sw', label: 'Kiswahili' });

    const switched = await browser.request('/isp/platform-account?lang=sw');
    expect(htmlLangOf(await switched.text())).toBe('sw');
    expect(switched.headers.get('set-cookie')).toMatch(/^lang=sw;/);
    // The choice is kept for the next pages, and ?lang=en takes it back.
    expect(htmlLangOf(await (await browser.request('/isp/platform-account')).text())).toBe('sw');
    expect(htmlLangOf(await (await browser.request('/isp/platform-account?lang=en')).text())).toBe('en');
  });
});

/** The STK callback lands over HTTP a moment after the push; then the outbox job sends the receipt. */
async function waitForReceipt(email: string, subjectStart = 'Kiunga receipt') {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await sendPendingEmails(dependencies);
    const receipt = sink.messagesTo(email).find((message) => message.subject.startsWith(subjectStart));
    if (receipt) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no receipt mailed to ${email}`);
}

function superAdminToken(): Promise<string> {
  return tokenOf(demo.superAdmin);
}
