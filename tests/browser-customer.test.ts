/// <reference lib="dom" />
// A PPPoE subscriber in real headless Chromium on a 360 px phone: signs in at /account/<slug>, opens
// an invoice, pays the amount due with M-Pesa (the Daraja simulator over HTTP), and sees the
// payment on their balance; a cancelled M-Pesa request tells them what to do.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser';
import type { MpesaDemoTenant } from './support/kiunga-process';

let daraja: DarajaSimulator;

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    const { mpesa } = demo.tenants[0]! as MpesaDemoTenant;
    daraja = await startDarajaSimulator({
      port: 0,
      apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
      shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey }],
      callbackDelayMs: 300,
      // Every STK callback arrives three times: the account must be credited once.
      duplicateCallbacks: 2,
    });
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;
const subscriberNamed = (username: string) => tenant().subscribers.find((s) => s.username === username)!;

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${suite.kiunga.baseUrl}/account/${tenant().slug}`);
  expect(new URL(page.url()).pathname).toBe(`/account/${tenant().slug}/login`);
  await page.fill('input[name=login]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/account\/[^/]+$/), page.click('button[type=submit]')]);
}

async function hasNoSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Reloads the overview until the start-up billing run has invoiced the subscriber. */
async function waitForBalanceDue(page: Page): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const balance = (await page.textContent('#balance'))?.trim() ?? '';
    if (/^Ksh [1-9]/.test(balance)) return balance;
    await page.waitForTimeout(200);
    await page.reload();
  }
  throw new Error('the subscriber was never invoiced');
}

describe('customer self-service in a browser', () => {
  it('signs in, reads an invoice and pays the balance with M-Pesa', async () => {
    const wanjiku = subscriberNamed('wanjiku');
    const { page } = await suite.openPhonePage();
    await signIn(page, wanjiku.username, wanjiku.password);
    expect(await page.textContent('#account-number')).toBe(wanjiku.accountNumber);
    const due = await waitForBalanceDue(page);
    expect(await hasNoSidewaysScroll(page)).toBe(true);

    await page.click('nav >> text=Invoices');
    await Promise.all([page.waitForURL(/\/invoices\/inv_/), page.click('table a')]);
    expect(await page.textContent('article.invoice')).toContain(`Account number ${wanjiku.accountNumber}`);
    expect(await page.textContent('article.invoice')).toContain('Amount due');
    expect(await page.getAttribute('text=Download PDF', 'href')).toMatch(/\.pdf$/);
    expect(await hasNoSidewaysScroll(page)).toBe(true);

    await page.click('nav >> text=Pay');
    const amount = await page.inputValue('input[name=amount]');
    expect(Number(amount)).toBeGreaterThan(0);
    expect(`Ksh ${Number(amount).toLocaleString('en-KE')}`).toBe(due.replace(/\.\d\d$/, ''));
    await page.fill('input[name=phone]', '0700 000 000');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    // The page refreshes itself while M-Pesa is pending.
    await page.waitForSelector('p.ok#payment-status', { timeout: 20_000 });
    expect(await page.textContent('#payment-status')).toMatch(/Paid Ksh [\d,]+\.00\. M-Pesa receipt \w+/);

    await daraja.settled();
    await page.click('text=My account');
    expect(await page.textContent('#balance')).toBe('Ksh 0.00');
    await page.click('nav >> text=Statement');
    expect(await page.textContent('table')).toContain('Payment');
  });

  it('reactivates an expired subscriber who pays what is due', async () => {
    const mutua = subscriberNamed('mutua');
    const { page } = await suite.openPhonePage();
    await signIn(page, mutua.username, mutua.password);
    expect(await page.textContent('#status')).toContain('Expired');
    await waitForBalanceDue(page);
    await page.click('nav >> text=Pay');
    await page.fill('input[name=phone]', '0700 000 000');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    await page.waitForSelector('p.ok#payment-status', { timeout: 20_000 });
    await page.click('text=My account');
    // Settlement runs just after the callback: reload until the status follows.
    for (
      let attempt = 0;
      attempt < 50 && !(await page.textContent('#status'))?.includes('Active');
      attempt++
    ) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    expect(await page.textContent('#status')).toBe('Active');
    expect(await page.textContent('#balance')).toBe('Ksh 0.00');
  });

  it('tells the subscriber what to do when they cancel the M-Pesa request', async () => {
    const otieno = subscriberNamed('otieno');
    const { page } = await suite.openPhonePage();
    await signIn(page, otieno.username, otieno.password);
    await page.click('nav >> text=Pay');
    await page.fill('input[name=amount]', '100');
    await page.fill('input[name=phone]', '0700000001');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    await page.waitForSelector('p.error#payment-status', { timeout: 20_000 });
    expect(await page.textContent('#payment-status')).toContain('You cancelled the M-Pesa request');
    expect(await page.isVisible('text=Try again')).toBe(true);
  });
});
