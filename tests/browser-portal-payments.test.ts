// Real headless Chromium on the captive portal's money pages and the ISP console's M-Pesa page: a
// buyer who lost the code gets it back with the M-Pesa receipt (no JavaScript needed), a portal
// without M-Pesa sells nothing and says why, and an ISP switches its Daraja app's C2B version.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { describe, expect, it } from 'vitest';
import { flashText, signIn, useBrowserSuite } from './support/browser';
import { startDemoDaraja } from './support/demo-daraja';
import type { MpesaDemoTenant } from './support/kiunga-process';
import { paidPortalPurchase } from './support/portal-purchases';

let daraja: DarajaSimulator;

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    // Subscribed to C2B v2 only, as new Daraja apps are (the simulator's default).
    daraja = await startDemoDaraja(demo, { callbackDelayMs: 30 });
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  async afterStop() {
    await daraja?.stop();
  },
});

const first = () => suite.demo.tenants[0]! as MpesaDemoTenant;
const second = () => suite.demo.tenants[1]!;

function paidPurchase(phone: string): Promise<{ voucherCode: string; receipt: string }> {
  const plan = first().plans.find((item) => item.kind === 'hotspot')!;
  return paidPortalPurchase(daraja, suite.kiunga.baseUrl, { slug: first().slug, planId: plan.id, phone });
}

describe('captive portal money pages in a browser', () => {
  it('gives a lost voucher back for the number and the M-Pesa receipt, without JavaScript', async () => {
    const { voucherCode, receipt } = await paidPurchase('0712 300 400');
    const context = await suite.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    await page.goto(`${suite.kiunga.baseUrl}/portal/${first().slug}`);
    await page.fill('#recover input[name=phone]', '0712300400');
    await page.fill('#recover input[name=receipt]', 'WRONG12345');
    await Promise.all([page.waitForNavigation(), page.click('#recover button[type=submit]')]);
    expect(await page.textContent('body')).toContain('No paid voucher matches this number and M-Pesa code');
    expect(await page.textContent('body')).not.toContain(voucherCode);
    await page.goto(`${suite.kiunga.baseUrl}/portal/${first().slug}`);
    await page.fill('#recover input[name=phone]', '+254 712 300 400');
    await page.fill('#recover input[name=receipt]', receipt.toLowerCase());
    await Promise.all([page.waitForNavigation(), page.click('#recover button[type=submit]')]);
    expect(await page.textContent('body')).toContain(`Your voucher code is ${voucherCode}.`);
    await context.close();
  });

  it('shows vouchers only, with a line that payments are not set up, where the ISP has no M-Pesa', async () => {
    const { page } = await suite.openPhonePage();
    await page.goto(`/portal/${second().slug}`);
    expect(await page.locator('#buy').count()).toBe(0);
    expect(await page.locator('#recover').count()).toBe(0);
    expect(await page.textContent('#payments-unavailable')).toContain(
      'Payments are not set up on this network yet',
    );
    const voucher = second().vouchers[0]!;
    await page.fill('input[name=code]', voucher.code);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/voucher"] button')]);
    expect(await page.textContent('body')).toMatch(/Unused voucher/);
  });
});

describe('ISP console M-Pesa page', () => {
  it('switches the C2B API version and shows Daraja refusing a version the app lacks', async () => {
    const { page } = await suite.openPhonePage();
    await signIn(page, first().owner.email, first().owner.password);
    await page.goto('/isp/mpesa');
    expect(await page.getAttribute('#c2b-registration', 'data-status')).toBe('registered');
    await page.selectOption('#mpesaC2bApiVersion', 'v1');
    await Promise.all([page.waitForURL('**/isp/mpesa'), page.click('#mpesa-settings button[type=submit]')]);
    expect(await flashText(page)).toMatch(/not subscribed to the C2B v1 product/);
    expect(await flashText(page)).toMatch(/Set the C2B API version to v2/);
    expect(await page.getAttribute('#c2b-registration', 'data-error-code')).toBe(
      'mpesa_product_not_subscribed',
    );
    await page.selectOption('#mpesaC2bApiVersion', 'v2');
    await Promise.all([page.waitForURL('**/isp/mpesa'), page.click('#mpesa-settings button[type=submit]')]);
    expect(await flashText(page)).toContain('C2B URLs registered with Daraja');
    expect(await page.getAttribute('#c2b-registration', 'data-status')).toBe('registered');
    expect(daraja.state().c2bRegistrations.at(-1)?.apiVersion).toBe('v2');
  });
});
