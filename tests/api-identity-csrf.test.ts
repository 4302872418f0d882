// End to end: login CSRF and cross-site writes. JSON routes take only application/json (415
// otherwise), and an unsafe request whose Origin (or Referer) is another site is refused 403 before
// it is read, with or without a cookie; the consoles', the customer portal's and the captive
// portal's own forms, Bearer clients and the M-Pesa callbacks go on working.
import { describe, expect, it } from 'vitest';
import { cookieSession, login } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';
import { type RawRequest, rawRequest } from './support/raw-http';

const suite = useDemoKiunga();
const EVIL_ORIGIN = 'https://evil.example';

const send = (request: RawRequest) => rawRequest(suite.kiunga.baseUrl, request);
const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });
const form = (headers: Record<string, string> = {}) => ({
  'content-type': 'application/x-www-form-urlencoded',
  ...headers,
});
const setCookieOf = (headers: Record<string, string | string[] | undefined>) =>
  ([] as string[]).concat(headers['set-cookie'] ?? []).join('\n');

describe('JSON routes take only JSON', () => {
  it('refuses the text/plain body a cross-site form sends to sign in or out, and sets no cookie', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    for (const path of ['/api/v1/auth/session', '/api/v1/auth/login', '/api/v1/auth/logout']) {
      const answer = await send({
        method: 'POST',
        path,
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(owner),
      });
      expect(answer.status).toBe(415);
      expect(answer.json.error.code).toBe('unsupported_media_type');
      expect(setCookieOf(answer.headers)).not.toContain('kiunga_session');
    }
  });
});

describe('requests from another site', () => {
  it('a cross-site sign-in is refused by its Origin, or its Referer when Origin is missing', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    const body = JSON.stringify(owner);
    const path = '/api/v1/auth/session';
    const crossSite = await send({ method: 'POST', path, headers: json({ origin: EVIL_ORIGIN }), body });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json.error.code).toBe('cross_site_request');
    expect(setCookieOf(crossSite.headers)).not.toContain('kiunga_session');
    const nullOrigin = await send({ method: 'POST', path, headers: json({ origin: 'null' }), body });
    expect(nullOrigin.status).toBe(403);
    const byReferer = await send({
      method: 'POST',
      path,
      headers: json({ referer: `${EVIL_ORIGIN}/trap.html` }),
      body,
    });
    expect(byReferer.status).toBe(403);

    const ownPage = await send({ method: 'POST', path, headers: json({ origin: suite.baseUrl }), body });
    expect(ownPage.status).toBe(200);
    expect(setCookieOf(ownPage.headers)).toContain('kiunga_session');
    const ownReferer = await send({
      method: 'POST',
      path,
      headers: json({ referer: `${suite.baseUrl}/login` }),
      body,
    });
    expect(ownReferer.status).toBe(200);
  });

  it("a cookie-authenticated write from another site is refused even with the session's CSRF token", async () => {
    const owner = suite.demo.tenants[0]!.owner;
    const session = await cookieSession(suite.baseUrl, owner);
    const create = (origin: string, name: string) =>
      send({
        method: 'POST',
        path: '/api/v1/roles',
        headers: json({ cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin }),
        body: JSON.stringify({ name, permissions: ['plans.read'] }),
      });
    const refused = await create(EVIL_ORIGIN, 'cross-site-role');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('cross_site_request');
    expect((await create(suite.baseUrl, 'same-site-role')).status).toBe(201);
    const roles = await (await login(suite.baseUrl, owner)).get('/api/v1/roles');
    const names = (roles.body.items as Array<{ name: string }>).map((role) => role.name);
    expect(names).toContain('same-site-role');
    expect(names).not.toContain('cross-site-role');
  });

  it("the console's /login and /logout forms work from its own pages only", async () => {
    const owner = suite.demo.tenants[0]!.owner;
    const page = await send({ method: 'GET', path: '/login' });
    const loginCookie = setCookieOf(page.headers).split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const fields = new URLSearchParams({
      _csrf: csrf,
      email: owner.email,
      password: owner.password,
    }).toString();
    const post = (origin: string) =>
      send({ method: 'POST', path: '/login', headers: form({ cookie: loginCookie, origin }), body: fields });
    const crossSite = await post(EVIL_ORIGIN);
    expect(crossSite.status).toBe(403);
    expect(setCookieOf(crossSite.headers)).not.toContain('kiunga_session');
    const signedIn = await post(suite.baseUrl);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/isp');
    const sessionCookie = setCookieOf(signedIn.headers)
      .split('\n')
      .find((line) => line.startsWith('kiunga_session='))
      ?.split(';')[0];
    expect(sessionCookie).toBeDefined();

    const home = await send({ method: 'GET', path: '/isp', headers: { cookie: sessionCookie ?? '' } });
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    const logout = (origin: string) =>
      send({
        method: 'POST',
        path: '/logout',
        headers: form({ cookie: sessionCookie ?? '', origin }),
        body: new URLSearchParams({ _csrf: sessionCsrf }).toString(),
      });
    expect((await logout(EVIL_ORIGIN)).status).toBe(403);
    expect(
      (await send({ method: 'GET', path: '/isp', headers: { cookie: sessionCookie ?? '' } })).status,
    ).toBe(200);
    expect((await logout(suite.baseUrl)).status).toBe(303);
    const after = await send({ method: 'GET', path: '/isp', headers: { cookie: sessionCookie ?? '' } });
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it("the customer portal's sign-in form works from its own page only", async () => {
    const tenant = suite.demo.tenants[0]!;
    const subscriber = tenant.subscribers.find((candidate) => candidate.status === 'active')!;
    const post = (origin: string) =>
      send({
        method: 'POST',
        path: `/account/${tenant.slug}/login`,
        headers: form({ origin }),
        body: new URLSearchParams({ login: subscriber.username, password: subscriber.password }).toString(),
      });
    const crossSite = await post(EVIL_ORIGIN);
    expect(crossSite.status).toBe(403);
    expect(setCookieOf(crossSite.headers)).not.toContain('kiunga_account');
    const signedIn = await post(suite.baseUrl);
    expect(signedIn.status).toBe(303);
    expect(setCookieOf(signedIn.headers)).toContain('kiunga_account');
  });

  it("the captive portal's own voucher form works; another site's is refused", async () => {
    const tenant = suite.demo.tenants[0]!;
    const post = (origin: string) =>
      send({
        method: 'POST',
        path: `/portal/${tenant.slug}/voucher`,
        headers: form({ origin }),
        body: new URLSearchParams({ code: tenant.vouchers[0]!.code }).toString(),
      });
    const own = await post(suite.baseUrl);
    expect(own.status).toBe(200);
    // The voucher is good: the page tells the client how to connect with it.
    expect(own.text).toContain('enter this code on the login page');
    expect((await post(EVIL_ORIGIN)).status).toBe(403);
  });

  it('Bearer clients, which carry no ambient credential, are not asked where they come from', async () => {
    const owner = await login(suite.baseUrl, suite.demo.tenants[0]!.owner);
    const created = await send({
      method: 'POST',
      path: '/api/v1/roles',
      headers: json({ authorization: `Bearer ${owner.token}`, origin: EVIL_ORIGIN }),
      body: JSON.stringify({ name: 'integration-role', permissions: ['plans.read'] }),
    });
    expect(created.status).toBe(201);
  });

  it('M-Pesa callbacks are not judged by an Origin header', async () => {
    const tenant = suite.demo.tenants[0]!;
    const path = `/callbacks/mm/${tenant.id}/${'0'.repeat(64)}/c2b/validation`;
    const body = JSON.stringify({ TransID: 'X' });
    const withOrigin = await send({ method: 'POST', path, headers: json({ origin: EVIL_ORIGIN }), body });
    const without = await send({ method: 'POST', path, headers: json(), body });
    expect(withOrigin.status).toBe(without.status);
    expect(withOrigin.json.error.code).not.toBe('cross_site_request');
  });
});
