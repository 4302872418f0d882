// Billing pages in real headless Chromium: the ISP owner's invoices (printable HTML, newest first), a counter
// payment on a subscriber, billing settings, every billing page on a 360 and a 390 px phone, and the Platform
// account page: no overdue banner on a fresh demo, the banner once a month really goes unpaid, and the
// platform's finance page crediting that ISP by its bank reference.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { flashText, newPhoneContext, signIn, useBrowserSuite } from './support/browser';
import { clockStartEnvironment } from './support/kiunga-process';

const DAY_MS = 86_400_000;
/** The demo is seeded at 10:00 on 14 March 2030 in Nairobi and started an hour later, whatever today is. */
const SEEDED_AT_MS = Date.parse('2030-03-14T10:00:00+03:00');
const STARTED_AT_MS = SEEDED_AT_MS + DAY_MS / 24;
/** 16 April: the demo ISP's second Kiunga month fell due on the 14th and is unpaid, within the grace week. */
const IN_ARREARS_AT_MS = SEEDED_AT_MS + 33 * DAY_MS;
/** Widths with no sideways scroll: a common small Android phone and a current iPhone. */
const PHONE_WIDTHS = [360, 390];

const suite = useBrowserSuite({
  seedEnvironment: clockStartEnvironment(SEEDED_AT_MS),
  environment: () => clockStartEnvironment(STARTED_AT_MS),
});
let ownerContext: BrowserContext;
let ownerPage: Page;

const tenant = () => suite.demo.tenants[0]!;

/** One owner session, shared by the tests in this file (signed in again after a restart). */
async function signInOwner(): Promise<void> {
  await ownerContext?.close();
  ownerContext = await newPhoneContext(suite.browser, suite.kiunga.baseUrl);
  ownerPage = await ownerContext.newPage();
  await signIn(ownerPage, tenant().owner.email, tenant().owner.password);
}

beforeAll(signInOwner);

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The subscriber's balance in cents as the API reports it (read with the page's own session). */
async function balanceCentsOf(page: Page, subscriberId: string): Promise<number> {
  const response = await page.request.get(`/api/v1/subscribers/${subscriberId}/statement`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { balanceCents: number }).balanceCents;
}

/** Waits for the platform billing run at start to have charged the unpaid month (it runs after listening). */
async function waitForPlatformArrears(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const status = (await (await page.request.get('/api/v1/platform-billing')).json()) as {
      oldestUnpaidDueAt: number | null;
    };
    if (status.oldestUnpaidDueAt !== null) return;
    await page.waitForTimeout(200);
  }
  throw new Error('the platform billing run never charged the unpaid month');
}

describe('ISP console: billing', () => {
  it('lists the invoices the start-up billing run issued and opens one as printable HTML', async () => {
    await ownerPage.goto('/isp/billing');
    await expect(ownerPage.locator('nav.tabs a[aria-current]').textContent()).resolves.toBe('Billing');
    const rows = ownerPage.locator('tr[data-invoice]');
    expect(await rows.count()).toBeGreaterThan(0);
    // Newest first by issue date, then number: one start-up run issued them all, so by number, as the API.
    const shown = await rows.evaluateAll((cells) => cells.map((row) => row.getAttribute('data-invoice')));
    const listed = (await (await ownerPage.request.get('/api/v1/invoices?limit=25')).json()) as {
      items: Array<{ number: string }>;
    };
    expect(shown).toEqual(listed.items.map((invoice) => invoice.number));
    expect(shown).toEqual([
      'INV-2030-000005',
      'INV-2030-000004',
      'INV-2030-000003',
      'INV-2030-000002',
      'INV-2030-000001',
    ]);
    const number = (await rows.first().getAttribute('data-invoice')) ?? '';
    const href = (await rows.first().locator('a:has-text("HTML")').getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/invoices\/[^/]+\.html$/);
    expect(await rows.first().locator('a:has-text("PDF")').getAttribute('href')).toBe(
      href.replace(/\.html$/, '.pdf'),
    );

    const invoicePage = await ownerContext.newPage();
    await invoicePage.goto(href);
    await expect(invoicePage.locator('body').textContent()).resolves.toContain(number);
    await invoicePage.close();

    await ownerPage.goto('/isp/billing?status=void');
    await expect(ownerPage.locator('.empty').textContent()).resolves.toContain('No invoice matches');
  });

  it('records a cash payment in shillings on a subscriber and the balance drops by exactly that', async () => {
    const subscriber = tenant().subscribers[0]!;
    const before = await balanceCentsOf(ownerPage, subscriber.id);
    await ownerPage.goto(`/isp/subscribers/${subscriber.id}`);
    await submit(ownerPage, 'a:has-text("Balance, invoices and payments")');
    expect(new URL(ownerPage.url()).pathname).toBe(`/isp/billing/subscribers/${subscriber.id}`);
    const shownBefore = await ownerPage.locator('[data-balance]').textContent();
    const key = await ownerPage.locator('form[action$="/payments"] input[name=idempotencyKey]').inputValue();
    expect(key.length).toBeGreaterThanOrEqual(8);

    await ownerPage.fill('#amount', '1,234.50');
    await ownerPage.selectOption('#method', 'cash');
    await submit(ownerPage, 'button:has-text("Record payment")');
    expect(await flashText(ownerPage)).toContain('Payment of Ksh 1,234.50 recorded');
    expect(await balanceCentsOf(ownerPage, subscriber.id)).toBe(before - 123_450);
    await expect(ownerPage.locator('[data-balance]').textContent()).resolves.not.toBe(shownBefore);
    await expect(ownerPage.locator('tr[data-entry-kind]').first().textContent()).resolves.toContain(
      '1,234.5',
    );
    // A fresh form, a fresh idempotency key.
    expect(
      await ownerPage.locator('form[action$="/payments"] input[name=idempotencyKey]').inputValue(),
    ).not.toBe(key);

    await ownerPage.fill('#amount', '12.345');
    await submit(ownerPage, 'button:has-text("Record payment")');
    expect(await flashText(ownerPage)).toContain('Amount');
    expect(await balanceCentsOf(ownerPage, subscriber.id)).toBe(before - 123_450);
  });

  it('voids an invoice issued in error and refunds the credit it leaves', async () => {
    const subscriber = tenant().subscribers[0]!;
    await ownerPage.goto(`/isp/billing/subscribers/${subscriber.id}`);
    const chosen = await ownerPage.locator('#invoiceId option').first().textContent();
    const number = chosen?.split(' · ')[0] ?? '';
    expect(number).not.toBe('');
    await ownerPage.fill('#reason', 'Billed before the line was installed');
    await submit(ownerPage, 'button:has-text("Void invoice")');
    expect(await flashText(ownerPage)).toContain(`Invoice ${number} voided`);
    await expect(
      ownerPage
        .locator(`tr[data-invoice="${number}"] .badge, tr[data-invoice="${number}"]`)
        .first()
        .textContent(),
    ).resolves.toMatch(/void/i);

    const statement = (await (
      await ownerPage.request.get(`/api/v1/subscribers/${subscriber.id}/statement`)
    ).json()) as { creditBalanceCents: number; balanceCents: number };
    expect(statement.creditBalanceCents).toBeGreaterThanOrEqual(123_450);
    await ownerPage.fill('#refundAmount', '100');
    await ownerPage.selectOption('#refundMethod', 'mpesa');
    await ownerPage.fill('#refundReference', 'QKR12345');
    await submit(ownerPage, 'button:has-text("Record refund")');
    expect(await flashText(ownerPage)).toBe('Refund of Ksh 100 recorded.');
    expect(await balanceCentsOf(ownerPage, subscriber.id)).toBe(statement.balanceCents + 10_000);
    await expect(
      ownerPage.locator('tr[data-entry-kind]').first().getAttribute('data-entry-kind'),
    ).resolves.toBe('refund');
  });

  it('edits billing settings: cycle, due days, whole shillings and a new dunning step', async () => {
    await ownerPage.goto('/isp/billing/settings');
    expect(await ownerPage.isChecked('input[name=wholeShillings]')).toBe(true);
    await ownerPage.uncheck('input[name=wholeShillings]');
    await ownerPage.selectOption('#cycleAnchorDay', '5');
    await ownerPage.fill('#dueDays', '10');
    const blankRow = await ownerPage
      .locator('input[name^=stepDays]')
      .evaluateAll((inputs) => (inputs as HTMLInputElement[]).findIndex((input) => input.value === ''));
    expect(blankRow).toBeGreaterThanOrEqual(0);
    await ownerPage.fill(`input[name=stepDays${blankRow}]`, '14');
    await ownerPage.selectOption(`select[name=stepAction${blankRow}]`, 'suspend');
    await submit(ownerPage, 'button:has-text("Save settings")');
    expect(await flashText(ownerPage)).toBe('Billing settings saved.');
    await expect(ownerPage.locator('#dueDays').inputValue()).resolves.toBe('10');
    await expect(ownerPage.locator('#cycleAnchorDay').inputValue()).resolves.toBe('5');
    expect(await ownerPage.isChecked('input[name=wholeShillings]')).toBe(false);

    const settings = (await (await ownerPage.request.get('/api/v1/billing/settings')).json()) as {
      dueDays: number;
      cycle: { anchorDay: number | string };
      dunningSteps: Array<{ daysFromDue: number; action: string }>;
      wholeShillings: boolean;
    };
    expect(settings.dueDays).toBe(10);
    expect(settings.cycle.anchorDay).toBe(5);
    expect(settings.dunningSteps.at(-1)).toEqual({ daysFromDue: 14, action: 'suspend' });
    expect(settings.wholeShillings).toBe(false);

    await ownerPage.check('input[name=wholeShillings]');
    await submit(ownerPage, 'button:has-text("Save settings")');
    expect(await ownerPage.isChecked('input[name=wholeShillings]')).toBe(true);
  });

  it('fits every billing page on a 360 and a 390 px phone without sideways scrolling', async () => {
    const subscriber = tenant().subscribers[0]!;
    const paths = [
      '/isp/billing',
      '/isp/billing/payments',
      '/isp/billing/settings',
      `/isp/billing/subscribers/${subscriber.id}`,
      '/isp/platform-account',
    ];
    for (const width of PHONE_WIDTHS) {
      await ownerPage.setViewportSize({ width, height: 800 });
      for (const path of paths) {
        await ownerPage.goto(path);
        const widths = await ownerPage.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          window: window.innerWidth,
        }));
        expect(widths.page, `${path} at ${width} px`).toBeLessThanOrEqual(widths.window);
      }
    }
  });
});

describe('Platform account and platform billing', () => {
  it('shows a fresh demo ISP no overdue banner: its Kiunga subscription is paid for this month', async () => {
    await ownerPage.goto('/isp/billing');
    await expect(ownerPage.locator('[data-platform-banner]').count()).resolves.toBe(0);
    await ownerPage.goto('/isp/platform-account');
    await expect(
      ownerPage.locator('[data-platform-state]').getAttribute('data-platform-state'),
    ).resolves.toBe('active');
    await expect(ownerPage.locator('[data-platform-balance]').textContent()).resolves.toBe('Ksh 0');
    await expect(ownerPage.locator('.stat.owes').count()).resolves.toBe(0);
  });

  it("shows the owner's bank reference and overdue banner; paying by that reference clears both", async () => {
    // A month on, the second Tier 2 month (due 14 April) is unpaid: the ISP is in grace.
    await suite.restart(clockStartEnvironment(IN_ARREARS_AT_MS));
    await signInOwner();
    await waitForPlatformArrears(ownerPage);
    await ownerPage.goto('/isp/billing');
    await expect(
      ownerPage.locator('[data-platform-banner]').getAttribute('data-platform-banner'),
    ).resolves.toBe('grace');
    await expect(ownerPage.locator('.banner').textContent()).resolves.toContain('clients keep their service');
    await ownerPage.click('.banner a:has-text("Pay now")');
    await ownerPage.waitForURL('**/isp/platform-account');
    const reference = ((await ownerPage.locator('[data-bank-reference]').textContent()) ?? '').trim();
    expect(reference).toMatch(/^KIU-[A-Z0-9]{6}$/);
    await expect(
      ownerPage.locator('[data-platform-state]').getAttribute('data-platform-state'),
    ).resolves.toBe('grace');
    const owed = ((await ownerPage.locator('[data-platform-balance]').textContent()) ?? '').replace(
      'Ksh ',
      '',
    );
    expect(owed).toBe('1,500');

    const { page: admin } = await suite.openPhonePage();
    await signIn(admin, suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    await admin.goto('/platform/billing');
    const row = admin.locator(`tr[data-tenant="${tenant().slug}"]`);
    await expect(row.locator('td.mono').textContent()).resolves.toBe(reference);
    await expect(row.locator('.badge').textContent()).resolves.toBe('grace');
    await expect(row.locator('[data-balance]').textContent()).resolves.toBe('Ksh 1,500');

    await admin.fill('#reference', reference.toLowerCase());
    await admin.fill('#amount', owed);
    await admin.fill('#bankTransactionId', `FT${Date.now()}`);
    await submit(admin, 'button:has-text("Record bank payment")');
    expect(await flashText(admin)).toBe('Bank payment of Ksh 1,500 credited.');
    await expect(row.locator('[data-balance]').textContent()).resolves.toBe('Ksh 0');
    await expect(row.locator('.badge').textContent()).resolves.toBe('active');

    // A reference nobody has waits unmatched until finance matches it (here: paying ahead).
    await admin.fill('#reference', 'KIU-NOPE00');
    await admin.fill('#amount', '300');
    await admin.fill('#bankTransactionId', `FT-unknown-${Date.now()}`);
    await submit(admin, 'button:has-text("Record bank payment")');
    expect(await flashText(admin)).toContain('match it below');
    const unmatched = admin.locator('tr[data-payment]');
    await expect(unmatched.count()).resolves.toBe(1);
    await unmatched.first().locator('select[name=tenantId]').selectOption(tenant().id);
    await submit(admin, 'tr[data-payment] button:has-text("Match")');
    expect(await flashText(admin)).toBe('Payment of Ksh 300 matched.');
    await expect(admin.locator('tr[data-payment]').count()).resolves.toBe(0);
    await expect(row.locator('[data-balance]').textContent()).resolves.toBe('Ksh -300');

    await ownerPage.goto('/isp/platform-account');
    await expect(
      ownerPage.locator('[data-platform-state]').getAttribute('data-platform-state'),
    ).resolves.toBe('active');
    await expect(ownerPage.locator('[data-platform-balance]').textContent()).resolves.toBe('Ksh 300');
    await expect(ownerPage.locator('.stat.owes').count()).resolves.toBe(0);
    await expect(ownerPage.locator('[data-platform-banner]').count()).resolves.toBe(0);
  });
});
