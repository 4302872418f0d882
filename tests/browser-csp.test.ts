/// <reference lib="dom" />
// The Content-Security-Policy against the real pages in headless Chromium: no page reports a
// violation, the scripts the pages need still run (the portal's purchase script, the live sessions
// feed, the confirmation before a row action, the API reference), and an injected inline script would not.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { signIn, useBrowserSuite } from './support/browser';
import { startDemoDaraja } from './support/demo-daraja';
import type { MpesaDemoTenant } from './support/kiunga-process';

let daraja: DarajaSimulator;

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    daraja = await startDemoDaraja(demo);
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;
/**
 * Swagger UI parses a 1.5 MB bundle and lays out every operation of a large document: seconds on a
 * quiet machine, more when the suite's other browsers and servers share its two cores.
 */
const SWAGGER_RENDER_WAIT_MS = 45_000;
let page: Page;
/** Every CSP violation and console error the pages of the current test reported. */
let reports: string[];

beforeEach(async () => {
  ({ page } = await suite.openPhonePage());
  reports = [];
  // Runs in every document before its own scripts (injected by the browser, outside the page's CSP).
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (message) => {
    // Browsers ask every site for /favicon.ico; the consoles have none (a 404, not a policy matter).
    const isFaviconMiss = message.location().url.endsWith('/favicon.ico');
    if (message.type() === 'error' && !isFaviconMiss) reports.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => reports.push(`${page.url()}: ${error.message}`));
});

async function visit(path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.waitForLoadState('load');
}

describe('Content-Security-Policy in the browser', () => {
  it('the consoles show no violation, and live sessions connect under connect-src', async () => {
    await visit('/login');
    await signIn(page, tenant().owner.email, tenant().owner.password);
    for (const path of [
      '/isp',
      '/isp/plans',
      '/isp/vouchers',
      '/isp/subscribers',
      '/isp/branding',
      '/isp/account',
    ])
      await visit(path);
    await visit('/isp/sessions');
    await page.locator('[data-live-indicator]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.context().clearCookies();
    await signIn(page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    for (const path of ['/platform', '/platform/tenants']) await visit(path);
    expect(reports).toEqual([]);
  });

  it('a row action still asks first: dismissing does nothing, accepting acts', async () => {
    await signIn(page, tenant().owner.email, tenant().owner.password);
    const code = tenant().vouchers[3]!.code;
    await visit(`/isp/vouchers?q=${code}`);
    const revoke = page.locator(`tr[data-code="${code}"] button:has-text("Revoke")`);
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await revoke.click();
    expect(asked).toEqual([`Revoke ${code}? Its users are disconnected.`]);
    await expect(page.locator(`tr[data-code="${code}"]`).textContent()).resolves.not.toContain('revoked');
    page.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([page.waitForURL('**/isp/vouchers**'), revoke.click()]);
    await expect(page.locator(`tr[data-code="${code}"]`).textContent()).resolves.toContain('revoked');
    expect(reports).toEqual([]);
  });

  it("the captive portal's purchase script runs: a purchase is followed to its voucher", async () => {
    await visit(`/portal/${tenant().slug}`);
    await page.fill('input[name=phone]', '0712345678');
    await page.click('#buy button[type=submit]');
    // Only the page's script (fetch + polling) writes the voucher here; a blocked script would post the form.
    await page.locator('#status b.code').waitFor({ state: 'visible', timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe(`/portal/${tenant().slug}`);
    expect(reports).toEqual([]);
  });

  it('the self-service pages show no violation', async () => {
    const subscriber = tenant().subscribers.find((candidate) => candidate.status === 'active')!;
    await visit(`/account/${tenant().slug}/login`);
    await page.fill('input[name=login]', subscriber.username);
    await page.fill('input[name=password]', subscriber.password);
    await Promise.all([page.waitForURL(/\/account\/[^/]+$/), page.click('button[type=submit]')]);
    for (const path of ['invoices', 'statement', 'usage', 'pay'])
      await visit(`/account/${tenant().slug}/${path}`);
    expect(reports).toEqual([]);
  });

  it('an inline script without the nonce is blocked and reported', async () => {
    await visit('/login');
    await page.evaluate(() => {
      const injected = document.createElement('script');
      injected.textContent = 'window.injectedRan = true';
      document.body.appendChild(injected);
    });
    await expect(
      page.evaluate(() => (window as { injectedRan?: boolean }).injectedRan),
    ).resolves.toBeUndefined();
    await expect
      .poll(() => reports.some((report) => report.includes('CSP violation: script-src')))
      .toBe(true);
  });

  it('the API reference at /api/docs lists the tags and opens their operations from this host alone, under the policy', async () => {
    const origin = new URL(suite.kiunga.baseUrl).origin;
    const requestedOrigins = new Set<string>();
    page.on('request', (request) => {
      if (!request.url().startsWith('data:')) requestedOrigins.add(new URL(request.url()).origin);
    });
    await visit('/api/docs');
    // The page opens on the tags; opening one lays out its operations (public and signed-in routes here).
    for (const [tag, path] of [
      ['meta', '/api/v1/openapi.json'],
      ['vouchers', '/api/v1/vouchers'],
    ] as const) {
      await page.locator(`.opblock-tag[data-tag="${tag}"]`).click({ timeout: SWAGGER_RENDER_WAIT_MS });
      await page
        .locator(`.opblock-summary-path[data-path="${path}"]`)
        .first()
        .waitFor({ timeout: SWAGGER_RENDER_WAIT_MS });
    }
    expect([...requestedOrigins]).toEqual([origin]);
    expect(reports).toEqual([]);
  });
});
