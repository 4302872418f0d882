// What the chat tests set up alike: an ISP's PPPoE subscriber signed in to /account, a voucher proven
// on the captive portal's chat, the cookies a response sets, the CSRF field of a page, a subscriber's
// message and a console session's JSON call to the API (cookie and CSRF header, as a page's script).
import type { Hono } from 'hono';
import type { AppEnv } from '../../kernel/dependencies';
import {
  type ConsoleBrowser,
  TEST_HOTSPOT_PLAN,
  TEST_ORIGIN,
  type TestIsp,
} from '../../kernel/testing/in-process-app';

export const SUBSCRIBER_PASSWORD = 'pppoe-secret-1';

export function cookieOf(response: Response, name: string): string {
  return (
    response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0] ?? '')
      .find((pair) => pair.startsWith(`${name}=`)) ?? ''
  );
}

export async function csrfOf(app: Hono<AppEnv>, path: string, cookie: string): Promise<string> {
  const html = await (await app.request(path, { headers: { cookie } })).text();
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no CSRF field on ${path}`);
  return match[1];
}

/** A monthly PPPoE plan and a subscriber on it, made through the ISP's API. */
export async function createSubscriber(isp: TestIsp, username: string, phone: string | null): Promise<void> {
  const plan = await isp.request('POST', '/api/v1/plans', {
    name: `Home ${username}`,
    kind: 'pppoe',
    priceCents: 150_000,
    billingCycleMonths: 1,
    rateUpKbps: 2_000,
    rateDownKbps: 5_000,
  });
  const { id: planId } = (await plan.json()) as { id: string };
  const created = await isp.request('POST', '/api/v1/subscribers', {
    username,
    password: SUBSCRIBER_PASSWORD,
    planId,
    fullName: 'Wanjiku Kamau',
    ...(phone ? { phone } : {}),
  });
  if (created.status !== 201) throw new Error(`subscriber: ${created.status} ${await created.text()}`);
}

export async function createVoucher(isp: TestIsp): Promise<{ id: string; code: string }> {
  const plan = await isp.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  const { id: planId } = (await plan.json()) as { id: string };
  const created = await isp.request('POST', '/api/v1/vouchers', { planId, count: 1 });
  const voucher = ((await created.json()) as { items: Array<{ id: string; code: string }> }).items[0];
  if (!voucher) throw new Error('no voucher made');
  return voucher;
}

function postForm(app: Hono<AppEnv>, path: string, fields: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Signs the subscriber in at /account/<slug>; answers the session cookie ('' when refused). */
export async function signInSubscriber(app: Hono<AppEnv>, isp: TestIsp, login: string): Promise<string> {
  const response = await postForm(app, `/account/${isp.slug}/login`, {
    login,
    password: SUBSCRIBER_PASSWORD,
  });
  return cookieOf(response, 'kiunga_account');
}

/** Proves a voucher on the captive portal's chat; answers the response (303 and the chat cookie when taken). */
export async function proveVoucher(app: Hono<AppEnv>, isp: TestIsp, code: string): Promise<Response> {
  return postForm(app, `/portal/${isp.slug}/chat/voucher`, { code });
}

/** The signed-in subscriber writes on /account's chat page (the form's post); answers the response. */
export async function writeAsSubscriber(
  app: Hono<AppEnv>,
  isp: TestIsp,
  cookie: string,
  body: string,
): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', await csrfOf(app, `/account/${isp.slug}/chat`, cookie));
  form.set('body', body);
  return app.request(`/account/${isp.slug}/chat/messages`, {
    method: 'POST',
    headers: { cookie, origin: TEST_ORIGIN },
    body: form,
  });
}

/** A JSON POST to the API with the console session's cookie, and its CSRF header unless `csrf` is null. */
export async function postAsConsolePage(
  app: Hono<AppEnv>,
  session: ConsoleBrowser,
  path: string,
  body: unknown,
  csrf: string | null = session.csrfToken,
): Promise<Response> {
  return await app.request(path, {
    method: 'POST',
    headers: {
      cookie: [...session.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      origin: TEST_ORIGIN,
      'content-type': 'application/json',
      ...(csrf === null ? {} : { 'x-csrf-token': csrf }),
    },
    body: JSON.stringify(body),
  });
}
