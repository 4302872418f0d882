// The technician panel in real headless Chromium: the owner creates a technician in the console,
// the technician signs in at /login, lands on /tech in the ISP's branding and adds a PPPoE subscriber.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { flashText, signIn, useBrowserSuite } from './support/browser';

const suite = useBrowserSuite();
let page: Page;

const technician = { email: 'fundi@kilimani.demo', password: 'fundi-password-1' };

beforeEach(async () => {
  ({ page } = await suite.openPhonePage());
});

describe('technician panel', () => {
  it('the owner creates a technician account from the staff page', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    await signIn(page, owner.email, owner.password);
    await page.goto('/isp/staff');
    await page.fill('#email', technician.email);
    await page.fill('#displayName', 'Fundi Otieno');
    await page.selectOption('#kind', 'technician');
    await page.selectOption('#roleId', { label: 'technician' });
    await page.fill('#password', technician.password);
    await page.click('button:has-text("Create account")');
    await expect(page.locator(`tr[data-account="${technician.email}"]`).textContent()).resolves.toContain(
      'Technician',
    );
  });

  it('the technician lands on /tech in the ISP branding and adds a PPPoE subscriber with a package', async () => {
    await signIn(page, technician.email, technician.password);
    expect(new URL(page.url()).pathname).toBe('/tech');
    const ispName = await page.locator('[data-brand-name]').textContent();
    expect(ispName?.trim().length).toBeGreaterThan(0);
    expect(ispName).not.toContain('Kiunga platform');

    const tenant = suite.demo.tenants[0]!;
    const pppoePlan = tenant.plans.find((plan) => plan.kind === 'pppoe')!;
    await page.selectOption('#planId', pppoePlan.id);
    await page.fill('#username', 'browser-fundi-01');
    await page.fill('#fullName', 'Achieng Browser');
    await page.fill('#phone', '254712000111');
    await page.click('button:has-text("Create subscriber")');
    const created = page.locator('[data-created-subscriber="browser-fundi-01"]');
    await expect(created.textContent()).resolves.toContain(pppoePlan.name);
    const password = (await page.locator('[data-generated-password]').textContent())?.trim() ?? '';
    expect(password).toMatch(/^\S{12}$/);
    await page.screenshot({ path: '/tmp/kiunga-tech-created-360.png', fullPage: true });

    await page.goto('/tech/subscribers?q=Achieng');
    await expect(page.locator('tr[data-username="browser-fundi-01"]').textContent()).resolves.toContain(
      pppoePlan.name,
    );
  });

  it('a duplicate username is refused with a clear message; the ISP console is not for technicians', async () => {
    await signIn(page, technician.email, technician.password);
    const tenant = suite.demo.tenants[0]!;
    await page.selectOption('#planId', tenant.plans.find((plan) => plan.kind === 'pppoe')!.id);
    await page.fill('#username', tenant.subscribers[0]!.username);
    await page.click('button:has-text("Create subscriber")');
    expect(await flashText(page)).toContain('already has this username');
    await page.goto('/isp/plans');
    expect(new URL(page.url()).pathname).toBe('/tech');
  });
});
