// Custom domains in-process: an ISP claims a domain, verifies it by its TXT record (a table the test
// publishes to stands in for DNS), is served its portal, account pages and branded sign-in at that Host,
// the TLS ask answers for it; another ISP can neither see nor take it; the daily re-check drops a domain
// whose record is gone three days in a row.
import { stopTestDatabaseServer } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TxtLookupResult } from '../../integrations/dns';
import {
  apiClient,
  errorCodeOf,
  jsonOf,
  openTwoIspApp,
  signInWithToken,
  TEST_PASSWORD,
  type TwoIspApp,
} from '../../kernel/testing/in-process-app';
import { RECHECK_INTERVAL_MS } from './core';
import { recheckCustomDomains } from './domains.job';

const DOMAIN_A = 'wifi.isp-a.co.ke';
/** What the stand-in DNS publishes: name → TXT values. */
const published = new Map<string, string[]>();
const lookups: string[] = [];
async function txtLookup(name: string): Promise<TxtLookupResult> {
  lookups.push(name);
  const records = published.get(name);
  return records ? { kind: 'found', records } : { kind: 'not_found' };
}

let kiunga: TwoIspApp;
beforeAll(async () => {
  kiunga = await openTwoIspApp({ prefix: 'dom', dependencies: { txtLookup } });
});
afterAll(async () => {
  await kiunga?.close();
  await stopTestDatabaseServer();
});

interface DomainAnswer {
  domain: string | null;
  txtRecord: { name: string; type: string; value: string } | null;
  verified: boolean;
  reason?: string;
}

async function requestWithHost(host: string, path: string): Promise<Response> {
  return await kiunga.app.request(path, { headers: { host } });
}

describe('custom domains', () => {
  it('refuses what is not a domain an ISP could own', async () => {
    for (const domain of ['co.ke', '192.0.2.1', 'kiunga.test', 'portal.kiunga.test', 'printer.local']) {
      const answer = await kiunga.ispA.request('PUT', '/api/v1/settings/domain', { domain });
      expect(answer.status, domain).toBe(400);
      expect(await errorCodeOf(answer)).toBe('validation_failed');
    }
  });

  it('claims a domain pending, with the TXT record to publish', async () => {
    const answer = await kiunga.ispA.request('PUT', '/api/v1/settings/domain', {
      domain: 'WiFi.ISP-A.co.ke.',
    });
    expect(answer.status).toBe(200);
    const body = await jsonOf<DomainAnswer>(answer);
    expect(body).toMatchObject({ domain: DOMAIN_A, verified: false });
    expect(body.txtRecord).toEqual({
      name: `_kiunga-verify.${DOMAIN_A}`,
      type: 'TXT',
      value: expect.stringMatching(/^kiunga-verify=[0-9a-f]{32}$/),
    });
    // Not served, and no certificate, while pending.
    expect((await requestWithHost(DOMAIN_A, '/')).status).toBe(404);
    expect((await kiunga.app.request(`/tls/ask?domain=${DOMAIN_A}`)).status).toBe(404);
  });

  it('verifies only when the record holds the value, at most once per 10 s (429 with Retry-After)', async () => {
    const missing = await kiunga.ispA.request('POST', '/api/v1/settings/domain/verify');
    expect(await jsonOf<DomainAnswer>(missing)).toMatchObject({ verified: false, reason: 'record_missing' });
    expect(lookups).toContain(`_kiunga-verify.${DOMAIN_A}`);

    const tooSoon = await kiunga.ispA.request('POST', '/api/v1/settings/domain/verify');
    expect(tooSoon.status).toBe(429);
    expect(await errorCodeOf(tooSoon)).toBe('rate_limited');
    expect(tooSoon.headers.get('retry-after')).toBe('10');

    kiunga.clock.advance(10_000);
    published.set(`_kiunga-verify.${DOMAIN_A}`, ['kiunga-verify=00000000000000000000000000000000']);
    const mismatch = await kiunga.ispA.request('POST', '/api/v1/settings/domain/verify');
    expect(await jsonOf<DomainAnswer>(mismatch)).toMatchObject({
      verified: false,
      reason: 'record_mismatch',
    });

    kiunga.clock.advance(10_000);
    const claimed = await jsonOf<DomainAnswer>(await kiunga.ispA.request('GET', '/api/v1/settings/domain'));
    published.set(`_kiunga-verify.${DOMAIN_A}`, ['v=spf1 -all', claimed.txtRecord?.value ?? '']);
    const found = await kiunga.ispA.request('POST', '/api/v1/settings/domain/verify');
    expect(await jsonOf<DomainAnswer>(found)).toMatchObject({
      domain: DOMAIN_A,
      verified: true,
      reason: 'record_found',
    });
    const audit = await kiunga.dependencies.databases.platform.column<string>(
      'SELECT action FROM audit_log WHERE tenant_id = ? AND action LIKE ? ORDER BY id',
      [kiunga.ispA.tenantId, 'domain.%'],
    );
    expect(audit).toEqual(['domain.claimed', 'domain.verified']);
  });

  it('serves the ISP its captive portal, account pages and branded sign-in at the verified Host', async () => {
    const portal = await requestWithHost(`${DOMAIN_A.toUpperCase()}:443`, '/?mac=AA:BB:CC:DD:EE:FF');
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain('ISP dom-a');

    const account = await requestWithHost(DOMAIN_A, '/account/login');
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('ISP dom-a');

    const signIn = await requestWithHost(DOMAIN_A, '/login');
    expect(signIn.status).toBe(200);
    const signInHtml = await signIn.text();
    expect(signInHtml).toContain('Sign in to ISP dom-a');
    expect(signInHtml).toContain('action="/login/dom-a"');

    // Kiunga's own host is unchanged: its home is not A's portal.
    expect(await (await kiunga.app.request('/login')).text()).toContain('Sign in to Kiunga');
    // A Host nobody verified is not served.
    expect((await requestWithHost('wifi.unknown.co.ke', '/')).status).toBe(404);
  });

  it("signs staff in through the branded form posted at the ISP's domain", async () => {
    const form = await requestWithHost(DOMAIN_A, '/login');
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const signedIn = await kiunga.app.request('/login', {
      method: 'POST',
      headers: {
        host: DOMAIN_A,
        origin: `https://${DOMAIN_A}`,
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        email: kiunga.ispA.ownerEmail,
        password: TEST_PASSWORD,
        _csrf: csrf,
      }).toString(),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/isp');
  });

  it('answers the TLS proxy: 200 for the verified domain only', async () => {
    expect((await kiunga.app.request(`/tls/ask?domain=${DOMAIN_A}`)).status).toBe(200);
    expect((await kiunga.app.request(`/tls/ask?domain=${DOMAIN_A.toUpperCase()}.`)).status).toBe(200);
    expect((await kiunga.app.request('/tls/ask?domain=wifi.unknown.co.ke')).status).toBe(404);
    expect((await kiunga.app.request('/tls/ask?domain=kiunga.test')).status).toBe(404);
    expect((await kiunga.app.request('/tls/ask')).status).toBe(404);
  });

  it("puts the verified domain in A's RouterOS script, walled garden and hotspot login.html", async () => {
    const created = await kiunga.ispA.request('POST', '/api/v1/nas', {
      name: 'Tower',
      ipAddress: '10.41.0.1',
    });
    const nasId = (await jsonOf<{ id: string }>(created)).id;
    const script = await (await kiunga.ispA.request('GET', `/api/v1/nas/${nasId}/routeros-script`)).text();
    expect(script).toContain(`/ip hotspot walled-garden add dst-host="${DOMAIN_A}" action=allow`);
    expect(script).toContain(`# Captive portal: http://${DOMAIN_A}/`);
    expect(script).not.toContain('/portal/dom-a');
    const loginPage = await (
      await kiunga.ispA.request('GET', `/api/v1/nas/${nasId}/hotspot-login.html`)
    ).text();
    expect(loginPage).toContain(`action="http://${DOMAIN_A}/"`);
    // B has no domain: its script keeps Kiunga's address.
    const bNas = await kiunga.ispB.request('POST', '/api/v1/nas', { name: 'Mast', ipAddress: '10.41.0.2' });
    const bId = (await jsonOf<{ id: string }>(bNas)).id;
    const bScript = await (await kiunga.ispB.request('GET', `/api/v1/nas/${bId}/routeros-script`)).text();
    expect(bScript).toContain('dst-host="kiunga.test"');
    expect(bScript).toContain('# Captive portal: http://kiunga.test/portal/dom-b');
  });

  it("keeps ISP B off A's verified domain (409) and out of A's settings", async () => {
    const taken = await kiunga.ispB.request('PUT', '/api/v1/settings/domain', { domain: DOMAIN_A });
    expect(taken.status).toBe(409);
    expect(await errorCodeOf(taken)).toBe('conflict');
    const bView = await jsonOf<DomainAnswer>(await kiunga.ispB.request('GET', '/api/v1/settings/domain'));
    expect(bView).toMatchObject({ domain: null, txtRecord: null, verified: false });
    expect((await kiunga.ispB.request('DELETE', '/api/v1/settings/domain')).status).toBe(204);
    expect((await requestWithHost(DOMAIN_A, '/')).status).toBe(200);
  });

  it('lets two ISPs claim a pending domain; the first to verify it holds it', async () => {
    const shared = 'portal.shared-net.co.ke';
    for (const isp of [kiunga.ispA, kiunga.ispB])
      expect((await isp.request('PUT', '/api/v1/settings/domain', { domain: shared })).status).toBe(200);
    const bRecord = await jsonOf<DomainAnswer>(await kiunga.ispB.request('GET', '/api/v1/settings/domain'));
    const aRecord = await jsonOf<DomainAnswer>(await kiunga.ispA.request('GET', '/api/v1/settings/domain'));
    expect(aRecord.txtRecord?.value).not.toBe(bRecord.txtRecord?.value);
    published.set(`_kiunga-verify.${shared}`, [
      bRecord.txtRecord?.value ?? '',
      aRecord.txtRecord?.value ?? '',
    ]);
    kiunga.clock.advance(10_000);
    expect(
      await jsonOf<DomainAnswer>(await kiunga.ispB.request('POST', '/api/v1/settings/domain/verify')),
    ).toMatchObject({ verified: true });
    const late = await kiunga.ispA.request('POST', '/api/v1/settings/domain/verify');
    expect(late.status).toBe(409);
    // A changed domain: A's old one is no longer served.
    expect((await requestWithHost(DOMAIN_A, '/')).status).toBe(404);
    expect((await requestWithHost(shared, '/login')).status).toBe(200);
    expect(await (await requestWithHost(shared, '/login')).text()).toContain('ISP dom-b');
  });

  it('drops a domain whose record is gone three daily re-checks in a row, and tells the ISP', async () => {
    const shared = 'portal.shared-net.co.ke';
    published.delete(`_kiunga-verify.${shared}`);
    for (const day of [1, 2]) {
      kiunga.clock.advance(RECHECK_INTERVAL_MS);
      expect(await recheckCustomDomains(kiunga.dependencies), `day ${day}`).toEqual({
        checked: 1,
        unverified: [],
      });
      expect((await requestWithHost(shared, '/')).status).toBe(200);
    }
    kiunga.clock.advance(RECHECK_INTERVAL_MS);
    expect(await recheckCustomDomains(kiunga.dependencies)).toEqual({ checked: 1, unverified: [shared] });
    expect((await requestWithHost(shared, '/')).status).toBe(404);
    expect((await kiunga.app.request(`/tls/ask?domain=${shared}`)).status).toBe(404);
    const notices = await kiunga.dependencies.databases.platform.column<string>(
      'SELECT kind FROM platform_notices WHERE tenant_id = ?',
      [kiunga.ispB.tenantId],
    );
    expect(notices).toContain('domain_unverified');
  });

  it('gives a domain up with DELETE', async () => {
    // Days have passed: a fresh sign-in.
    const asB = apiClient(kiunga, await signInWithToken(kiunga, kiunga.ispB.ownerEmail));
    expect((await asB('DELETE', '/api/v1/settings/domain')).status).toBe(204);
    const view = await jsonOf<DomainAnswer>(await asB('GET', '/api/v1/settings/domain'));
    expect(view.domain).toBeNull();
  });

  it('shows the two DNS records to add on the console page, and verifies from it', async () => {
    const console_ = await kiunga.signIn(kiunga.ispA.ownerEmail);
    const saved = await kiunga.page(console_, '/isp/domain', { domain: 'net.isp-a.co.ke' });
    expect(saved.location).toBe('/isp/domain');
    const page = await kiunga.page(console_, '/isp/domain');
    expect(page.html).toContain('net.isp-a.co.ke: not verified yet');
    expect(page.html).toContain('<code>kiunga.test</code>');
    const txtValue = /<code>(kiunga-verify=[0-9a-f]{32})<\/code>/.exec(page.html)?.[1];
    expect(page.html).toContain('<code>_kiunga-verify.net.isp-a.co.ke</code>');
    published.set('_kiunga-verify.net.isp-a.co.ke', [txtValue ?? 'none']);
    kiunga.clock.advance(10_000);
    await kiunga.page(console_, '/isp/domain/verify', {});
    expect((await kiunga.page(console_, '/isp/domain')).html).toContain('net.isp-a.co.ke: verified');
  });
});
