// Console pages in real headless Chromium: API keys, the role editor, staff password reset, my account
// with two-factor sign-in, router edit/rotate/delete, plan burst and data cap, subscriber delete,
// session history, and the platform's create-ISP form and platform roles.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptNextDialog, chooseOwnPassword, flashText, signIn, useBrowserSuite } from './support/browser';
import { uniqueEmail } from './support/identity-client';
import { totpCode } from './support/totp';

const suite = useBrowserSuite();
let context: BrowserContext;
let page: Page;

const owner = () => suite.demo.tenants[0]!.owner;

beforeEach(async () => {
  ({ context, page } = await suite.openPhonePage());
});

/** Submits the form holding `selector`'s button and waits for the next page. */
async function submit(selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function apiStatusWithKey(key: string, path: string): Promise<number> {
  const response = await fetch(`${suite.kiunga.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return response.status;
}

describe('ISP console: API keys and roles', () => {
  it('creates an API key with chosen permissions, shows it once, and revoking it stops it working', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/api-keys');
    await page.fill('#keyName', 'Accounting export');
    await submit('button:has-text("Create key")');
    expect(await flashText(page)).toContain('permissions');
    await expect(page.locator('#keyName').inputValue()).resolves.toBe('Accounting export');

    await page.check('input[name=permissions][value="plans.read"]');
    await submit('button:has-text("Create key")');
    const key = (await page.locator('[data-api-key]').textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    await expect(page.locator('tr[data-key="Accounting export"]').textContent()).resolves.toContain(
      'plans.read',
    );
    expect(await apiStatusWithKey(key, '/api/v1/plans')).toBe(200);
    expect(await apiStatusWithKey(key, '/api/v1/nas')).toBe(403);

    await page.goto('/isp/api-keys');
    await expect(page.locator('[data-api-key]').count()).resolves.toBe(0);
    acceptNextDialog(page);
    await submit('tr[data-key="Accounting export"] button:has-text("Revoke")');
    expect(await flashText(page)).toContain('revoked');
    await expect(page.locator('tr[data-key="Accounting export"] .badge').textContent()).resolves.toBe(
      'revoked',
    );
    expect(await apiStatusWithKey(key, '/api/v1/plans')).toBe(401);
  });

  it('creates a custom role from the catalogue, assigns it to new staff who then see only its pages', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/roles');
    await expect(page.locator('tr[data-role] .badge:has-text("built-in")').count()).resolves.toBeGreaterThan(
      0,
    );
    await expect(page.locator('tr[data-role] a:has-text("Edit")').count()).resolves.toBe(0);

    await page.fill('#roleName', 'Voucher desk');
    for (const permission of ['plans.read', 'vouchers.read', 'vouchers.write'])
      await page.check(`input[name=permissions][value="${permission}"]`);
    await submit('button:has-text("Create role")');
    expect(await flashText(page)).toContain('Voucher desk');
    await expect(page.locator('tr[data-role="Voucher desk"]').textContent()).resolves.toContain(
      'vouchers.write',
    );

    await page.goto('/isp/staff');
    const email = uniqueEmail('voucher-desk');
    await page.fill('#email', email);
    await page.selectOption('#kind', 'isp_staff');
    await page.selectOption('#roleId', { label: 'Voucher desk' });
    await submit('button:has-text("Create account")');
    const temporaryPassword = (await page.locator('[data-temporary-password]').textContent())?.trim() ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);

    // The owner resets the password: a new temporary one, shown once.
    acceptNextDialog(page);
    await submit(`tr[data-account="${email}"] button:has-text("Reset password")`);
    const resetPassword = (await page.locator('[data-temporary-password]').textContent())?.trim() ?? '';
    expect(resetPassword).not.toBe(temporaryPassword);

    await context.clearCookies();
    await signIn(page, email, resetPassword);
    await chooseOwnPassword(page, resetPassword, 'voucher desk password');
    const tabs = await page.locator('nav.tabs a').allTextContents();
    expect(tabs).toContain('Vouchers');
    expect(tabs).not.toContain('Routers');
    expect(tabs).not.toContain('Staff');
    const response = await page.goto('/isp/nas');
    expect(response?.status()).toBe(403);
  });
});

describe('ISP console: my account', () => {
  it('enrols two-factor sign-in with a code; signing in then needs a code', async () => {
    const tenantOwner = suite.demo.tenants[1]!.owner;
    await signIn(page, tenantOwner.email, tenantOwner.password);
    await page.goto('/isp/account');
    await submit('button:has-text("Set up two-factor")');
    const secret = (await page.locator('[data-totp-secret]').textContent())?.trim() ?? '';
    await expect(page.locator('[data-otpauth-url]').getAttribute('href')).resolves.toContain(
      `secret=${secret}`,
    );
    await page.fill('#confirmPassword', tenantOwner.password);
    await page.fill('#confirmCode', '000000' === totpCode(secret, Date.now()) ? '111111' : '000000');
    await submit('button:has-text("Turn on two-factor")');
    expect(await flashText(page)).toMatch(/code/i);
    await expect(page.locator('[data-totp-secret]').textContent()).resolves.toBe(secret);

    // The code alone is not enough: the current password is asked too.
    await page.fill('#confirmPassword', 'not my password');
    await page.fill('#confirmCode', totpCode(secret, Date.now()));
    await submit('button:has-text("Turn on two-factor")');
    expect(await flashText(page)).toContain('current password is wrong');
    await expect(page.locator('[data-totp]').getAttribute('data-totp')).resolves.toBe('off');

    await page.fill('#confirmPassword', tenantOwner.password);
    await page.fill('#confirmCode', totpCode(secret, Date.now()));
    await submit('button:has-text("Turn on two-factor")');
    expect(await flashText(page)).toContain('on');
    await expect(page.locator('[data-totp]').getAttribute('data-totp')).resolves.toBe('on');

    await context.clearCookies();
    await page.goto('/login');
    await page.fill('input[name=email]', tenantOwner.email);
    await page.fill('input[name=password]', tenantOwner.password);
    await submit('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await flashText(page)).toMatch(/code/i);

    await page.fill('input[name=password]', tenantOwner.password);
    // The next step's code: the confirming code's step is spent (no replay).
    await page.fill('input[name=totp]', totpCode(secret, Date.now() + 30_000));
    await submit('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/isp');
  });

  it('changes the password with the current one; a wrong current password is refused', async () => {
    const email = uniqueEmail('self-service');
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/staff');
    await page.fill('#email', email);
    await page.selectOption('#kind', 'isp_staff');
    await page.fill('#password', 'first password 1');
    await submit('button:has-text("Create account")');
    await context.clearCookies();

    await signIn(page, email, 'first password 1');
    await page.goto('/isp/account');
    await expect(page.locator('[data-totp]').count()).resolves.toBe(0);
    await page.fill('#currentPassword', 'not my password');
    await page.fill('#newPassword', 'second password 2');
    await page.fill('#repeatPassword', 'second password 2');
    await submit('button:has-text("Change password")');
    expect(await flashText(page)).toContain('current password is wrong');

    await page.fill('#currentPassword', 'first password 1');
    await page.fill('#newPassword', 'second password 2');
    await page.fill('#repeatPassword', 'second password 2');
    await submit('button:has-text("Change password")');
    // This session goes on; every other one of the account ends.
    expect(new URL(page.url()).pathname).toBe('/isp/account');
    expect(await flashText(page)).toContain('Password changed');
    await page.context().clearCookies();
    await signIn(page, email, 'second password 2');
    expect(new URL(page.url()).pathname).toBe('/isp');
  });
});

describe('ISP console: routers, plans, subscribers, history', () => {
  it('edits a router, rotates its secret (shown once) and deletes it after confirming', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/nas');
    await page.fill('#name', 'Market hAP');
    await page.fill('#ipAddress', '10.77.0.9');
    await submit('button:has-text("Add router")');
    const firstSecret = (await page.locator('[data-nas-secret]').textContent())?.trim() ?? '';

    await page.goto('/isp/nas');
    await submit('tr:has-text("Market hAP") a:has-text("Edit")');
    await page.fill('#name', 'Market hAP ax');
    await page.fill('#coaPort', '3800');
    await page.uncheck('input[name=requireMessageAuthenticator]');
    await submit('button:has-text("Save router")');
    expect(await flashText(page)).toContain('Market hAP ax');
    const row = page.locator('tr:has-text("Market hAP ax")');
    await expect(row.textContent()).resolves.toContain('3800');
    await expect(row.textContent()).resolves.toContain('optional');

    await submit('tr:has-text("Market hAP ax") a:has-text("Edit")');
    acceptNextDialog(page);
    await submit('button:has-text("Rotate secret")');
    const secret = (await page.locator('[data-nas-secret]').textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(secret).not.toBe(firstSecret);
    await expect(page.locator('[data-routeros-script]').textContent()).resolves.toContain(secret);

    await page.goto('/isp/nas');
    await submit('tr:has-text("Market hAP ax") a:has-text("Edit")');
    acceptNextDialog(page);
    await submit('button:has-text("Delete router")');
    expect(await flashText(page)).toContain('deleted');
    await expect(page.locator('tr:has-text("Market hAP ax")').count()).resolves.toBe(0);
  });

  it('keeps typed plan values after a validation error and saves burst and data cap', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/plans');
    await page.fill('#name', 'Home 10 burst');
    await page.selectOption('#kind', 'pppoe');
    await page.fill('#price', '2500');
    await page.fill('#rateDownKbps', '10240');
    await page.fill('#rateUpKbps', '5120');
    await page.fill('#billingCycleMonths', '1');
    await page.fill('#dataCapGigabytes', '50');
    await page.click('summary:has-text("Burst")');
    await page.fill('#burstDownKbps', '20480');
    await submit('button:has-text("Create plan")');
    expect(await flashText(page)).toMatch(/burst/i);
    await expect(page.locator('#name').inputValue()).resolves.toBe('Home 10 burst');
    await expect(page.locator('#kind').inputValue()).resolves.toBe('pppoe');
    await expect(page.locator('#burstDownKbps').inputValue()).resolves.toBe('20480');

    await page.fill('#burstUpKbps', '10240');
    await page.fill('#burstThresholdDownKbps', '8192');
    await page.fill('#burstThresholdUpKbps', '4096');
    await page.fill('#burstTimeSeconds', '16');
    await submit('button:has-text("Create plan")');
    expect(await flashText(page)).toContain('Home 10 burst');
    await expect(page.locator('tr:has-text("Home 10 burst")').textContent()).resolves.toContain(
      '5120k/10240k 10240k/20480k',
    );
    await submit('tr:has-text("Home 10 burst") a:has-text("Edit")');
    await expect(page.locator('#dataCapGigabytes').inputValue()).resolves.toBe('50');
  });

  it('deletes a subscriber after confirming and shows the session history page', async () => {
    const subscriber = suite.demo.tenants[0]!.subscribers[0]!;
    await signIn(page, owner().email, owner().password);
    // A taken username is refused; what was typed stays in the form.
    await page.goto('/isp/subscribers/new');
    await page.fill('#username', subscriber.username);
    await page.fill('#fullName', 'Typed Name');
    await submit('form[action="/isp/subscribers"] button[type=submit]');
    expect(await page.locator('.flash.error').count()).toBe(1);
    await expect(page.locator('#fullName').inputValue()).resolves.toBe('Typed Name');

    await page.goto(`/isp/subscribers/${subscriber.id}`);
    acceptNextDialog(page);
    await submit('button:has-text("Delete subscriber")');
    expect(new URL(page.url()).pathname).toBe('/isp/subscribers');
    expect(await flashText(page)).toContain(`${subscriber.username} deleted`);
    await page.goto(`/isp/subscribers?q=${encodeURIComponent(subscriber.username)}`);
    await expect(page.locator(`text=${subscriber.accountNumber}`).count()).resolves.toBe(0);

    await page.goto('/isp/sessions');
    await submit('a:has-text("Session history")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Session history');
  });
});

describe('platform console', () => {
  it('creates an ISP with its owner, whose temporary password signs in to the new ISP console', async () => {
    await signIn(page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    await page.fill('#tenantName', 'Ridge Net');
    await page.fill('#slug', 'Bad Slug!');
    const ownerEmail = uniqueEmail('ridge-owner');
    await page.fill('#ownerEmail', ownerEmail);
    await submit('button:has-text("Create ISP")');
    expect(await flashText(page)).toContain('slug');
    await expect(page.locator('#tenantName').inputValue()).resolves.toBe('Ridge Net');

    await page.fill('#slug', `ridge-${process.pid}`);
    await submit('button:has-text("Create ISP")');
    await expect(page.locator(`[data-created-tenant="ridge-${process.pid}"]`).count()).resolves.toBe(1);
    const temporaryPassword = (await page.locator('[data-temporary-password]').textContent())?.trim() ?? '';

    // Reset the owner's password from the ISP's page: the new one replaces the first.
    await submit(`[data-created-tenant] a:has-text("Ridge Net")`);
    acceptNextDialog(page);
    await submit('button:has-text("Reset owner\'s password")');
    const resetPassword = (
      await page.locator('[data-owner-reset] [data-temporary-password]').textContent()
    )?.trim();
    expect(resetPassword).toBeTruthy();
    expect(resetPassword).not.toBe(temporaryPassword);

    await context.clearCookies();
    await signIn(page, ownerEmail, resetPassword ?? '');
    await chooseOwnPassword(page, resetPassword ?? '', 'ridge owner password');
    expect(new URL(page.url()).pathname).toBe('/isp');
    await expect(page.locator('[data-brand-name]').textContent()).resolves.toBe('Ridge Net');
  });

  it('edits platform roles: a custom sub-admin role is created; built-in ones are read-only', async () => {
    await signIn(page, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    await page.goto('/platform/roles');
    await expect(page.locator('tr[data-role] .badge:has-text("built-in")').count()).resolves.toBeGreaterThan(
      0,
    );
    await page.fill('#roleName', 'Tenant viewer');
    await page.check('input[name=permissions][value="tenants.read"]');
    await submit('button:has-text("Create role")');
    expect(await flashText(page)).toContain('Tenant viewer');
    await submit('tr[data-role="Tenant viewer"] a:has-text("Edit")');
    await page.check('input[name=permissions][value="platform_audit.read"]');
    await submit('button:has-text("Save role")');
    await expect(page.locator('tr[data-role="Tenant viewer"]').textContent()).resolves.toContain(
      'platform_audit.read',
    );
  });
});
