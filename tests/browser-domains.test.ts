// An ISP's own domain in real headless Chromium: the owner sets it on ISP → Domain, the test publishes
// the TXT record the page shows on the DNS stand-in (KIUNGA_DNS_SERVER), Verify succeeds, and a page
// requested with that Host (Chromium maps the name to loopback) is the ISP's branded captive portal and
// its branded sign-in page.
/// <reference lib="dom" />
import { type DnsSimulator, startDnsSimulator } from '@kiunga/ops/sim/dns';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserSuite } from './support/browser';

const CUSTOM_DOMAIN = 'wifi.example.co.ke';

let dns: DnsSimulator;

const suite = useBrowserSuite({
  async beforeStart() {
    dns = await startDnsSimulator({ port: 0 });
  },
  environment: () => ({ KIUNGA_DNS_SERVER: dns.address }),
  browserArgs: [`--host-resolver-rules=MAP ${CUSTOM_DOMAIN} 127.0.0.1`],
  async afterStop() {
    await dns?.stop();
  },
});

describe('custom domain in a browser', () => {
  it('verifies the domain against the DNS stand-in and serves the branded portal and sign-in at it', async () => {
    const tenant = suite.demo.tenants[0]!;
    const { page } = await suite.openPhonePage();
    await signIn(page, tenant.owner.email, tenant.owner.password);
    await page.goto('/isp/domain');
    await page.fill('#domain', CUSTOM_DOMAIN);
    await Promise.all([page.waitForURL('**/isp/domain'), page.click('#domain-form button[type=submit]')]);
    const records = await page.textContent('#domain-records');
    expect(records).toContain(`_kiunga-verify.${CUSTOM_DOMAIN}`);
    const txtValue = /kiunga-verify=[0-9a-f]{32}/.exec(records ?? '')?.[0];
    expect(txtValue).toBeDefined();
    dns.setTxt(`_kiunga-verify.${CUSTOM_DOMAIN}`, [txtValue ?? '']);

    await Promise.all([
      page.waitForURL('**/isp/domain'),
      page.click('#domain-records form[action$="/verify"] button'),
    ]);
    expect(await page.textContent('#domain-records h2')).toContain(`${CUSTOM_DOMAIN}: verified`);
    expect(
      dns.queries().some((query) => query.name === `_kiunga-verify.${CUSTOM_DOMAIN}` && query.type === 'TXT'),
    ).toBe(true);

    // The ISP's portal at Kiunga's address, then the same at its own domain.
    await page.goto(`/portal/${tenant.slug}`);
    const ispHeading = (await page.textContent('header h1'))?.trim();
    expect(ispHeading).toBeTruthy();
    const plansAtKiunga = await page.locator('main').textContent();
    expect(plansAtKiunga).toContain('Buy a package');
    const port = new URL(suite.kiunga.baseUrl).port;
    const customOrigin = `http://${CUSTOM_DOMAIN}:${port}`;
    const portal = await page.goto(`${customOrigin}/`);
    expect(portal?.status()).toBe(200);
    expect(page.url()).toBe(`${customOrigin}/`);
    expect((await page.textContent('header h1'))?.trim()).toBe(ispHeading);
    expect(await page.locator('main').textContent()).toBe(plansAtKiunga);

    const signInPage = await page.goto(`${customOrigin}/login`);
    expect(signInPage?.status()).toBe(200);
    expect(await page.textContent('h1')).toContain(`Sign in to ${ispHeading}`);

    // Caddy's ask: a certificate for the verified name only.
    const ask = await fetch(`${suite.kiunga.baseUrl}/tls/ask?domain=${CUSTOM_DOMAIN}`);
    expect(ask.status).toBe(200);
    expect((await fetch(`${suite.kiunga.baseUrl}/tls/ask?domain=other.example.co.ke`)).status).toBe(404);
  });
});
