// /account/<slug> in-process: a subscriber signs in (generic refusals, the limit), reads their own
// pages, is held to CSRF and to the pay form's rules, and never reaches another ISP's account.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  signInWithToken,
  type TestApp,
  type TestIsp,
  useTwoIspApp,
} from '../kernel/testing/in-process-app';

const SUBSCRIBER_PASSWORD = 'pppoe-secret-1';

const opened = useTwoIspApp('self');
let testApp: TestApp;
let ispA: TestIsp;
let ispB: TestIsp;

/** A monthly PPPoE plan and subscriber "wanjiku" of the ISP, made through its API. */
async function createSubscriber(isp: TestIsp, password: string): Promise<{ accountNumber: string }> {
  const call = apiClient(testApp, await signInWithToken(testApp, isp.ownerEmail));
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
    username: 'wanjiku',
    password,
    planId,
    fullName: 'Wanjiku Kamau',
  });
  if (subscriber.status !== 201)
    throw new Error(`subscriber: ${subscriber.status} ${await subscriber.text()}`);
  return (await subscriber.json()) as { accountNumber: string };
}

let accountNumberA: string;

beforeAll(async () => {
  testApp = opened();
  ({ ispA, ispB } = opened());
  accountNumberA = (await createSubscriber(ispA, SUBSCRIBER_PASSWORD)).accountNumber;
  await createSubscriber(ispB, 'another-secret-2');
});

const get = (path: string, cookie?: string) =>
  testApp.app.request(path, { headers: cookie ? { cookie } : {} });

function post(path: string, form: Record<string, string>, cookie?: string) {
  return testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}

async function signIn(slug: string, login: string, password: string): Promise<string> {
  const response = await post(`/account/${slug}/login`, { login, password });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`/account/${slug}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function csrfOf(slug: string, cookie: string): Promise<string> {
  const html = await (await get(`/account/${slug}`, cookie)).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

describe('self-service sign-in', () => {
  it('sends a visitor to the sign-in page, and refuses wrong and unknown logins alike', async () => {
    const visit = await get('/account/self-a');
    expect(visit.status).toBe(303);
    expect(visit.headers.get('location')).toBe('/account/self-a/login');
    expect(await (await get('/account/self-a/login')).text()).toContain('Username or account number');
    const message = 'Wrong username, account number or password.';
    const wrong = await post('/account/self-a/login', { login: 'wanjiku', password: 'not-it' });
    const unknown = await post('/account/self-a/login', { login: 'nobody', password: 'x' });
    const empty = await post('/account/self-a/login', { login: '', password: '' });
    for (const response of [wrong, unknown, empty]) {
      expect(response.status).toBe(401);
      expect(await response.text()).toContain(message);
    }
    expect((await get('/account/no-such-isp/login')).status).toBe(404);
  });

  it('signs in by account number in any case and shows the subscriber their own account', async () => {
    const cookie = await signIn('self-a', accountNumberA.toLowerCase(), SUBSCRIBER_PASSWORD);
    const overview = await (await get('/account/self-a', cookie)).text();
    expect(overview).toContain(accountNumberA);
    expect(overview).toContain('Home 5 Mbps');
    for (const page of ['invoices', 'statement', 'usage', 'pay'])
      expect((await get(`/account/self-a/${page}`, cookie)).status).toBe(200);
  });

  it('limits wrong passwords per account, even for the right password after', async () => {
    const isp = await testApp.createIsp('self-limit');
    await createSubscriber(isp, SUBSCRIBER_PASSWORD);
    for (let attempt = 0; attempt < 5; attempt++)
      expect(
        (await post('/account/self-limit/login', { login: 'wanjiku', password: `guess-${attempt}` })).status,
      ).toBe(401);
    const limited = await post('/account/self-limit/login', {
      login: 'wanjiku',
      password: SUBSCRIBER_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('Too many attempts');
  });
});

describe('signed-in pages', () => {
  it('need the CSRF token to sign out or pay, and check the amount', async () => {
    const cookie = await signIn('self-a', 'wanjiku', SUBSCRIBER_PASSWORD);
    expect((await post('/account/self-a/logout', {}, cookie)).status).toBe(403);
    const csrf = await csrfOf('self-a', cookie);
    const badAmount = await post(
      '/account/self-a/pay',
      { _csrf: csrf, phone: '0712345678', amount: '0' },
      cookie,
    );
    expect(badAmount.status).toBe(400);
    expect(await badAmount.text()).toContain('whole shillings');
    const noMpesa = await post(
      '/account/self-a/pay',
      { _csrf: csrf, phone: '0712345678', amount: '100' },
      cookie,
    );
    expect(noMpesa.status).toBe(503);
    expect((await get('/account/self-a/payments/pur_unknown', cookie)).status).toBe(404);
    const signedOut = await post('/account/self-a/logout', { _csrf: csrf }, cookie);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('set-cookie')).toMatch(/kiunga_account=;/);
  });

  it("keep ISP A's subscriber out of ISP B: A's password fails there and A's session opens nothing", async () => {
    const elsewhere = await post(`/account/${ispB.slug}/login`, {
      login: 'wanjiku',
      password: SUBSCRIBER_PASSWORD,
    });
    expect(elsewhere.status).toBe(401);
    const cookie = await signIn(ispA.slug, 'wanjiku', SUBSCRIBER_PASSWORD);
    const other = await get(`/account/${ispB.slug}/invoices`, cookie);
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).toBe(`/account/${ispB.slug}/login`);
  });
});
