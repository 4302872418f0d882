// Own passwords in real headless Chromium: a staff member whose password the ISP owner reset must
// choose a new one before any console page opens; a technician changes theirs from "My account".
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptNextDialog, flashText, signIn, useBrowserSuite } from './support/browser';
import { uniqueEmail } from './support/identity-client';

const suite = useBrowserSuite();
let page: Page;

const owner = () => suite.demo.tenants[0]!.owner;

beforeEach(async () => {
  ({ page } = await suite.openPhonePage());
});

/** Submits the form holding `selector`'s button and waits for the next page. */
async function submit(selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The owner adds an account with a chosen password on the staff page. */
async function createStaffAccount(kind: 'isp_staff' | 'technician', roleLabel: string, password: string) {
  const email = uniqueEmail(kind);
  await page.goto('/isp/staff');
  await page.fill('#email', email);
  await page.selectOption('#kind', kind);
  await page.selectOption('#roleId', { label: roleLabel });
  await page.fill('#password', password);
  await submit('button:has-text("Create account")');
  await expect(page.locator(`tr[data-account="${email}"]`).count()).resolves.toBe(1);
  return email;
}

/** Fills the /login form; answers the path the browser ends on and the flash shown there. */
async function trySignIn(email: string, password: string): Promise<{ path: string; flash: string }> {
  await page.goto('/login');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await submit('button[type=submit]');
  const path = new URL(page.url()).pathname;
  return { path, flash: path === '/login' ? await flashText(page) : '' };
}

async function fillPasswordForm(current: string, next: string, repeat = next): Promise<void> {
  await page.fill('#currentPassword', current);
  await page.fill('#newPassword', next);
  await page.fill('#repeatPassword', repeat);
  await submit('button:has-text("Change password")');
}

describe('a password reset by the ISP owner', () => {
  it('sends the staff member to "Choose your new password" until they change it, then to their console', async () => {
    await signIn(page, owner().email, owner().password);
    const email = await createStaffAccount('isp_staff', 'cashier', 'cashier first password');
    acceptNextDialog(page);
    await submit(`tr[data-account="${email}"] button:has-text("Reset password")`);
    const temporaryPassword = (await page.locator('[data-temporary-password]').textContent())?.trim() ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await page.context().clearCookies();

    await signIn(page, email, temporaryPassword);
    expect(new URL(page.url()).pathname).toBe('/password');
    await expect(page.locator('h1').textContent()).resolves.toBe('Choose your new password');
    await expect(page.locator('nav.tabs a').count()).resolves.toBe(0);
    await page.screenshot({ path: '/tmp/kiunga-password-change-360.png', fullPage: true });
    for (const path of ['/isp', '/isp/vouchers', '/isp/account', '/tech', '/platform']) {
      await page.goto(path);
      expect(new URL(page.url()).pathname, path).toBe('/password');
    }
    // The console's own API calls are held too.
    const apiStatus = await page.evaluate(async () => (await fetch('/api/v1/vouchers')).status);
    expect(apiStatus).toBe(403);

    await fillPasswordForm('not the temporary password', 'cashier own password');
    expect(new URL(page.url()).pathname).toBe('/password');
    expect(await flashText(page)).toContain('current password is wrong');
    await fillPasswordForm(temporaryPassword, 'cashier own password', 'cashier other password');
    expect(await flashText(page)).toContain('differ');
    await fillPasswordForm(temporaryPassword, temporaryPassword);
    expect(await flashText(page)).toContain('different');
    expect(new URL(page.url()).pathname).toBe('/password');

    await fillPasswordForm(temporaryPassword, 'cashier own password');
    expect(new URL(page.url()).pathname).toBe('/isp');
    expect(await flashText(page)).toContain('Password changed');
    const tabs = await page.locator('nav.tabs a').allTextContents();
    expect(tabs).toContain('Vouchers');
    await page.goto('/isp/vouchers');
    expect(new URL(page.url()).pathname).toBe('/isp/vouchers');
    await page.goto('/password');
    expect(new URL(page.url()).pathname).toBe('/isp');

    await page.context().clearCookies();
    const withTemporary = await trySignIn(email, temporaryPassword);
    expect(withTemporary.path).toBe('/login');
    expect(withTemporary.flash).toContain('Wrong email or password');
    expect((await trySignIn(email, 'cashier own password')).path).toBe('/isp');
  });
});

describe('technician panel: my account', () => {
  it('a technician opens "My account" from the panel and changes their password', async () => {
    await signIn(page, owner().email, owner().password);
    const email = await createStaffAccount('technician', 'technician', 'fundi first password');
    await page.context().clearCookies();

    await signIn(page, email, 'fundi first password');
    expect(new URL(page.url()).pathname).toBe('/tech');
    await submit('nav.tabs a:has-text("My account")');
    expect(new URL(page.url()).pathname).toBe('/tech/account');
    await expect(page.locator('h1').textContent()).resolves.toBe('My account');
    await expect(page.locator('[aria-current=page]').textContent()).resolves.toBe('My account');
    await expect(page.locator('body').textContent()).resolves.toContain(email);
    // Two-factor sign-in is offered to platform accounts and ISP owners only.
    await expect(page.locator('[data-totp]').count()).resolves.toBe(0);

    await fillPasswordForm('fundi first password', 'fundi new password', 'fundi typo password');
    expect(new URL(page.url()).pathname).toBe('/tech/account');
    expect(await flashText(page)).toContain('differ');

    await fillPasswordForm('fundi first password', 'fundi new password');
    expect(new URL(page.url()).pathname).toBe('/tech/account');
    expect(await flashText(page)).toContain('Password changed');
    // This session went on; signed out, only the new password opens the panel.
    await page.context().clearCookies();
    expect((await trySignIn(email, 'fundi first password')).path).toBe('/login');
    expect((await trySignIn(email, 'fundi new password')).path).toBe('/tech');
  });
});
