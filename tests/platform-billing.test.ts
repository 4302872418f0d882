// Platform billing of ISPs, in-process with a clock the test moves: trial → grace → restricted → paid by
// M-Pesa (Daraja simulator), bank transfer reconciled by reference, PayPal (simulator), tier changes
// from revenue, opting into Tier 2, isolation, and a restricted ISP's clients still getting RADIUS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AaaServer, startAaaServer } from '@kiunga/aaa-server';
import {
  type ApiDependencies,
  type ControlApiServer,
  deriveTokenKey,
  reconcilePlatformStkPayments,
  sendPendingEmails,
  startControlApi,
} from '@kiunga/control-api';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { type PayPalSimulator, startPayPalSimulator } from '@kiunga/ops/sim/paypal';
import { type SmtpSink, startSmtpSink } from '@kiunga/ops/sim/smtp';
import { createSecretBox, type Databases, ManualClock } from '@kiunga/schemas';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirDatabases } from './support/data-access';
import { type ApiClient, createAccount, login } from './support/identity-client';
import {
  clockStartEnvironment,
  type DemoJson,
  freePort,
  makeDataDir,
  removeDataDir,
  seedDemo,
} from './support/kiunga-process';
import { radclient } from './support/radclient';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PLATFORM_MPESA = {
  shortcode: '600100',
  passkey: 'platform-test-passkey',
  consumerKey: 'platform-key',
  consumerSecret: 'platform-secret',
};
const PAYPAL = { clientId: 'paypal-id', clientSecret: 'paypal-secret' };
const KES_CENTS_PER_USD = 12_900;
/** The demo is seeded, and the test's clock starts, on 14 March 2030 in Nairobi, whatever today is. */
const SEEDED_AT_MS = Date.parse('2030-03-14T10:00:00+03:00');

let dataDir: string;
let demo: DemoJson;
let databases: Databases;
let aaa: AaaServer;
let api: ControlApiServer;
let daraja: DarajaSimulator;
let paypal: PayPalSimulator;
let sink: SmtpSink;
let baseUrl: string;
let dependencies: ApiDependencies;
const clock = new ManualClock(SEEDED_AT_MS + HOUR_MS);

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir, undefined, clockStartEnvironment(SEEDED_AT_MS));
  const masterKey = readFileSync(join(dataDir, 'master.key'), 'utf8').trim();
  databases = await openDataDirDatabases(dataDir);
  const secretBox = createSecretBox(masterKey);
  const logger = pino({ level: 'silent' });
  daraja = await startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: PLATFORM_MPESA.consumerKey, consumerSecret: PLATFORM_MPESA.consumerSecret }],
    shortcodes: [{ shortcode: PLATFORM_MPESA.shortcode, passkey: PLATFORM_MPESA.passkey }],
    callbackDelayMs: 20,
    // The client stamps requests with the test's clock; the simulator checks them against the same one.
    now: () => clock.now(),
  });
  paypal = await startPayPalSimulator({ port: 0, clients: [PAYPAL] });
  sink = await startSmtpSink({ port: 0 });
  aaa = await startAaaServer({
    host: '127.0.0.1',
    authPort: 0,
    acctPort: 0,
    // One connection per SQLite file, as in ./kiunga start: the AAA server shares the layer's databases.
    databases,
    secretBox,
    clock,
    logger,
  });
  const port = await freePort('tcp');
  baseUrl = `http://127.0.0.1:${port}`;
  dependencies = {
    aaa: aaa.control,
    databases,
    secretBox,
    clock,
    logger,
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: baseUrl,
    mpesaBaseUrl: daraja.baseUrl,
    email: { smtpUrl: sink.url, from: '"Kiunga" <no-reply@kiunga.test>' },
    platformBilling: {
      mpesa: PLATFORM_MPESA,
      paypal: { baseUrl: paypal.baseUrl, ...PAYPAL, kesCentsPerUsd: KES_CENTS_PER_USD },
      bankInstructions: 'Test Bank, account 0101',
    },
  };
  api = await startControlApi({ host: '127.0.0.1', port, runJobs: false, ...dependencies });
});

afterAll(async () => {
  await api?.stop();
  await aaa?.stop();
  await daraja?.stop();
  await paypal?.stop();
  await sink?.stop();
  await databases?.close();
  if (dataDir) removeDataDir(dataDir);
});

/** Tokens live 15 minutes of the test's clock: sign in again after each jump. */
function superAdmin(): Promise<ApiClient> {
  return login(baseUrl, demo.superAdmin);
}

async function runBilling(): Promise<{ chargesCreated: number; stateChanges: number }> {
  const response = await (await superAdmin()).post('/api/v1/platform/billing/run');
  expect(response.status).toBe(200);
  return response.body;
}

let registrations = 0;
async function registerIsp(
  tier: 'tier1' | 'tier2',
): Promise<{ tenantId: string; email: string; password: string }> {
  registrations += 1;
  const email = `pb-owner-${process.pid}-${registrations}@test.kiunga.example`;
  const password = 'correct horse battery';
  // Made by the operator in its 24-hour trial: what a self-registration becomes once its phone and email
  // are confirmed (tests/signup.test.ts), without the SMS and mail round trip this file is not about.
  const response = await (await superAdmin()).post('/api/v1/platform/tenants', {
    name: `Platform Billing ISP ${registrations}`,
    slug: `pb-isp-${process.pid}-${registrations}`,
    tier,
    ...(tier === 'tier1' ? { featureChoice: 'hotspot' } : {}),
    startTrial: true,
    contactPhone: '0712345678',
    owner: { email, password },
  });
  expect(response.status).toBe(201);
  return { tenantId: response.body.id, email, password };
}

const brandingWrite = (client: ApiClient) => client.patch('/api/v1/branding', { displayName: 'Changed' });

describe('trial, grace, restriction and payment by M-Pesa', () => {
  it('moves a new ISP from trial to grace to a read-only console, and back to active when it pays', async () => {
    const isp = await registerIsp('tier1');
    let owner = await login(baseUrl, isp);
    let status = await owner.get('/api/v1/platform-billing');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      state: 'trial',
      balanceCents: 0,
      tier: 'tier1',
      clientService: 'unaffected',
    });
    expect(status.body.bankReference).toMatch(/^KIU-[A-Z0-9]{6}$/);

    clock.advance(25 * HOUR_MS);
    await runBilling();
    owner = await login(baseUrl, isp);
    status = await owner.get('/api/v1/platform-billing');
    expect(status.body.state).toBe('grace');
    // Tier 1: Ksh 500 registration + Ksh 500 for the first month.
    expect(status.body.balanceCents).toBe(100_000);
    expect(status.body.notices.map((notice: { kind: string }) => notice.kind)).toContain(
      'trial_ended_unpaid',
    );
    // The owner reads the same notice by email (issue 14).
    await sendPendingEmails(dependencies);
    const noticeMail = sink
      .messagesTo(isp.email)
      .find((mail) => mail.subject.endsWith('] Your free trial has ended'));
    expect(noticeMail?.text).toContain('Your free trial has ended. Pay Ksh');
    expect(noticeMail?.text).toContain(`${baseUrl}/isp/platform-account`);
    const charges = await owner.get('/api/v1/platform-billing/charges');
    expect(charges.body.items.map((charge: { kind: string }) => charge.kind).sort()).toEqual([
      'monthly',
      'registration',
    ]);
    expect((await brandingWrite(owner)).status).toBe(200);
    // A second run on the same clock adds nothing.
    expect((await runBilling()).chargesCreated).toBe(0);

    clock.advance(8 * DAY_MS);
    await runBilling();
    owner = await login(baseUrl, isp);
    status = await owner.get('/api/v1/platform-billing');
    expect(status.body).toMatchObject({ state: 'restricted', consoleAccess: 'read_only' });
    expect(status.body.notices[0].kind).toBe('console_restricted');
    const refused = await brandingWrite(owner);
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('platform_payment_required');
    expect((await owner.get('/api/v1/branding')).status).toBe(200);
    // Asking platform support stays open: an unpaid bill is a reason to ask.
    const asked = await owner.post('/api/v1/support/conversations', {
      subject: 'Paying by bank',
      message: 'Which reference do I use?',
    });
    expect(asked.status).toBe(201);

    // Daraja delivers the result three times; the receipt is credited once.
    daraja.setDuplicateCallbacks(2);
    const started = await owner.post('/api/v1/platform-billing/mpesa', { phone: '0712345678' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ provider: 'mpesa_stk', status: 'pending', amountCents: 100_000 });
    await daraja.settled();
    daraja.setDuplicateCallbacks(0);
    const intent = await owner.get(`/api/v1/platform-billing/intents/${started.body.id}`);
    expect(intent.body.status).toBe('paid');
    status = await owner.get('/api/v1/platform-billing');
    expect(status.body).toMatchObject({ state: 'active', consoleAccess: 'full', balanceCents: 0 });
    expect(status.body.notices.map((notice: { kind: string }) => notice.kind)).toContain('access_restored');
    const payments = await owner.get('/api/v1/platform-billing/payments');
    expect(payments.body.items).toHaveLength(1);
    expect(payments.body.items[0]).toMatchObject({
      provider: 'mpesa_stk',
      amountCents: 100_000,
      status: 'matched',
    });
    expect((await brandingWrite(owner)).status).toBe(200);
    const callbacks = await databases.platform.all<{ outcome: string }>(
      `SELECT outcome FROM platform_callbacks WHERE provider = 'mpesa' ORDER BY id`,
    );
    expect(callbacks.map((row) => row.outcome)).toEqual(['applied', 'duplicate', 'duplicate']);
  });

  it('keeps answering RADIUS for a restricted ISP: its voucher still logs in', async () => {
    // Demo ISPs start paid up for their first month; six weeks on, the second month is past grace.
    const tenant = demo.tenants[0]!;
    let admin = await superAdmin();
    expect((await admin.get(`/api/v1/platform/billing/tenants/${tenant.id}`)).body).toMatchObject({
      state: 'active',
      balanceCents: 0,
    });
    clock.set(SEEDED_AT_MS + 42 * DAY_MS);
    await runBilling();
    admin = await superAdmin();
    const account = await admin.get(`/api/v1/platform/billing/tenants/${tenant.id}`);
    expect(account.body).toMatchObject({ state: 'restricted', balanceCents: 150_000 });
    const voucher = tenant.vouchers[0]!;
    const reply = await radclient({
      server: `127.0.0.1:${aaa.authPort}`,
      command: 'auth',
      secret: tenant.nas[0]!.secret,
      attributes: {
        'User-Name': voucher.code,
        'User-Password': voucher.code,
        'Calling-Station-Id': '02:00:00:00:77:01',
        'NAS-Port-Type': 'Wireless-802.11',
      },
    });
    expect(reply.code).toBe('Access-Accept');
  });
});

describe('bank transfer reconciled by reference', () => {
  it('credits the ISP once per bank transaction id and keeps unknown references for matching', async () => {
    const isp = await registerIsp('tier2');
    clock.advance(25 * HOUR_MS);
    await runBilling();
    const owner = await login(baseUrl, isp);
    const status = await owner.get('/api/v1/platform-billing');
    expect(status.body).toMatchObject({ state: 'grace', balanceCents: 150_000, tier: 'tier2' });
    const reference: string = status.body.bankReference;

    const admin = await superAdmin();
    const finance = await createAccount(baseUrl, admin, {
      scope: 'platform',
      kind: 'platform_staff',
      roleName: 'finance',
    });
    // The clerk types the reference as it appears on the slip.
    const slip = {
      reference: ` ${reference.toLowerCase().replace('-', ' ')} `,
      amountCents: 150_000,
      bankTransactionId: `BANK-${isp.tenantId}`,
    };
    const first = await finance.client.post('/api/v1/platform/billing/bank-payments', slip);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ tenantId: isp.tenantId, status: 'matched', isNew: true });
    const again = await finance.client.post('/api/v1/platform/billing/bank-payments', slip);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, isNew: false });
    const different = await finance.client.post('/api/v1/platform/billing/bank-payments', {
      ...slip,
      amountCents: 1,
    });
    expect(different.status).toBe(409);
    const after = await owner.get('/api/v1/platform-billing');
    expect(after.body).toMatchObject({ state: 'active', balanceCents: 0 });
    expect((await owner.get('/api/v1/platform-billing/payments')).body.items).toHaveLength(1);

    const unknown = await finance.client.post('/api/v1/platform/billing/bank-payments', {
      reference: 'KIU-NOSUCH',
      amountCents: 20_000,
      bankTransactionId: `BANK-UNKNOWN-${isp.tenantId}`,
    });
    expect(unknown.status).toBe(201);
    expect(unknown.body).toMatchObject({ tenantId: null, status: 'unmatched' });
    const unmatched = await finance.client.get('/api/v1/platform/billing/payments?status=unmatched');
    expect(unmatched.body.items.map((payment: { id: string }) => payment.id)).toContain(unknown.body.id);
    const matched = await finance.client.post(`/api/v1/platform/billing/payments/${unknown.body.id}/match`, {
      tenantId: isp.tenantId,
    });
    expect(matched.status).toBe(200);
    expect((await owner.get('/api/v1/platform-billing')).body.balanceCents).toBe(-20_000);

    // ISP accounts never reach the platform's billing API.
    expect((await owner.get('/api/v1/platform/billing/tenants')).status).toBe(403);
    expect((await owner.post('/api/v1/platform/billing/bank-payments', slip)).status).toBe(403);
  });
});

describe('PayPal', () => {
  it('creates a USD order at the fixed rate, captures it after approval, once', async () => {
    const isp = await registerIsp('tier2');
    clock.advance(25 * HOUR_MS);
    await runBilling();
    const owner = await login(baseUrl, isp);
    const order = await owner.post('/api/v1/platform-billing/paypal/orders', {});
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({
      amountCents: 150_000,
      paidCurrency: 'USD',
      paidAmountMinor: Math.ceil((150_000 * 100) / KES_CENTS_PER_USD),
      exchangeRateKesCents: KES_CENTS_PER_USD,
    });
    const orderId: string = order.body.orderId;
    const early = await owner.post(`/api/v1/platform-billing/paypal/orders/${orderId}/capture`);
    expect(early.status).toBe(409);

    // The ISP follows the approval link; PayPal sends the browser back to our return URL.
    const approval = await fetch(order.body.approveUrl, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    expect(approval.headers.get('location')).toContain(
      `${baseUrl}/api/v1/platform-billing/paypal/return?token=${orderId}`,
    );

    const captured = await owner.post(`/api/v1/platform-billing/paypal/orders/${orderId}/capture`);
    expect(captured.status).toBe(200);
    expect(captured.body.status).toBe('paid');
    const twice = await owner.post(`/api/v1/platform-billing/paypal/orders/${orderId}/capture`);
    expect(twice.body).toMatchObject({ status: 'paid', paymentId: captured.body.paymentId });
    const payments = await owner.get('/api/v1/platform-billing/payments');
    expect(payments.body.items).toHaveLength(1);
    expect(payments.body.items[0]).toMatchObject({
      provider: 'paypal',
      amountCents: 150_000,
      paidCurrency: 'USD',
      paidAmountMinor: 1163,
      exchangeRateKesCents: KES_CENTS_PER_USD,
    });
    expect((await owner.get('/api/v1/platform-billing')).body).toMatchObject({
      state: 'active',
      balanceCents: 0,
    });
  });
});

describe('tiers', () => {
  it('moves an ISP to Tier 2 when its monthly revenue reaches Ksh 10,000, and back when it falls, with notices', async () => {
    const isp = await registerIsp('tier1');
    clock.advance(25 * HOUR_MS);
    await runBilling();
    // Ksh 12,000 of hotspot sales through Kiunga in its first month.
    await databases.forTenant(isp.tenantId).run(
      `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, status, received_at)
         VALUES (?, 'mpesa_stk', ?, ?, 'matched', ?)`,
      [`pay_test_${isp.tenantId}`, `RCPT${process.pid}`, 1_200_000, clock.now() + DAY_MS],
    );

    clock.advance(32 * DAY_MS);
    await runBilling();
    let owner = await login(baseUrl, isp);
    let status = await owner.get('/api/v1/platform-billing');
    expect(status.body.tier).toBe('tier2');
    expect(status.body.notices.map((notice: { kind: string }) => notice.kind)).toContain(
      'tier_revenue_at_or_above_threshold',
    );
    let charges = (await owner.get('/api/v1/platform-billing/charges')).body.items as Array<{
      kind: string;
      tier: string;
      amountCents: number;
    }>;
    expect(charges[0]).toMatchObject({ kind: 'monthly', tier: 'tier2', amountCents: 150_000 });
    const audit = await databases.platform.all<{ detail: string }>(
      `SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'platform_billing.tier_change'`,
      [isp.tenantId],
    );
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      from: 'tier1',
      to: 'tier2',
      revenueCents: 1_200_000,
    });

    clock.advance(31 * DAY_MS);
    await runBilling();
    owner = await login(baseUrl, isp);
    status = await owner.get('/api/v1/platform-billing');
    expect(status.body).toMatchObject({ tier: 'tier1', featureChoice: 'hotspot' });
    expect(status.body.notices.map((notice: { kind: string }) => notice.kind)).toContain(
      'tier_revenue_below_threshold',
    );
    charges = (await owner.get('/api/v1/platform-billing/charges')).body.items;
    expect(charges[0]).toMatchObject({ kind: 'monthly', tier: 'tier1', amountCents: 50_000 });
    // The registration fee was charged once, in the first month.
    expect(charges.filter((charge) => charge.kind === 'registration')).toHaveLength(1);
  });

  it('lets the owner opt into Tier 2, which unlocks PPPoE for a Tier 1 hotspot ISP', async () => {
    const isp = await registerIsp('tier1');
    const owner = await login(baseUrl, isp);
    const pppoePlan = {
      name: 'Home 10',
      kind: 'pppoe',
      priceCents: 150_000,
      billingCycleMonths: 1,
      rateUpKbps: 5_000,
      rateDownKbps: 10_000,
    };
    const before = await owner.post('/api/v1/plans', pppoePlan);
    expect(before.status).toBe(403);
    const chosen = await owner.post('/api/v1/platform-billing/tier', { tier: 'tier2' });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ tier: 'tier2', optedTier2: true });
    expect(chosen.body.notices[0].kind).toBe('tier_opted_tier2');
    const after = await owner.post('/api/v1/plans', pppoePlan);
    expect(after.status).not.toBe(403);
  });
});

describe('isolation', () => {
  it("gives an ISP its own platform billing only, and no one else's payment", async () => {
    const first = await registerIsp('tier2');
    const second = await registerIsp('tier2');
    clock.advance(25 * HOUR_MS);
    await runBilling();
    const firstOwner = await login(baseUrl, first);
    const secondOwner = await login(baseUrl, second);
    const firstStatus = await firstOwner.get('/api/v1/platform-billing');
    const secondStatus = await secondOwner.get('/api/v1/platform-billing');
    expect(firstStatus.body.tenantId).toBe(first.tenantId);
    expect(secondStatus.body.tenantId).toBe(second.tenantId);
    expect(firstStatus.body.bankReference).not.toBe(secondStatus.body.bankReference);
    const started = await firstOwner.post('/api/v1/platform-billing/mpesa', { phone: '0700000001' });
    expect(started.status).toBe(202);
    await daraja.settled();
    expect((await secondOwner.get(`/api/v1/platform-billing/intents/${started.body.id}`)).status).toBe(404);
    expect((await firstOwner.get(`/api/v1/platform-billing/intents/${started.body.id}`)).body.status).toBe(
      'failed',
    );
    const order = await firstOwner.post('/api/v1/platform-billing/paypal/orders', {});
    paypal.approve(order.body.orderId);
    expect(
      (await secondOwner.post(`/api/v1/platform-billing/paypal/orders/${order.body.orderId}/capture`)).status,
    ).toBe(404);
    // Staff of an ISP do not manage its Kiunga subscription either.
    const staff = await createAccount(baseUrl, firstOwner, {
      scope: 'isp',
      kind: 'isp_staff',
      roleName: 'manager',
    });
    expect((await staff.client.get('/api/v1/platform-billing')).status).toBe(403);
  });
});

describe('platform STK reconciliation', () => {
  it('asks Daraja about a payment whose callback never came, and gives up on it after half an hour', async () => {
    const isp = await registerIsp('tier2');
    clock.advance(25 * HOUR_MS);
    await runBilling();
    const owner = await login(baseUrl, isp);
    const started = await owner.post('/api/v1/platform-billing/mpesa', { phone: '0700000008' });
    expect(started.status).toBe(202);
    await daraja.settled();
    clock.advance(3 * 60_000);
    expect(await reconcilePlatformStkPayments(dependencies)).toEqual({ paid: 0, failed: 0 });
    expect(
      (await (await login(baseUrl, isp)).get(`/api/v1/platform-billing/intents/${started.body.id}`)).body
        .status,
    ).toBe('pending');
    clock.advance(31 * 60_000);
    expect(await reconcilePlatformStkPayments(dependencies)).toEqual({ paid: 0, failed: 1 });
    expect(
      (await (await login(baseUrl, isp)).get(`/api/v1/platform-billing/intents/${started.body.id}`)).body
        .status,
    ).toBe('failed');
  });
});
