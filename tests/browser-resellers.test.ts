// Real headless Chromium, phone-sized: the ISP creates a reseller on its Resellers page; the reseller
// signs in at /login, lands on /reseller, tops up its wallet by M-Pesa STK (the Daraja simulator), buys
// voucher stock, and a client logs in over RADIUS with one of the codes; a portal purchase through the
// reseller's link then shows up as its commission.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';
import { describe, expect, it } from 'vitest';
import { flashText, signIn, useBrowserSuite } from './support/browser';
import { startDemoDaraja } from './support/demo-daraja';
import type { MpesaDemoTenant } from './support/kiunga-process';
import { settledPurchase } from './support/portal-purchases';
import { radclient } from './support/radclient';

let daraja: DarajaSimulator;

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    daraja = await startDemoDaraja(demo, { callbackDelayMs: 30 });
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;
const RESELLER = { email: 'kiosk@agents.test', password: 'kiosk-password-1' };

describe('resellers in a browser', () => {
  it('takes a reseller from creation to a code that logs a client in, and credits its portal sales', async () => {
    const { page: ispPage } = await suite.openPhonePage();
    await signIn(ispPage, tenant().owner.email, tenant().owner.password);
    await ispPage.goto('/isp/resellers');
    await ispPage.fill('#new-rule input[name=percent]', '10');
    await Promise.all([
      ispPage.waitForURL('**/isp/resellers'),
      ispPage.click('#new-rule button[type=submit]'),
    ]);
    expect(await flashText(ispPage)).toBe('Commission rule saved.');
    await ispPage.fill('#new-reseller input[name=name]', 'Kiosk Kawangware');
    await ispPage.fill('#new-reseller input[name=email]', RESELLER.email);
    await ispPage.fill('#new-reseller input[name=phone]', '0712 555 666');
    await ispPage.fill('#new-reseller input[name=password]', RESELLER.password);
    await Promise.all([
      ispPage.waitForURL('**/isp/resellers'),
      ispPage.click('#new-reseller button[type=submit]'),
    ]);
    const created = await flashText(ispPage);
    expect(created).toMatch(/^Kiosk Kawangware created with code [A-Z2-9]{6}\.$/);
    const code = /code ([A-Z2-9]{6})/.exec(created)![1]!;

    const { page } = await suite.openPhonePage();
    await signIn(page, RESELLER.email, RESELLER.password);
    expect(new URL(page.url()).pathname).toBe('/reseller');
    expect(await page.getAttribute('[data-wallet-cents]', 'data-wallet-cents')).toBe('0');

    await page.fill('#topup input[name=shillings]', '200');
    await Promise.all([page.waitForURL('**/reseller/topups/**'), page.click('#topup button[type=submit]')]);
    await daraja.settled();
    await page.waitForSelector('#topup-status[data-status=paid]', { timeout: 20_000 });
    await page.goto('/reseller');
    expect(await page.getAttribute('[data-wallet-cents]', 'data-wallet-cents')).toBe('20000');

    // Plans made in the same instant list in id order (random): choose the one this test pays for.
    await page.selectOption('#buy-stock select[name=planId]', { label: '24 Hours · Ksh 50' });
    await page.fill('#buy-stock input[name=count]', '3');
    await Promise.all([page.waitForSelector('#new-codes'), page.click('#buy-stock button[type=submit]')]);
    const codes = await page.locator('#new-codes [data-code]').allTextContents();
    expect(codes).toHaveLength(3);
    const sheet = await page.request.get((await page.getAttribute('#new-codes a', 'href')) ?? '');
    const sheetHtml = await sheet.text();
    expect(sheetHtml).toContain('Sold by Kiosk Kawangware · 254712555666');
    expect(sheetHtml).toContain(codes[0]!.trim());

    const voucher = codes[0]!.trim();
    const login = await radclient({
      server: `127.0.0.1:${suite.kiunga.authPort}`,
      command: 'auth',
      secret: tenant().nas[0]!.secret,
      attributes: {
        'User-Name': voucher,
        'User-Password': voucher,
        'Calling-Station-Id': '02:00:00:00:99:01',
      },
    });
    expect(login.code).toBe('Access-Accept');

    const { page: buyer } = await suite.openPhonePage();
    await buyer.goto(`/portal/${tenant().slug}?r=${code}`);
    expect(await buyer.textContent('[data-reseller]')).toContain('Kiosk Kawangware');
    expect(await buyer.inputValue('#buy input[name=reseller]')).toBe(code);
    const plan = tenant().plans.find((item) => item.kind === 'hotspot')!;
    const started = (await (
      await fetch(`${suite.kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId: plan.id, phone: '0712 777 888', reseller: code }),
      })
    ).json()) as { id: string };
    expect((await settledPurchase(daraja, suite.kiunga.baseUrl, tenant().slug, started.id)).status).toBe(
      'paid',
    );
    await page.goto('/reseller');
    expect(await page.textContent('#commissions')).toContain('Portal sale');
  });
});
