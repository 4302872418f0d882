// A hotspot client in real headless Chromium buys a package on the captive portal (M-Pesa through
/// <reference lib="dom" />
// the Daraja simulator), is sent to the router's login URL with its new voucher as HTTP-CHAP, and that
// CHAP answer then authenticates over RADIUS; every failure code shows the client what to do; a login
// address that is not the ISP's hotspot never receives a code.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { useBrowserSuite } from './support/browser';
import type { MpesaDemoTenant } from './support/kiunga-process';
import { radclient } from './support/radclient';

/** The hotspot DNS name the test gives the demo NAS; Chromium resolves it (and evil.example) to loopback. */
const HOTSPOT_DNS_NAME = 'hotspot.kilimani.test';
const EVIL_HOST = 'evil.example';
/**
 * What the router's login.html forwards, octal-escaped: the RouterOS manual's example challenge and an
 * identifier below 32, because radclient sends a 17-octet CHAP-Password unchanged only when one of its
 * octets is below 32 (otherwise it takes the value for a cleartext password and hashes it again).
 */
const CHAP_ID = '\\037';
const CHAP_CHALLENGE = '\\357\\015\\330\\013\\021\\234\\145\\245\\303\\253\\142\\246\\133\\175\\375\\316';
const CHAP_ID_HEX = '1f';
const CHAP_CHALLENGE_HEX = 'ef0dd80b119c65a5c3ab62a65b7dfdce';

let daraja: DarajaSimulator;
/** Stands in for the MikroTik's login URL: records what the portal posted to it. */
let router: Server;
let routerUrl: string;
const routerLogins: Array<Record<string, string>> = [];
/** Plays evil.example: any request reaching it is a leaked code. */
let evil: Server;
let evilUrl: string;
const evilRequests: string[] = [];

async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

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
    routerUrl = `http://${HOTSPOT_DNS_NAME}:${await listenOnLoopback(router)}/login`;
    evil = createServer((request, response) => {
      evilRequests.push(`${request.method} ${request.url}`);
      response.end('thanks');
    });
    evilUrl = `http://${EVIL_HOST}:${await listenOnLoopback(evil)}/login`;
  },
  environment: () => ({ KIUNGA_MPESA_BASE_URL: daraja.baseUrl }),
  browserArgs: [`--host-resolver-rules=MAP ${HOTSPOT_DNS_NAME} 127.0.0.1, MAP ${EVIL_HOST} 127.0.0.1`],
  async beforeStop() {
    for (const server of [router, evil])
      await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  },
  async afterStop() {
    await daraja?.stop();
  },
});

const tenant = () => suite.demo.tenants[0]! as MpesaDemoTenant;

// The ISP tells Kiunga its router's hotspot DNS name, as it would in the console.
beforeAll(async () => {
  const owner = await login(suite.kiunga.baseUrl, tenant().owner);
  const patched = await owner.patch(`/api/v1/nas/${tenant().nas[0]!.id}`, {
    hotspotDnsName: HOTSPOT_DNS_NAME,
  });
  expect(patched.status, patched.text).toBe(200);
});

function portalUrl(loginUrl = routerUrl): string {
  const query = new URLSearchParams({
    'link-login-only': loginUrl,
    mac: '02:00:00:00:88:01',
    'link-orig': 'http://example.test/',
    'chap-id': CHAP_ID,
    'chap-challenge': CHAP_CHALLENGE,
  });
  return `${suite.kiunga.baseUrl}/portal/${tenant().slug}?${query.toString()}`;
}

/** hex(MD5(chap-id ‖ code ‖ chap-challenge)), computed here independently of the portal. */
function chapPassword(code: string): string {
  return createHash('md5')
    .update(
      Buffer.concat([
        Buffer.from(CHAP_ID_HEX, 'hex'),
        Buffer.from(code),
        Buffer.from(CHAP_CHALLENGE_HEX, 'hex'),
      ]),
    )
    .digest('hex');
}

/** The Access-Request a MikroTik sends for an HTTP-CHAP login with the test's challenge. */
function routerChapLogin(code: string, chapAnswer: string) {
  return radclient({
    server: `127.0.0.1:${suite.kiunga.authPort}`,
    command: 'auth',
    secret: tenant().nas[0]!.secret,
    attributes: {
      'User-Name': code,
      'CHAP-Password': `0x${CHAP_ID_HEX}${chapAnswer}`,
      'CHAP-Challenge': `0x${CHAP_CHALLENGE_HEX}`,
      'Calling-Station-Id': '02:00:00:00:88:01',
    },
  });
}

describe('captive portal in a browser', () => {
  it('buys a package with M-Pesa and logs the device in with the new voucher over HTTP-CHAP', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(portalUrl());
    await page.fill('#buy input[name=phone]', '0700 000 000');
    await page.click('#buy button[type=submit]');
    await page.waitForURL(routerUrl, { timeout: 20_000 });
    expect(await page.textContent('body')).toContain('You are logged in');
    const routerLogin = routerLogins.at(-1)!;
    const code = routerLogin['username']!;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(routerLogin['password']).toBe(chapPassword(code));
    expect(routerLogin['dst']).toBe('http://example.test/');
    await context.close();
    // What the router then sends Kiunga: CHAP-Password = id ‖ that hash, CHAP-Challenge = the challenge.
    const reply = await routerChapLogin(code, routerLogin['password']!);
    expect(reply.code, reply.output).toBe('Access-Accept');
    const wrong = await routerChapLogin(code, chapPassword('WRONGCODE'));
    expect(wrong.code, wrong.output).toBe('Access-Reject');
  });

  it('never posts a code to a login address that is not the hotspot, and shows it instead', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(portalUrl(evilUrl));
    await expect(page.locator('[data-login-refused]').count()).resolves.toBe(1);
    await page.fill('#buy input[name=phone]', '0700 000 000');
    await page.click('#buy button[type=submit]');
    await page.waitForFunction(
      () => /Paid\. Your voucher: [A-Z2-9]{8}/.test(document.getElementById('status')?.textContent ?? ''),
      null,
      {
        timeout: 20_000,
      },
    );
    // The voucher path without the script: the server renders no form towards evil.example either.
    const voucher = tenant().vouchers.find((candidate) => candidate.deviceLimit === 2)!;
    await page.fill('input[name=code]', voucher.code);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/voucher"] button')]);
    expect(await page.locator('form[action*="evil.example"]').count()).toBe(0);
    expect(await page.textContent('body')).toContain('enter this code on the login page');
    expect(await page.content()).not.toContain(EVIL_HOST);
    await context.close();
    expect(evilRequests).toEqual([]);
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
    // No script to hash it: the server, which knows the typed code, put the CHAP answer in the form.
    expect(routerLogins.at(-1)?.['password']).toBe(chapPassword(voucher.code));
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
