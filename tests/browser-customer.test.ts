/// <reference lib="dom" />
// A PPPoE subscriber in real headless Chromium on a 360 px phone: signs in at /account/<slug>, opens
// an invoice, pays exactly the amount due with M-Pesa (the Daraja simulator over HTTP), and sees the
// payment on their balance; a cancelled M-Pesa request tells them what to do; an ISP that invoices
// cents gets a pay form that says how M-Pesa's whole shillings are handled.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { useBrowserSuite } from './support/browser';
import { clockStartEnvironment, type MpesaDemoTenant } from './support/kiunga-process';

const HOUR_MS = 3_600_000;
/**
 * The demo is seeded at 10:00 on 14 March 2030 in Nairobi and started an hour later, whatever today
 * is. Its subscribers' first invoices cover 18 of March's 31 days: Ksh 1,500 × 18/31 = Ksh 870.97,
 * not whole shillings, so the whole-shilling rule shows.
 */
const SEEDED_AT_MS = Date.parse('2030-03-14T10:00:00+03:00');
const STARTED_AT_MS = SEEDED_AT_MS + HOUR_MS;
/** Home 5 Mbps for day 14 to 31 of March: Ksh 1,500 less the first 13 days' share floored in shillings (629). */
const HOME5_MARCH_DUE = 'Ksh 871.00';
/** The same days to the cent, with whole shillings off: Ksh 1,500 − 629.03. */
const HOME5_MARCH_DUE_IN_CENTS = 'Ksh 870.97';

let daraja: DarajaSimulator;
/** ./kiunga's clock as this process sees it: set just before each start, so Daraja checks timestamps on it. */
let serverClock = { startMs: STARTED_AT_MS, realStartMs: Date.now() };
const serverNow = () => serverClock.startMs + (Date.now() - serverClock.realStartMs);

const suite = useBrowserSuite({
  seedEnvironment: clockStartEnvironment(SEEDED_AT_MS),
  async beforeStart(_dataDir, demo) {
    const { mpesa } = demo.tenants[0]! as MpesaDemoTenant;
    daraja = await startDarajaSimulator({
      port: 0,
      apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
      shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey }],
      callbackDelayMs: 300,
      // Every STK callback arrives three times: the account must be credited once.
      duplicateCallbacks: 2,
      now: serverNow,
    });
    serverClock = { startMs: STARTED_AT_MS, realStartMs: Date.now() };
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl, ...clockStartEnvironment(STARTED_AT_MS) }),
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
    expect(await waitForBalanceDue(page)).toBe(HOME5_MARCH_DUE);
    expect(await hasNoSidewaysScroll(page)).toBe(true);

    await page.click('nav >> text=Invoices');
    await Promise.all([page.waitForURL(/\/invoices\/inv_/), page.click('table a')]);
    expect(await page.textContent('article.invoice')).toContain(`Account number ${wanjiku.accountNumber}`);
    expect(await page.textContent('article.invoice')).toContain('Amount due');
    expect(await page.getAttribute('text=Download PDF', 'href')).toMatch(/\.pdf$/);
    expect(await hasNoSidewaysScroll(page)).toBe(true);

    // Whole-shilling invoices (the default): the form asks for exactly what is due, nothing rounded.
    await page.click('nav >> text=Pay');
    expect(await page.textContent('#amount-due')).toBe(HOME5_MARCH_DUE);
    expect(await page.inputValue('input[name=amount]')).toBe('871');
    expect(await page.locator('#whole-shillings').count()).toBe(0);
    await page.fill('input[name=phone]', '0700 000 000');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    // The page refreshes itself while M-Pesa is pending.
    await page.waitForSelector('p.ok#payment-status', { timeout: 20_000 });
    expect(await page.textContent('#payment-status')).toMatch(/^Paid Ksh 871\.00\. M-Pesa receipt \w+/);

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
    expect(await waitForBalanceDue(page)).toBe(HOME5_MARCH_DUE);
    await page.click('nav >> text=Pay');
    expect(await page.inputValue('input[name=amount]')).toBe('871');
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

  it('bills cents when the ISP turns whole shillings off, and the pay form says how M-Pesa rounds', async () => {
    const owner = await login(suite.kiunga.baseUrl, tenant().owner);
    const settings = await owner.patch('/api/v1/billing/settings', { wholeShillings: false });
    expect(settings.body).toMatchObject({ wholeShillings: false });
    const home5 = tenant().plans.find((plan) => plan.name === 'Home 5 Mbps')!;
    const nyambura = { username: 'nyambura', password: 'nyambura-pass-1' };
    const created = await owner.post('/api/v1/subscribers', {
      ...nyambura,
      planId: home5.id,
      fullName: 'Nyambura Wambui',
      phone: '0712000555',
    });
    expect(created.status).toBe(201);
    // The next billing run (here: the one at start, an hour later the same day) issues her March invoice.
    serverClock = { startMs: STARTED_AT_MS + HOUR_MS, realStartMs: Date.now() };
    await suite.restart(clockStartEnvironment(STARTED_AT_MS + HOUR_MS));

    const { page } = await suite.openPhonePage();
    await signIn(page, nyambura.username, nyambura.password);
    expect(await waitForBalanceDue(page)).toBe(HOME5_MARCH_DUE_IN_CENTS);
    await page.click('nav >> text=Pay');
    expect(await page.textContent('#amount-due')).toBe(HOME5_MARCH_DUE_IN_CENTS);
    expect(await page.inputValue('input[name=amount]')).toBe('871');
    const note = await page.textContent('#whole-shillings');
    expect(note).toContain('M-Pesa takes whole shillings only');
    expect(note).toContain('Ksh 0.03 stays on your account as credit');
    await page.fill('input[name=phone]', '0700 000 000');
    await Promise.all([page.waitForURL(/\/payments\/pur_/), page.click('#pay button[type=submit]')]);
    await page.waitForSelector('p.ok#payment-status', { timeout: 20_000 });
    await daraja.settled();
    await page.click('text=My account');
    expect(await page.textContent('#balance')).toBe('Ksh 0.03 credit');
  });
});
