// Both portals in-process: `?lang=`, the `lang` cookie, Accept-Language and the ISP's default
// (PUT /api/v1/settings/language) pick the page's language; `<html lang>` and the texts follow (issue 14),
// down to the invoice document inside the customer pages and the pay form's refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTenantInvoices } from '../billing/store';
import { apiClient, signInWithToken, type TestApp, useTwoIspApp } from '../kernel/testing/in-process-app';
import { en } from './en';
import { sw } from './sw';

const SUBSCRIBER_PASSWORD = 'pppoe-secret-1';

const opened = useTwoIspApp('lang');
let testApp: TestApp;
let slugA: string;
let slugB: string;

const get = (path: string, headers: Record<string, string> = {}) => testApp.app.request(path, { headers });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
/** HTML escapes what hono's JSX escapes in text (the catalogues' apostrophes). */
const escaped = (text: string) => text.replaceAll("'", '&#39;').replaceAll('"', '&quot;');

beforeAll(async () => {
  testApp = opened();
  const { ispA, ispB } = opened();
  slugA = ispA.slug;
  slugB = ispB.slug;
  const call = apiClient(testApp, await signInWithToken(testApp, ispA.ownerEmail));
  const plan = await call('POST', '/api/v1/plans', {
    name: 'Home 5 Mbps',
    kind: 'pppoe',
    priceCents: 150_000,
    billingCycleMonths: 1,
    rateUpKbps: 2_000,
    rateDownKbps: 5_000,
  });
  const { id: planId } = (await plan.json()) as { id: string };
  const subscriber = await call('POST', '/api/v1/subscribers', {
    username: 'amani',
    password: SUBSCRIBER_PASSWORD,
    planId,
    fullName: 'Amani Otieno',
  });
  expect(subscriber.status).toBe(201);
});

describe('the captive portal', () => {
  it('is English by default, with a link to Swahili that keeps the router fields', async () => {
    const html = await (await get(`/portal/${slugA}?mac=02:00:00:00:00:01`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(en['portal.voucher.heading']);
    expect(html).toContain(`href="/portal/${slugA}?mac=02%3A00%3A00%3A00%3A00%3A01&amp;lang=sw"`);
    expect(html).toContain('>Kiswahili</a>');
  });

  it('speaks Swahili for ?lang=sw and remembers the choice in a cookie', async () => {
    const response = await get(`/portal/${slugA}?lang=sw`);
    const html = await response.text();
    expect(html).toContain('<html lang="sw">');
    expect(html).toContain(sw['portal.voucher.heading']);
    expect(html).toContain(sw['portal.home.title']);
    expect(html).not.toContain(en['portal.voucher.heading']);
    expect(html).toContain('>English</a>');
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toBe('lang=sw');
    // The next page, and a form's answer, without ?lang: the cookie holds the choice.
    expect(await (await get(`/portal/${slugA}`, { cookie })).text()).toContain('<html lang="sw">');
    const voucher = await (await post(`/portal/${slugA}/voucher`, { code: 'NOSUCHCODE' }, { cookie })).text();
    expect(voucher).toContain('<html lang="sw">');
    expect(voucher).toContain(escaped(sw['portal.voucherStatus.invalid']));
  });

  it('speaks Swahili to a browser that asks for it in Accept-Language', async () => {
    const html = await (
      await get(`/portal/${slugA}`, { 'accept-language': 'sw-KE,sw;q=0.9,en;q=0.8' })
    ).text();
    expect(html).toContain('<html lang="sw">');
    expect(html).toContain(sw['portal.voucher.heading']);
  });
});

describe('the purchase refusals', () => {
  it("say in the page's language what the ISP cannot do (no M-Pesa set up here)", async () => {
    const html = await (
      await post(`/portal/${slugA}/buy`, { planId: 'pln_none', phone: '0712345678' }, { cookie: 'lang=sw' })
    ).text();
    expect(html).toContain('<html lang="sw">');
    expect(html).toContain(escaped(sw['error.mpesa_not_configured']));
  });
});

describe("the ISP's default language", () => {
  it('is set by the ISP, holds for both portals, and the client can still switch', async () => {
    const { ispA } = opened();
    const set = await ispA.request('PUT', '/api/v1/settings/language', { default: 'sw' });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ default: 'sw' });
    expect(await (await ispA.request('GET', '/api/v1/settings/language')).json()).toEqual({ default: 'sw' });
    try {
      const portal = await (await get(`/portal/${slugA}`)).text();
      expect(portal).toContain('<html lang="sw">');
      expect(portal).toContain(sw['portal.voucher.heading']);
      // A phone's factory "English" does not override an ISP that chose Swahili; ?lang=en does.
      expect(await (await get(`/portal/${slugA}`, { 'accept-language': 'en-US,en' })).text()).toContain(
        '<html lang="sw">',
      );
      expect(await (await get(`/portal/${slugA}?lang=en`)).text()).toContain('<html lang="en">');
      const login = await (await get(`/account/${slugA}/login`)).text();
      expect(login).toContain('<html lang="sw">');
      expect(login).toContain(sw['account.login.loginLabel']);
      // The other ISP keeps its own default.
      expect(await (await get(`/portal/${slugB}`)).text()).toContain('<html lang="en">');
    } finally {
      await ispA.request('PUT', '/api/v1/settings/language', { default: 'en' });
    }
  });

  it('takes only a language it has a catalogue for', async () => {
    const { ispA } = opened();
    expect((await ispA.request('PUT', '/api/v1/settings/language', { default: 'fr' })).status).toBe(400);
  });
});

describe('the customer portal', () => {
  it('speaks Swahili for ?lang=sw and for Accept-Language: sw, signed in or not', async () => {
    for (const [path, headers] of [
      [`/account/${slugA}/login?lang=sw`, {}],
      [`/account/${slugA}/login`, { 'accept-language': 'sw' }],
    ] as const) {
      const html = await (await get(path, headers)).text();
      expect(html).toContain('<html lang="sw">');
      expect(html).toContain(sw['account.login.loginLabel']);
      expect(html).toContain('>English</a>');
    }
    const refused = await post(
      `/account/${slugA}/login`,
      { login: 'amani', password: 'wrong' },
      { cookie: 'lang=sw' },
    );
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain(sw['account.login.wrong']);
    const signedIn = await post(`/account/${slugA}/login`, { login: 'amani', password: SUBSCRIBER_PASSWORD });
    expect(signedIn.status).toBe(303);
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const overview = await (await get(`/account/${slugA}`, { cookie: `${session}; lang=sw` })).text();
    expect(overview).toContain('<html lang="sw">');
    expect(overview).toContain(sw['account.overview.paidThrough']);
    expect(overview).toContain(sw['account.nav.invoices']);
    // The choice is kept on the subscriber, for the SMS sent to them.
    const { ispA } = opened();
    expect(
      await ispA.database.get<{ language: string }>('SELECT language FROM subscribers WHERE username = ?', [
        'amani',
      ]),
    ).toEqual({ language: 'sw' });
  });
  it('shows the invoice document inside the customer pages in Swahili (HTML and PDF)', async () => {
    const { ispA } = opened();
    await runTenantInvoices(ispA.database, ispA.tenantId, testApp.clock.now());
    const signedIn = await post(`/account/${slugA}/login`, { login: 'amani', password: SUBSCRIBER_PASSWORD });
    const cookie = `${(signedIn.headers.get('set-cookie') ?? '').split(';')[0]}; lang=sw`;
    const list = await (await get(`/account/${slugA}/invoices`, { cookie })).text();
    const invoiceId = /\/invoices\/(inv_[^".]+)"/.exec(list)?.[1];
    expect(invoiceId).toBeDefined();
    const html = await (await get(`/account/${slugA}/invoices/${invoiceId}`, { cookie })).text();
    for (const key of [
      'invoice.description',
      'invoice.total',
      'invoice.amountDue',
      'invoice.status.open',
    ] as const)
      expect(html).toContain(sw[key]);
    expect(html).toMatch(/Ankara \S+ · imetolewa /);
    expect(html).not.toContain(en['invoice.amountDue']);
    const pdf = await get(`/account/${slugA}/invoices/${invoiceId}.pdf`, { cookie });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('refuses a bad amount, a bad number and an ISP without M-Pesa on the pay form in Swahili', async () => {
    const signedIn = await post(`/account/${slugA}/login`, { login: 'amani', password: SUBSCRIBER_PASSWORD });
    const cookie = `${(signedIn.headers.get('set-cookie') ?? '').split(';')[0]}; lang=sw`;
    const payPage = await (await get(`/account/${slugA}/pay`, { cookie })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(payPage)?.[1] ?? '';
    for (const [form, status, key] of [
      [{ phone: '0712345678', amount: '0' }, 400, 'account.pay.badAmount'],
      [{ phone: '12', amount: '100' }, 400, 'phone.invalid'],
      [{ phone: '0712345678', amount: '100' }, 503, 'account.payment.mpesaNotTaken'],
    ] as const) {
      const refused = await post(`/account/${slugA}/pay`, { _csrf: csrf, ...form }, { cookie });
      expect(refused.status).toBe(status);
      expect(await refused.text()).toContain(escaped(sw[key]));
    }
  });
});
