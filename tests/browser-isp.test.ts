// The ISP console in real headless Chromium against ./kiunga start: plans, vouchers and their print
// sheet, a router with its one-time secret, branding, and disconnecting a live session.
import { PacketCode } from '@kiunga/dictionaries';
import type { NasSimulator } from '@kiunga/ops/sim/nas';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { acceptNextDialog, flashText, signIn, useBrowserSuite } from './support/browser';
import { startDemoNas } from './support/demo-nas';
import { radclient } from './support/radclient';

let nas: NasSimulator;
let context: BrowserContext;
let page: Page;

const suite = useBrowserSuite({
  async beforeStart(dataDir, demo) {
    // The demo NAS's CoA port points at a simulated MikroTik, as a real one would listen on 3799.
    nas = await startDemoNas(dataDir, demo);
  },
  async beforeStop() {
    await nas?.close();
  },
});

const owner = () => suite.demo.tenants[0]!.owner;

beforeEach(async () => {
  ({ context, page } = await suite.openPhonePage());
});

describe('ISP console', () => {
  it('signs the owner in at /login and lands on the ISP dashboard; a wrong password says so', async () => {
    await page.goto('/login');
    await page.fill('input[name=email]', owner().email);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    expect(await flashText(page)).toContain('Wrong email or password');
    await signIn(page, owner().email, owner().password);
    expect(new URL(page.url()).pathname).toBe('/isp');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await page.screenshot({ path: '/tmp/kiunga-isp-dashboard-360.png', fullPage: true });
  });

  it('creates a plan, generates vouchers and opens their print sheet with every code', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/plans');
    await page.fill('#name', 'Browser Day Pass');
    await page.selectOption('#kind', 'hotspot');
    await page.fill('#price', '30');
    await page.fill('#deviceLimit', '2');
    await page.fill('#rateDownKbps', '4096');
    await page.fill('#rateUpKbps', '1024');
    await page.fill('#validityValue', '1');
    await page.selectOption('select[name=validityUnit]', 'days');
    await page.click('button:has-text("Create plan")');
    expect(await flashText(page)).toContain('Browser Day Pass');
    await expect(page.locator('tr', { hasText: 'Browser Day Pass' }).textContent()).resolves.toContain(
      '1 day',
    );

    await page.goto('/isp/vouchers');
    const planValue = await page
      .locator('#planId option', { hasText: 'Browser Day Pass' })
      .getAttribute('value');
    await page.selectOption('#planId', planValue!);
    await page.fill('#count', '6');
    await page.fill('#prefix', 'BR');
    await page.click('button:has-text("Generate")');
    expect(await flashText(page)).toBe('Generated 6 vouchers.');
    const codes = await page.locator('[data-batch-codes] li').allTextContents();
    expect(codes).toHaveLength(6);
    for (const code of codes) expect(code).toMatch(/^BR/);

    const printHref = await page.locator('[data-print-sheet]').getAttribute('href');
    await page.goto(printHref!);
    const sheet = await page.locator('body').textContent();
    for (const code of codes) expect(sheet).toContain(code);
    expect(sheet).toContain('Browser Day Pass');

    await page.goto(`/isp/vouchers?q=${codes[0]}`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    acceptNextDialog(page);
    await page.click(`tr[data-code="${codes[0]}"] button:has-text("Revoke")`);
    expect(await flashText(page)).toContain(`Voucher ${codes[0]} revoked`);
    await page.screenshot({ path: '/tmp/kiunga-isp-vouchers-360.png', fullPage: true });
  });

  it('adds a router and shows its secret once, with the RouterOS script', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/nas');
    await page.fill('#name', 'Browser hAP');
    await page.fill('#ipAddress', '10.77.0.1');
    await page.fill('#hotspotDnsName', 'Hotspot.Browser.test');
    await page.click('button:has-text("Add router")');
    const secret = (await page.locator('[data-nas-secret]').textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(24);
    await expect(page.locator('[data-routeros-script]').textContent()).resolves.toContain(secret);
    await page.goto('/isp/nas');
    await expect(page.locator('tr', { hasText: 'Browser hAP' }).count()).resolves.toBe(1);
    await expect(page.locator('tr:has-text("Browser hAP")').textContent()).resolves.toContain(
      'hotspot.browser.test',
    );
    expect(await page.content()).not.toContain(secret);
    await page.click('tr:has-text("Browser hAP") a:has-text("RouterOS script")');
    const script = await page.locator('[data-routeros-script]').textContent();
    expect(script).toContain('/radius add');
    expect(script).toContain('dns-name="hotspot.browser.test"');
    expect(script).not.toContain(secret);

    // The router reaches Kiunga at other addresses: a host name is refused with the reason, IPs are used in order.
    await page.fill('#radiusAddress', 'radius.kilimani.example');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Use this address")')]);
    await expect(page.locator('[data-field-error=radiusAddress]').textContent()).resolves.toContain(
      "'radius.kilimani.example' is not an IP address",
    );
    await page.fill('#radiusAddress', '203.0.113.10, 203.0.113.11');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Use this address")')]);
    const twoServers = (await page.locator('[data-routeros-script]').textContent()) ?? '';
    const primary = twoServers.indexOf(' address=203.0.113.10 ');
    expect(primary).toBeGreaterThan(0);
    expect(twoServers.indexOf(' address=203.0.113.11 ')).toBeGreaterThan(primary);
    await expect(page.locator('[data-field-error=radiusAddress]').count()).resolves.toBe(0);
  });

  it("applies the ISP's branding: name in the header and its colour as --brand", async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/branding');
    await page.fill('#displayName', 'Kilimani Fibre Browser');
    await page.fill('#primaryColor', '#7b1fa2');
    await page.click('button:has-text("Save branding")');
    expect(await flashText(page)).toBe('Branding saved.');
    await page.goto('/isp');
    await expect(page.locator('[data-brand-name]').textContent()).resolves.toContain(
      'Kilimani Fibre Browser',
    );
    // Evaluated in the page (strings: the tests compile without the DOM library).
    const brand = await page.evaluate<string>(
      "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()",
    );
    expect(brand).toBe('#7b1fa2');
    const headerColour = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('header.top')).backgroundColor",
    );
    expect(headerColour).toBe('rgb(123, 31, 162)');
  });

  it('disconnects a live session from the console; the router gets a Disconnect-Request', async () => {
    const tenant = suite.demo.tenants[0]!;
    const subscriber = tenant.subscribers.find((s) => s.status === 'active')!;
    const reply = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: tenant.nas[0]!.secret,
      attributes: {
        'User-Name': subscriber.username,
        'Acct-Status-Type': 'Start',
        'Acct-Session-Id': 'b0000001',
        'Framed-IP-Address': '10.9.0.7',
        'Calling-Station-Id': '02:00:00:00:77:01',
      },
    });
    expect(reply.code).toBe('Accounting-Response');
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/sessions');
    const row = page.locator(`tr[data-session-user="${subscriber.username}"]`);
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain('10.9.0.7');
    const before = nas.received.length;
    acceptNextDialog(page);
    await row.locator('button:has-text("Disconnect")').click();
    await page.waitForURL('**/isp/sessions');
    expect(await flashText(page)).toContain('Disconnected');
    const sent = nas.received.slice(before);
    expect(sent.map((request) => request.code)).toContain(PacketCode.DisconnectRequest);
  });

  it('shows a session that starts while the Live page is open, without a reload, and disconnects it', async () => {
    const tenant = suite.demo.tenants[0]!;
    const voucher = tenant.vouchers[2]!;
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/sessions');
    // Connected to the feed, and the session not on the page the server rendered.
    await page.locator('[data-live-indicator]').waitFor({ state: 'visible', timeout: 15_000 });
    const row = page.locator(`tr[data-session-user="${voucher.code}"]`);
    await expect(row.count()).resolves.toBe(0);
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const reply = await radclient({
      server: `127.0.0.1:${suite.kiunga.acctPort}`,
      command: 'acct',
      secret: tenant.nas[0]!.secret,
      attributes: {
        'User-Name': voucher.code,
        'Acct-Status-Type': 'Start',
        'Acct-Session-Id': 'b0000002',
        'Framed-IP-Address': '10.9.0.8',
        'Calling-Station-Id': '02:00:00:00:77:02',
      },
    });
    expect(reply.code).toBe('Accounting-Response');
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain('10.9.0.8');
    await expect(row.textContent()).resolves.toContain('Kilimani hotspot router');
    await expect(
      page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).resolves.toBe(true);
    await page.screenshot({ path: '/tmp/kiunga-isp-live-sessions-360.png', fullPage: true });
    // The row drawn by the page's script carries a working disconnect form (CSRF and all).
    const before = nas.received.length;
    acceptNextDialog(page);
    await row.locator('button:has-text("Disconnect")').click();
    await page.waitForURL('**/isp/sessions');
    expect(await flashText(page)).toContain('Disconnected');
    expect(nas.received.slice(before).map((request) => request.code)).toContain(PacketCode.DisconnectRequest);
  });

  it("shows per-router totals and a client's rate from interim updates, without a reload", async () => {
    const tenant = suite.demo.tenants[0]!;
    const voucher = tenant.vouchers[3]!;
    const account = (attributes: Record<string, string | number>) =>
      radclient({
        server: `127.0.0.1:${suite.kiunga.acctPort}`,
        command: 'acct',
        secret: tenant.nas[0]!.secret,
        attributes: {
          'User-Name': voucher.code,
          'Acct-Session-Id': 'b0000003',
          'Framed-IP-Address': '10.9.0.9',
          'Calling-Station-Id': '02:00:00:00:77:03',
          ...attributes,
        },
      });
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/sessions');
    await page.locator('[data-live-indicator]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    expect((await account({ 'Acct-Status-Type': 'Start' })).code).toBe('Accounting-Response');
    const first = await account({
      'Acct-Status-Type': 'Interim-Update',
      'Acct-Session-Time': 60,
      'Acct-Input-Octets': 1_000_000,
      'Acct-Output-Octets': 5_000_000,
    });
    expect(first.code).toBe('Accounting-Response');
    const row = page.locator(`tr[data-session-user="${voucher.code}"]`);
    // The feed saw the first interim: its octets, and no rate yet (one interim gives none).
    await page.waitForFunction(
      (code) =>
        document.querySelector(`tr[data-session-user="${code}"]`)?.textContent?.includes('4.8 MB / 976.6 KB'),
      voucher.code,
      { timeout: 20_000 },
    );
    await expect(row.locator('[data-live-rate]').textContent()).resolves.toBe('— / —');
    const routers = page.locator('[data-live-nas]');
    await expect(routers.isVisible()).resolves.toBe(true);
    const routerRow = routers.locator(`tr[data-live-nas-id="${tenant.nas[0]!.id}"]`);
    await expect(routerRow.textContent()).resolves.toContain('Kilimani hotspot router');

    const second = await account({
      'Acct-Status-Type': 'Interim-Update',
      'Acct-Session-Time': 120,
      'Acct-Input-Octets': 3_000_000,
      'Acct-Output-Octets': 30_000_000,
    });
    expect(second.code).toBe('Accounting-Response');
    // The next push carries the client's rate over the two interims, and the router's sum of rates.
    const rate = /^\d+(\.\d)? (k|M)bit\/s \/ \d+(\.\d)? (k|M)bit\/s$/;
    await page.waitForFunction(
      (code) =>
        /bit\/s/.test(
          document.querySelector(`tr[data-session-user="${code}"] [data-live-rate]`)?.textContent ?? '',
        ),
      voucher.code,
      { timeout: 20_000 },
    );
    await expect(row.locator('[data-live-rate]').textContent()).resolves.toMatch(rate);
    await expect(row.textContent()).resolves.toContain('28.6 MB / 2.9 MB');
    const routerCells = await routerRow.locator('td').allTextContents();
    expect(routerCells[3]).toMatch(rate);
    expect(routerCells[3]).not.toBe('0 kbit/s / 0 kbit/s');
    expect(Number(routerCells[1])).toBeGreaterThanOrEqual(1);
    await expect(
      page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).resolves.toBe(true);
    await page.screenshot({ path: '/tmp/kiunga-isp-live-rates-360.png', fullPage: true });
  });

  it('hides what a staff role lacks and answers a forced URL with a 403 page', async () => {
    await signIn(page, owner().email, owner().password);
    await page.goto('/isp/staff');
    await page.fill('#email', 'cashier@kilimani.demo');
    await page.selectOption('#kind', 'isp_staff');
    await page.selectOption('#roleId', { label: 'cashier' });
    await page.fill('#password', 'cashier-password-1');
    await page.click('button:has-text("Create account")');
    await expect(page.locator('[data-created-account]').count()).resolves.toBe(1);
    await context.clearCookies();

    await signIn(page, 'cashier@kilimani.demo', 'cashier-password-1');
    const tabs = await page.locator('nav.tabs a').allTextContents();
    expect(tabs).toContain('Vouchers');
    expect(tabs).not.toContain('Routers');
    expect(tabs).not.toContain('Staff');
    const response = await page.goto('/isp/nas');
    expect(response?.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('Not allowed');
  });
});
