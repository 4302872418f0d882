// The platform console in real headless Chromium: the super admin sees every ISP and suspends one;
// that ISP's owner can then look but not change anything.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptNextDialog, flashText, signIn, useBrowserSuite } from './support/browser';

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

  it('ISP accounts cannot open the platform console', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    await signIn(page, owner.email, owner.password);
    await page.goto('/platform');
    expect(new URL(page.url()).pathname).toBe('/isp');
  });
});
