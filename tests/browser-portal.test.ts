// A hotspot client in real headless Chromium buys a package on the captive portal (M-Pesa through
/// <reference lib="dom" />
// the Daraja simulator), is sent to the router's login URL with its new voucher, and that voucher
// then authenticates over RADIUS; every failure code shows the client what to do.
import { createServer, type Server } from 'node:http';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser';
import type { MpesaDemoTenant } from './support/kiunga-process';
import { radclient } from './support/radclient';

let daraja: DarajaSimulator;
/** Stands in for the MikroTik's login URL: records what the portal posted to it. */
let router: Server;
let routerUrl: string;
const routerLogins: Array<Record<string, string>> = [];

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    const { mpesa } = demo.tenants[0]! as MpesaDemoTenant;
    daraja = await startDarajaSimulator({
      port: 0,
      apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
      shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey }],
      callbackDelayMs: 300,
    });
    router = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        if (request.method === 'POST') routerLogins.push(Object.fromEntries(new URLSearchParams(body)));
        response.end('<html><body>You are logged in</body></html>');
      });
    });
    await new Promise<void>((done) => router.listen(0, '127.0.0.1', done));
    const address = router.address();
    routerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/login`;
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  async beforeStop() {
    await new Promise<void>((done) => (router ? router.close(() => done()) : done()));
  },
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;

function portalUrl(): string {
  const query = new URLSearchParams({
    'link-login-only': routerUrl,
    mac: '02:00:00:00:88:01',
    'link-orig': 'http://example.test/',
  });
  return `${suite.kiunga.baseUrl}/portal/${tenant().slug}?${query.toString()}`;
}

describe('captive portal in a browser', () => {
  it('buys a package with M-Pesa and logs the device in with the new voucher', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(portalUrl());
    await page.fill('#buy input[name=phone]', '0700 000 000');
    await page.click('#buy button[type=submit]');
    await page.waitForURL(routerUrl, { timeout: 20_000 });
    expect(await page.textContent('body')).toContain('You are logged in');
    const login = routerLogins.at(-1)!;
    expect(login['username']).toMatch(/^[A-Z2-9]{8}$/);
    expect(login['password']).toBe(login['username']);
    expect(login['dst']).toBe('http://example.test/');
    await context.close();
    const reply = await radclient({
      server: `127.0.0.1:${suite.kiunga.authPort}`,
      command: 'auth',
      secret: tenant().nas[0]!.secret,
      attributes: {
        'User-Name': login['username']!,
        'User-Password': login['password']!,
        'Calling-Station-Id': '02:00:00:00:88:01',
      },
    });
    expect(reply.code, reply.output).toBe('Access-Accept');
  });

  const failures: Array<[string, RegExp]> = [
    ['0700000001', /cancelled the M-Pesa request/],
    ['0700000002', /timed out/],
    ['0700000003', /balance is too low/],
    ['0700000004', /PIN was wrong/],
  ];
  for (const [phone, message] of failures) {
    it(`tells the client what to do for ${phone}`, async () => {
      const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(portalUrl());
      await page.fill('#buy input[name=phone]', phone);
      await page.click('#buy button[type=submit]');
      await page.waitForFunction(
        (pattern) => new RegExp(pattern).test(document.getElementById('status')?.textContent ?? ''),
        message.source,
        { timeout: 20_000 },
      );
      expect(await page.isEnabled('#buy button[type=submit]')).toBe(true);
      await context.close();
    });
  }

  it('works without JavaScript for the voucher path', async () => {
    const context = await suite.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    await page.goto(portalUrl());
    const voucher = tenant().vouchers.find((v) => v.deviceLimit === 2)!;
    await page.fill('input[name=code]', voucher.code.toLowerCase());
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/voucher"] button')]);
    expect(await page.textContent('body')).toMatch(
      /Unused voucher: 1 day from the first login\. 0 of 2 devices in use/,
    );
    await Promise.all([page.waitForURL(routerUrl), page.click('text=Connect now')]);
    expect(routerLogins.at(-1)?.['username']).toBe(voucher.code);
    await context.close();
  });

  it('explains a wrong voucher code', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(portalUrl());
    await page.fill('input[name=code]', 'NOTACODE');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/voucher"] button')]);
    expect(await page.textContent('body')).toContain('This code is not valid here');
    await context.close();
  });
});
