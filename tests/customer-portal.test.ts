// End to end over HTTP against the real ./kiunga: a PPPoE subscriber signs in at /account/<slug>
// (failures and the rate limit), sees the invoices of the start-up billing run as a page and a PDF,
// their statement and usage, and can never reach another subscriber's or another ISP's data.
import { describe, expect, it } from 'vitest';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();

const tenant = () => suite.demo.tenants[0]!;
const otherTenant = () => suite.demo.tenants[1]!;
const subscriberNamed = (username: string) => tenant().subscribers.find((s) => s.username === username)!;

const url = (slug: string, path = '') => `${suite.kiunga.baseUrl}/account/${slug}${path}`;

function post(target: string, form: Record<string, string>, cookie?: string) {
  return fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

const get = (target: string, cookie?: string) =>
  fetch(target, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** Signs in and returns the session cookie (name=value). */
async function signIn(login: string, password: string, slug = tenant().slug): Promise<string> {
  const response = await post(url(slug, '/login'), { login, password });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`/account/${slug}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(setCookie).toContain(`Path=/account/${slug}`);
  return setCookie.split(';')[0]!;
}

async function invoiceIdsOf(cookie: string): Promise<string[]> {
  // The start-up billing run is asynchronous: wait for it to have invoiced this subscriber.
  for (let attempt = 0; attempt < 100; attempt++) {
    const html = await (await get(url(tenant().slug, '/invoices'), cookie)).text();
    const ids = [...html.matchAll(/\/invoices\/(inv_[A-Za-z0-9_-]+)"/g)].map((match) => match[1]!);
    if (ids.length > 0) return ids;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('no invoice appeared for the subscriber');
}

describe('customer self-service sign-in', () => {
  it('sends a visitor without a session to the branded sign-in page', async () => {
    const response = await get(url(tenant().slug));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/account/${tenant().slug}/login`);
    const page = await get(url(tenant().slug, '/login'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Username or account number');
    expect(html).toContain('--primary:#');
  });

  it('refuses a wrong password and an unknown user with the same generic message', async () => {
    const wrong = await post(url(tenant().slug, '/login'), { login: 'wanjiku', password: 'not-it' });
    const unknown = await post(url(tenant().slug, '/login'), { login: 'nobody-here', password: 'x' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const message = 'Wrong username, account number or password.';
    expect(await wrong.text()).toContain(message);
    expect(await unknown.text()).toContain(message);
  });

  it('limits wrong passwords per account, whichever name is used, even for the right password after', async () => {
    const otieno = subscriberNamed('otieno');
    for (let attempt = 0; attempt < 5; attempt++) {
      const login = attempt % 2 === 0 ? otieno.username : otieno.accountNumber.toLowerCase();
      const response = await post(url(tenant().slug, '/login'), { login, password: `guess-${attempt}` });
      expect(response.status).toBe(401);
    }
    const limited = await post(url(tenant().slug, '/login'), {
      login: otieno.username,
      password: otieno.password,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('Too many attempts');
    // Another account from the same address is not locked out.
    const mutua = subscriberNamed('mutua');
    await signIn(mutua.username, mutua.password);
  });

  it('signs in with the username or the account number in any case, and signs out with CSRF', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const byAccount = await signIn(wanjiku.accountNumber.toLowerCase(), wanjiku.password);
    const overview = await (await get(url(tenant().slug), byAccount)).text();
    expect(overview).toContain(wanjiku.accountNumber);
    expect(overview).toContain('Home 5 Mbps');
    expect(overview).toContain('Active');
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    const withoutToken = await post(url(tenant().slug, '/logout'), {}, cookie);
    expect(withoutToken.status).toBe(403);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      await (await get(url(tenant().slug), cookie)).text(),
    )?.[1];
    expect(csrf).toBeTruthy();
    const logout = await post(url(tenant().slug, '/logout'), { _csrf: csrf! }, cookie);
    expect(logout.status).toBe(303);
    expect(logout.headers.get('set-cookie')).toMatch(/kiunga_account=;/);
  });

  it('refuses these credentials on another ISP, and the session does not open another ISP', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const elsewhere = await post(url(otherTenant().slug, '/login'), {
      login: wanjiku.username,
      password: wanjiku.password,
    });
    expect(elsewhere.status).toBe(401);
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    const other = await get(url(otherTenant().slug, '/invoices'), cookie);
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).toBe(`/account/${otherTenant().slug}/login`);
  });

  it('rejects a tampered cookie', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    const [name, value] = cookie.split('=', 2) as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { subscriberId: string };
    forged.subscriberId = subscriberNamed('otieno').id;
    const forgedPayload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    const response = await get(url(tenant().slug, '/invoices'), `${name}=${forgedPayload}.${signature}`);
    expect(response.status).toBe(303);
  });
});

describe('customer self-service pages', () => {
  it('shows the invoices of the start-up billing run, as a page and a PDF', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    const [invoiceId] = await invoiceIdsOf(cookie);
    const page = await get(url(tenant().slug, `/invoices/${invoiceId}`), cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/Invoice [A-Z0-9-]+/);
    expect(html).toContain(`Account number ${wanjiku.accountNumber}`);
    expect(html).toContain('Home 5 Mbps');
    const pdf = await get(url(tenant().slug, `/invoices/${invoiceId}.pdf`), cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const statement = await (await get(url(tenant().slug, '/statement'), cookie)).text();
    expect(statement).toContain('Invoice');
    expect(statement).toMatch(/Ksh [\d,]+\.\d\d/);
  });

  it("answers 404 for another subscriber's invoice, as page and as PDF", async () => {
    const duka = subscriberNamed('duka-la-mama');
    const [otherInvoiceId] = await invoiceIdsOf(await signIn(duka.username, duka.password));
    const wanjiku = subscriberNamed('wanjiku');
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    expect((await invoiceIdsOf(cookie)).includes(otherInvoiceId!)).toBe(false);
    for (const suffix of ['', '.pdf']) {
      const response = await get(url(tenant().slug, `/invoices/${otherInvoiceId}${suffix}`), cookie);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).not.toContain(duka.accountNumber);
    }
    const unknown = await get(url(tenant().slug, '/payments/pur_doesnotexist'), cookie);
    expect(unknown.status).toBe(404);
    expect((await get(url('no-such-isp', '/login'))).status).toBe(404);
  });

  it("shows the subscriber's recent sessions with bytes from accounting", async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const nas = tenant().nas[0]!;
    const reply = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: nas.secret,
      attributes: {
        'Acct-Status-Type': 'Start',
        'User-Name': wanjiku.username,
        'Acct-Session-Id': 'cust0001',
        'Framed-IP-Address': '10.9.0.77',
        'Calling-Station-Id': '02:00:00:00:77:01',
      },
    });
    expect(reply.code).toBe('Accounting-Response');
    const stop = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: nas.secret,
      attributes: {
        'Acct-Status-Type': 'Stop',
        'User-Name': wanjiku.username,
        'Acct-Session-Id': 'cust0001',
        'Acct-Output-Octets': 250_000_000,
        'Acct-Input-Octets': 12_000_000,
        'Acct-Session-Time': 5400,
      },
    });
    expect(stop.code).toBe('Accounting-Response');
    const cookie = await signIn(wanjiku.username, wanjiku.password);
    const usage = await (await get(url(tenant().slug, '/usage'), cookie)).text();
    expect(usage).toContain('250.0 MB');
    expect(usage).toContain('12.0 MB');
    expect(usage).toContain('1 h 30 min');
    const duka = subscriberNamed('duka-la-mama');
    const other = await (
      await get(url(tenant().slug, '/usage'), await signIn(duka.username, duka.password))
    ).text();
    expect(other).not.toContain('250.0 MB');
  });
});
