// The web sign-up (issue 15) in real headless Chromium on a 360-px phone, against ./kiunga with the SMS
// gateway simulator (the platform's own account), an SMTP sink and the Daraja simulator (the platform's
// shortcode): a new ISP signs up from the landing page, confirms its phone and email, pays the
// registration by M-Pesa STK or by bank transfer matched by the platform's finance user, and lands on its
// console with the getting-started checklist; the short name is checked live as it is typed.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { type SinkMessage, type SmtpSink, startSmtpSink } from '@kiunga/ops/sim/smtp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { flashText, PHONE_VIEWPORT, signIn, useBrowserSuite } from './support/browser';
import { createAccount } from './support/identity-client';
import type { MpesaDemoTenant } from './support/kiunga-process';

/** The platform's own collection account on the Daraja simulator (never a real shortcode). */
const PLATFORM_MPESA = {
  shortcode: '600200',
  passkey: 'platform-passkey-for-browser-tests',
  consumerKey: 'platform-browser-consumer-key',
  consumerSecret: 'platform-browser-consumer-secret',
};
const PLATFORM_SMS = { username: 'kiunga-platform', apiKey: 'platform-sms-key-for-browser-tests' };
const BANK_INSTRUCTIONS = 'Kiunga Ltd, Test Bank, account 0100 200 300';
/** The Tier 1 registration fee of the tier catalogue, as the pages show it. */
const REGISTRATION_FEE_TEXT = 'Ksh 500';
/**
 * ./kiunga's mail job runs every 10 seconds (EMAIL_CRON): a message queued now leaves within that, plus
 * the send, on a loaded machine later. Past this the mail is not coming.
 */
const MAIL_WAIT_MS = 90_000;
const MAIL_POLL_MS = 250;
/** A flow waits for up to two mail runs (the link, and the receipt) on a loaded machine. */
const FLOW_TIMEOUT_MS = 240_000;
/** The STK callback comes back over loopback a moment after the push; past this it is lost. */
const STK_CALLBACK_WAIT_MS = 20_000;

let sms: SmsSimulator;
let sink: SmtpSink;
let daraja: DarajaSimulator;
let signupNumber = 0;

const suite = useBrowserSuite({
  async beforeStart(_dataDir, demo) {
    sms = await startSmsSimulator({ port: 0, accounts: [PLATFORM_SMS] });
    sink = await startSmtpSink({ port: 0 });
    // The demo ISP's own Daraja app too, so that its start-up C2B registration finds it.
    const demoMpesa = (demo.tenants[0] as MpesaDemoTenant).mpesa;
    daraja = await startDarajaSimulator({
      port: 0,
      apps: [
        { consumerKey: PLATFORM_MPESA.consumerKey, consumerSecret: PLATFORM_MPESA.consumerSecret },
        { consumerKey: demoMpesa.consumerKey, consumerSecret: demoMpesa.consumerSecret },
      ],
      shortcodes: [
        { shortcode: PLATFORM_MPESA.shortcode, passkey: PLATFORM_MPESA.passkey },
        { shortcode: demoMpesa.shortcode, passkey: demoMpesa.passkey },
      ],
      callbackDelayMs: 300,
    });
  },
  environment: () => ({
    KIUNGA_SMS_BASE_URL: sms.baseUrl,
    KIUNGA_PLATFORM_SMS_USERNAME: PLATFORM_SMS.username,
    KIUNGA_PLATFORM_SMS_API_KEY: PLATFORM_SMS.apiKey,
    KIUNGA_SMTP_URL: sink.url,
    KIUNGA_SMTP_FROM: '"Kiunga" <no-reply@kiunga.test>',
    KIUNGA_MPESA_BASE_URL: daraja.baseUrl,
    KIUNGA_PLATFORM_MPESA_SHORTCODE: PLATFORM_MPESA.shortcode,
    KIUNGA_PLATFORM_MPESA_PASSKEY: PLATFORM_MPESA.passkey,
    KIUNGA_PLATFORM_MPESA_CONSUMER_KEY: PLATFORM_MPESA.consumerKey,
    KIUNGA_PLATFORM_MPESA_CONSUMER_SECRET: PLATFORM_MPESA.consumerSecret,
    KIUNGA_PLATFORM_BANK_INSTRUCTIONS: BANK_INSTRUCTIONS,
  }),
  async afterStop() {
    await daraja?.stop();
    await sms?.stop();
    await sink?.stop();
  },
});

interface NewIsp {
  name: string;
  slug: string;
  email: string;
  phone: string;
  password: string;
}

/** A new ISP's details; the ISP name's short form (what the page suggests) is its slug. */
function newIsp(label: string): NewIsp {
  signupNumber += 1;
  return {
    name: `Nyota ${label} Net`,
    slug: `nyota-${label}-net`,
    email: `owner-${label}@nyota.example`,
    phone: `07${String(20_000_000 + signupNumber * 104_729).slice(-8)}`,
    password: 'correct horse battery staple',
  };
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
    PHONE_VIEWPORT.width,
  );
}

/** From the landing page's "Start free trial" to the verify page, typing as a person would. */
async function signUp(page: Page, isp: NewIsp): Promise<void> {
  await page.goto('/');
  await submit(page, 'a[data-start-trial]');
  expect(new URL(page.url()).pathname).toBe('/signup');
  await expectNoSidewaysScroll(page);
  await page.fill('#ispName', isp.name);
  // The page fills the short name from the ISP name and says it is free.
  await expect.poll(() => page.locator('#slug').inputValue()).toBe(isp.slug);
  await expect.poll(() => page.locator('#slug-status').textContent()).toBe(`${isp.slug} is available`);
  await page.fill('#ownerName', 'Wanjiru Kamau');
  await page.fill('#phone', isp.phone);
  await page.fill('#email', isp.email);
  await page.fill('#password', isp.password);
  await page.check('#tier-tier1');
  await page.check('input[name=featureChoice][value=hotspot]');
  await submit(page, 'button:has-text("Create my account")');
  expect(new URL(page.url()).pathname).toBe('/signup/verify');
  await expectNoSidewaysScroll(page);
}

/** The code the platform's SMS account sent to this phone (in international form). */
function codeSentTo(phone: string): string {
  const message = sms.messages().find((sent) => sent.to === `+254${phone.slice(-9)}`);
  expect(message?.username).toBe(PLATFORM_SMS.username);
  const code = /^(\d{6}) is your Kiunga sign-up code/.exec(message!.message)?.[1];
  expect(code).toBeDefined();
  return code!;
}

async function confirmPhone(page: Page, isp: NewIsp): Promise<void> {
  await page.fill('#code', codeSentTo(isp.phone));
  await submit(page, 'button:has-text("Confirm phone")');
  expect(await flashText(page)).toBe('Phone confirmed.');
  await expect(page.locator('[data-step="phone"] .done').textContent()).resolves.toBe('Phone confirmed.');
}

/** The first message to `address` whose subject starts so, as the mail job delivers it to the sink. */
async function mailTo(address: string, subjectStart: string): Promise<SinkMessage> {
  const deadline = Date.now() + MAIL_WAIT_MS;
  while (Date.now() < deadline) {
    const found = sink.messagesTo(address).find((message) => message.subject.startsWith(subjectStart));
    if (found) return found;
    await new Promise((done) => setTimeout(done, MAIL_POLL_MS));
  }
  throw new Error(`no mail "${subjectStart}…" to ${address} within ${MAIL_WAIT_MS} ms`);
}

/** Opens the emailed link: the owner's session goes on to the console with the checklist. */
async function confirmEmail(page: Page, isp: NewIsp): Promise<void> {
  const mail = await mailTo(isp.email, 'Confirm your email for Kiunga');
  const link = /(http\S+\/signup\/verify-email\?token=\S+)/.exec(mail.text)?.[1];
  expect(link).toBeDefined();
  expect(new URL(link!).origin).toBe(suite.kiunga.baseUrl);
  await page.goto(link!);
  expect(new URL(page.url()).pathname).toBe('/isp');
  expect(await flashText(page)).toBe('Your phone and email are confirmed: welcome to Kiunga.');
}

async function expectChecklist(page: Page): Promise<void> {
  await expect(page.locator('[data-getting-started]').isVisible()).resolves.toBe(true);
  for (const step of ['router', 'plan', 'vouchers'])
    await expect(
      page.locator(`[data-getting-started] [data-step="${step}"]`).getAttribute('data-done'),
    ).resolves.toBe('false');
  await expectNoSidewaysScroll(page);
}

/** Opens the link of the emailed receipt and checks what the receipt says. */
async function expectReceipt(page: Page, isp: NewIsp, how: string, transaction: string): Promise<void> {
  const mail = await mailTo(isp.email, 'Kiunga receipt');
  expect(mail.subject).toBe(`Kiunga receipt: ${REGISTRATION_FEE_TEXT} received`);
  const link = /(http\S+\/isp\/platform-account\/receipts\/\S+)/.exec(mail.text)?.[1];
  expect(link).toBeDefined();
  await page.goto(link!);
  await expectReceiptPage(page, isp, how, transaction);
}

async function expectReceiptPage(page: Page, isp: NewIsp, how: string, transaction: string): Promise<void> {
  expect(new URL(page.url()).pathname).toMatch(/^\/isp\/platform-account\/receipts\//);
  const receipt = (await page.locator('[data-receipt]').textContent()) ?? '';
  expect(receipt).toContain(`Kiunga received ${REGISTRATION_FEE_TEXT} from ${isp.name} by ${how}`);
  expect(receipt).toContain(transaction);
}

describe('signing up on a phone', () => {
  it('checks the short name live as it is typed', async () => {
    const { page } = await suite.openPhonePage();
    await page.goto('/signup');
    await page.fill('#ispName', 'Kilima Fibre');
    await expect.poll(() => page.locator('#slug').inputValue()).toBe('kilima-fibre');
    await expect.poll(() => page.locator('#slug-status').textContent()).toBe('kilima-fibre is available');
    const taken = suite.demo.tenants[0]!.slug;
    await page.fill('#slug', taken);
    await expect
      .poll(() => page.locator('#slug-status').textContent())
      .toBe(`${taken}: already taken: try another`);
    await expect(page.locator('#slug-status').getAttribute('class')).resolves.toContain('taken');
    // Edited by hand: typing more of the ISP name no longer overwrites the short name.
    await page.fill('#ispName', 'Kilima Fibre Ltd');
    await expect.poll(() => page.locator('#slug').inputValue()).toBe(taken);
  });

  it(
    'signs up, confirms the phone from the SMS and pays the registration by M-Pesa while the email waits, then lands on the checklist',
    async () => {
      const { page } = await suite.openPhonePage();
      const isp = newIsp('stk');
      await signUp(page, isp);
      await confirmPhone(page, isp);

      // Until the email is confirmed the console says so; the pay page is open.
      await page.goto('/isp/plans');
      await expect(page.locator('h1').textContent()).resolves.toBe('Confirm your phone and email first');
      await submit(page, 'a:has-text("Confirm your phone and email")');
      expect(new URL(page.url()).pathname).toBe('/signup/verify');
      await submit(page, 'a[data-pay-registration]');
      expect(new URL(page.url()).pathname).toBe('/isp/platform-account');
      await expect(page.locator('[data-platform-state]').getAttribute('data-platform-state')).resolves.toBe(
        'trial',
      );
      await expectNoSidewaysScroll(page);
      await submit(page, 'button:has-text("Pay with M-Pesa")');
      expect(await flashText(page)).toBe(
        `M-Pesa request for ${REGISTRATION_FEE_TEXT} sent: enter your PIN on the phone. The balance updates once M-Pesa confirms.`,
      );
      // The push went to the owner's phone for the fee, on the platform's shortcode.
      const push = daraja.state().stkTransactions.at(-1)!;
      expect(push).toMatchObject({ shortcode: PLATFORM_MPESA.shortcode, phone: `254${isp.phone.slice(-9)}` });
      await expect
        .poll(
          async () => {
            await page.reload();
            return page.locator('[data-platform-balance]').textContent();
          },
          { timeout: STK_CALLBACK_WAIT_MS },
        )
        .toBe(REGISTRATION_FEE_TEXT);
      await expect(page.locator('.stat:has([data-platform-balance]) span').textContent()).resolves.toBe(
        'In credit',
      );

      await confirmEmail(page, isp);
      await expectChecklist(page);
      await page.screenshot({ path: '/tmp/kiunga-signup-checklist-360.png', fullPage: true });
      const receiptNumber = daraja
        .state()
        .stkTransactions.find((item) => item.checkoutRequestId === push.checkoutRequestId)!
        .mpesaReceiptNumber!;
      await expectReceipt(page, isp, 'M-Pesa', receiptNumber);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    "signs up, confirms both, and pays by bank transfer that the platform's finance user matches by reference",
    async () => {
      const { page } = await suite.openPhonePage();
      const isp = newIsp('bank');
      await signUp(page, isp);
      await confirmPhone(page, isp);
      await confirmEmail(page, isp);
      await expectChecklist(page);

      await page.goto('/isp/platform-account');
      const reference = (await page.locator('[data-bank-reference]').textContent()) ?? '';
      expect(reference).not.toBe('');
      await expect(page.locator('body').textContent()).resolves.toContain(BANK_INSTRUCTIONS);

      // The platform's finance user records the transfer from the bank statement.
      const admin = await login(suite.kiunga.baseUrl, suite.demo.superAdmin);
      const finance = await createAccount(suite.kiunga.baseUrl, admin, {
        scope: 'platform',
        kind: 'platform_staff',
        roleName: 'finance',
      });
      const { page: financePage } = await suite.openPhonePage();
      await signIn(financePage, finance.email, finance.password);
      await financePage.goto('/platform/billing');
      const transaction = `FT${isp.phone.slice(-6)}BANK`;
      await financePage.fill('#reference', reference.toLowerCase());
      await financePage.fill('#amount', '500');
      await financePage.fill('#bankTransactionId', transaction);
      await submit(financePage, 'button:has-text("Record bank payment")');
      expect(await flashText(financePage)).toBe(`Bank payment of ${REGISTRATION_FEE_TEXT} credited.`);

      await page.reload();
      await expect(page.locator('[data-platform-balance]').textContent()).resolves.toBe(
        REGISTRATION_FEE_TEXT,
      );
      await expect(page.locator('.stat:has([data-platform-balance]) span').textContent()).resolves.toBe(
        'In credit',
      );
      // The account page lists the payment with its receipt (the receipt mail carries the same link).
      await submit(page, 'tr[data-platform-payment] a:has-text("Receipt")');
      await expectReceiptPage(page, isp, 'bank transfer', transaction);
      await page.goto('/isp');
      await expectChecklist(page);
    },
    FLOW_TIMEOUT_MS,
  );
});
