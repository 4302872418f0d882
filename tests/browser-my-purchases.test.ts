// "My purchases" in real headless Chromium against ./kiunga start, on a 360 px phone with JavaScript off
// (issue 15): a hotspot client buys two packages by M-Pesa (the Daraja simulator), follows the portal's
// link, proves the number with the receipt of one of them and sees both vouchers with their time left, in
// Swahili too; a wrong receipt says so and shows nothing.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser';
import { startDemoDaraja } from './support/demo-daraja';
import type { MpesaDemoTenant } from './support/kiunga-process';
import { paidPortalPurchase } from './support/portal-purchases';

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

const isp = () => suite.demo.tenants[0]! as MpesaDemoTenant;

/** A portal purchase by STK, paid; its voucher code and M-Pesa receipt. */
function paidPurchase(phone: string, planName: string): Promise<{ voucherCode: string; receipt: string }> {
  const plan = isp().plans.find((item) => item.kind === 'hotspot' && item.name === planName)!;
  return paidPortalPurchase(daraja, suite.kiunga.baseUrl, { slug: isp().slug, planId: plan.id, phone });
}

describe('my purchases on the captive portal in a browser', () => {
  it('lists the vouchers of a number proven by an M-Pesa receipt, without JavaScript, in English and Swahili', async () => {
    const hotspotPlans = isp().plans.filter((plan) => plan.kind === 'hotspot');
    const first = await paidPurchase('0712 400 500', hotspotPlans[0]!.name);
    const second = await paidPurchase('0712 400 500', hotspotPlans[1]!.name);
    const someoneElses = await paidPurchase('0712 400 501', hotspotPlans[0]!.name);

    const context = await suite.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    await page.goto(`${suite.kiunga.baseUrl}/portal/${isp().slug}`);
    await Promise.all([page.waitForNavigation(), page.click('[data-my-purchases-link] a')]);
    expect(new URL(page.url()).pathname).toBe(`/portal/${isp().slug}/purchases`);

    await page.fill('#purchases-receipt input[name=phone]', '0712400500');
    await page.fill('#purchases-receipt input[name=receipt]', 'WRONG12345');
    await Promise.all([page.waitForNavigation(), page.click('#purchases-receipt button[type=submit]')]);
    expect(await page.textContent('p.error')).toBe(
      'That number and code do not match a purchase here. Check both and try again.',
    );
    expect(await page.locator('[data-purchase]').count()).toBe(0);

    await page.fill('#purchases-receipt input[name=receipt]', second.receipt);
    await Promise.all([page.waitForNavigation(), page.click('#purchases-receipt button[type=submit]')]);
    const rows = page.locator('[data-purchase]');
    await expect(rows.count()).resolves.toBe(2);
    const listed = await page.textContent('[data-my-purchases-list]');
    expect(listed).toContain('Vouchers bought with 0712400500');
    for (const voucher of [first, second]) expect(listed).toContain(voucher.voucherCode);
    expect(listed).not.toContain(someoneElses.voucherCode);
    // Bought, not yet used: the whole package's time is left.
    expect(await rows.nth(0).getAttribute('data-state')).toBe('unused');
    expect(await rows.nth(0).textContent()).toContain('Not used yet');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.goto(`${suite.kiunga.baseUrl}/portal/${isp().slug}/purchases?lang=sw`);
    await page.fill('#purchases-receipt input[name=phone]', '0712400500');
    await page.fill('#purchases-receipt input[name=receipt]', first.receipt);
    await Promise.all([page.waitForNavigation(), page.click('#purchases-receipt button[type=submit]')]);
    expect(await page.textContent('[data-my-purchases-list]')).toContain(
      'Vocha zilizonunuliwa kwa 0712400500',
    );
    expect(await page.textContent('[data-my-purchases-list]')).toContain('Bado haijatumika');
    await context.close();
  });
});
