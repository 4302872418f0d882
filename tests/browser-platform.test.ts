// The platform console in real headless Chromium: the super admin sees every ISP and suspends one;
// that ISP's owner can then look but not change anything; the Live page follows the AAA server.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptNextDialog, flashText, signIn, useBrowserSuite } from './support/browser';
import { radclient } from './support/radclient';

const suite = useBrowserSuite();
let page: Page;

beforeEach(async () => {
  ({ page } = await suite.openPhonePage());
});

describe('platform console', () => {
  it('the super admin sees both ISPs with their figures and suspends one', async () => {
    await signIn(page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    expect(new URL(page.url()).pathname).toBe('/platform');
    for (const tenant of suite.demo.tenants)
      await expect(page.locator(`tr[data-tenant="${tenant.slug}"]`).count()).resolves.toBe(1);
    await page.screenshot({ path: '/tmp/kiunga-platform-tenants-360.png', fullPage: true });

    const second = suite.demo.tenants[1]!;
    await page.click(`tr[data-tenant="${second.slug}"] a`);
    await expect(page.locator('.stat').count()).resolves.toBeGreaterThan(0);
    acceptNextDialog(page);
    await page.click('button:has-text("Suspend")');
    expect(await flashText(page)).toContain('suspended');
    await expect(page.locator('h1 .badge').textContent()).resolves.toBe('suspended');
    await page.goto('/platform?status=suspended');
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await expect(page.locator(`tr[data-tenant="${second.slug}"]`).count()).resolves.toBe(1);
  });

  it("the suspended ISP's owner may look but a change is refused with a clear page", async () => {
    const owner = suite.demo.tenants[1]!.owner;
    await signIn(page, owner.email, owner.password);
    await page.goto('/isp/plans');
    await page.fill('#name', 'Should not exist');
    await page.fill('#price', '10');
    await page.fill('#rateDownKbps', '1024');
    await page.fill('#rateUpKbps', '512');
    await page.fill('#validityValue', '1');
    const response = await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Create plan")'),
    ]);
    expect(response[0]?.status()).toBe(403);
    await expect(page.locator('body').textContent()).resolves.toContain('suspended');
  });

  it('the Live page shows a client coming online and a reject by its reason, without a reload', async () => {
    await signIn(page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    await page.goto('/platform/live');
    await page.locator('[data-live-indicator]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const figure = (key: string) => page.locator(`[data-live-figure="${key}"]`);
    const onlineBefore = Number(await figure('onlineClients').textContent());
    await expect(figure('nasUp').textContent()).resolves.toBe('2');

    const tenant = suite.demo.tenants[0]!;
    const voucher = tenant.vouchers[1]!;
    const started = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: tenant.nas[0]!.secret,
      attributes: {
        'User-Name': voucher.code,
        'Acct-Status-Type': 'Start',
        'Acct-Session-Id': 'plive001',
        'Calling-Station-Id': '02:00:00:00:b0:01',
      },
    });
    expect(started.code).toBe('Accounting-Response');
    const refused = await radclient({
      server: `127.0.0.1:${suite.kiunga.authPort}`,
      command: 'auth',
      secret: tenant.nas[0]!.secret,
      attributes: { 'User-Name': voucher.code, 'User-Password': 'not-the-code' },
    });
    expect(refused.code).toBe('Access-Reject');

    await page.waitForFunction(
      (expected) =>
        document.querySelector('[data-live-figure="onlineClients"]')?.textContent === expected &&
        document.querySelectorAll('[data-live-rejects] tr[data-reject-reason]').length > 0,
      String(onlineBefore + 1),
      { timeout: 20_000 },
    );
    await expect(page.locator('[data-live-rejects]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-live-rejects-none]').isVisible()).resolves.toBe(false);
    await expect(
      page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).resolves.toBe(true);
    await page.screenshot({ path: '/tmp/kiunga-platform-live-360.png', fullPage: true });
  });

  it('ISP accounts cannot open the platform console', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    await signIn(page, owner.email, owner.password);
    await page.goto('/platform');
    expect(new URL(page.url()).pathname).toBe('/isp');
  });
});
