// End to end against the Daraja simulator over HTTP: the C2B API version an app is subscribed to,
// tills and masked numbers, the callback edge cases, and the captive portal's money edges (no M-Pesa,
// push limits per number and address per ISP, voucher recovery by M-Pesa receipt).
import { request } from 'node:http';
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { queryTenant } from './support/data-access';
import { requestFrom } from './support/from-address';
import {
  type DemoJson,
  type MpesaDemoTenant,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { type PurchaseView, settledPurchase } from './support/portal-purchases';
import { sendWholeBodyThenRead } from './support/raw-http';

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;
let daraja: DarajaSimulator;

/** The second demo ISP has no M-Pesa; these are the Daraja app and shortcodes it is given here. */
const SECOND_ISP_MPESA = {
  shortcode: '600900',
  consumerKey: 'second-isp-key',
  consumerSecret: 'second-isp-secret',
  passkey: 'second-isp-passkey',
};
const SECOND_ISP_TILL = '600901';
/** Each describe block buys from its own loopback address, so per-address limits never mix. */
const ADDRESS = {
  phoneLimit: '127.0.0.11',
  addressLimit: '127.0.0.12',
  otherAddress: '127.0.0.13',
  recovery: '127.0.0.14',
  recoveryGuesser: '127.0.0.15',
  recoveryOwner: '127.0.0.16',
  edges: '127.0.0.17',
} as const;

const first = () => demo.tenants[0]! as MpesaDemoTenant;
const second = () => demo.tenants[1]!;
const hotspotPlan = (tenant: { plans: DemoJson['tenants'][number]['plans'] } = first()) =>
  tenant.plans.find((plan) => plan.kind === 'hotspot')!;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  const { mpesa } = first();
  daraja = await startDarajaSimulator({
    port: 0,
    apps: [
      // An older Daraja app, subscribed to C2B v1 only: registering on v2 (the default) is refused.
      { consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret, c2bApiVersions: ['v1'] },
      { consumerKey: SECOND_ISP_MPESA.consumerKey, consumerSecret: SECOND_ISP_MPESA.consumerSecret },
    ],
    shortcodes: [
      { shortcode: mpesa.shortcode, passkey: mpesa.passkey },
      { shortcode: SECOND_ISP_MPESA.shortcode, passkey: SECOND_ISP_MPESA.passkey },
      { shortcode: SECOND_ISP_TILL, passkey: SECOND_ISP_MPESA.passkey, kind: 'till' },
    ],
    callbackDelayMs: 30,
  });
  // Info level: the test reads every log line for callback tokens.
  kiunga = await startKiunga(dataDir, { KIUNGA_MPESA_BASE_URL: daraja.baseUrl, KIUNGA_LOG_LEVEL: 'info' });
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  await daraja?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

function portalUrl(slug: string, path = ''): string {
  return `${kiunga.baseUrl}/portal/${slug}${path}`;
}

async function buyFrom(address: string, phone: string, tenant: { slug: string } = first(), planId?: string) {
  const response = await requestFrom(address, portalUrl(tenant.slug, '/api/purchases'), {
    json: { planId: planId ?? hotspotPlan(first()).id, phone },
  });
  return {
    status: response.status,
    body: response.json<{ id: string; status: string; error?: { code: string; message: string } }>(),
  };
}

function settle(slug: string, purchaseId: string): Promise<PurchaseView> {
  return settledPurchase(daraja, kiunga.baseUrl, slug, purchaseId);
}

function lastStkTo(phone: string) {
  return daraja
    .state()
    .stkTransactions.filter((transaction) => transaction.phone === phone)
    .at(-1)!;
}

/** The outcome recorded on the newest raw callback of `kind` (stk, c2b_confirmation). */
async function lastCallbackOutcome(kind: string) {
  const row = await queryTenant<{ outcome: string }>(
    dataDir,
    first().id,
    'SELECT outcome FROM provider_callbacks WHERE kind = ? ORDER BY id DESC LIMIT 1',
    kind,
  );
  return row?.outcome;
}

async function registrationSettled(owner: ApiClient) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const settings = (await owner.get('/api/v1/settings/mpesa')).body;
    if (settings.c2bRegistration && settings.c2bRegistration.status !== 'pending') return settings;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('C2B registration stayed pending');
}

describe('C2B URL registration on the version of the Daraja app', () => {
  it('reports an app without C2B v2 as that, and registers on v1 once the ISP switches', async () => {
    const owner = await login(kiunga.baseUrl, first().owner);
    const refused = await registrationSettled(owner);
    expect(refused.c2bApiVersion).toBe('v2');
    expect(refused.c2bRegistration).toMatchObject({
      status: 'failed',
      errorCode: 'mpesa_product_not_subscribed',
    });
    expect(refused.c2bRegistration.lastError).toMatch(/not subscribed to the C2B v2 product/);
    expect(refused.c2bRegistration.lastError).toMatch(/Set the C2B API version to v1/);
    expect(daraja.state().c2bRegistrations).toEqual([]);
    // Only the version changes: the saved credentials are kept.
    const switched = await owner.request('PUT', '/api/v1/settings/mpesa', {
      shortcode: first().mpesa.shortcode,
      c2bApiVersion: 'v1',
    });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({
      c2bApiVersion: 'v1',
      c2bRegistration: { status: 'registered', errorCode: null },
    });
    expect(daraja.state().c2bRegistrations).toEqual([
      expect.objectContaining({ shortcode: first().mpesa.shortcode, apiVersion: 'v1' }),
    ]);
  });
});

describe('a portal whose ISP has no M-Pesa', () => {
  it('offers vouchers only, says payments are not set up, and the purchase API says so by code', async () => {
    const page = await (await fetch(portalUrl(second().slug))).text();
    expect(page).not.toContain('id="buy"');
    expect(page).toContain('Payments are not set up on this network yet');
    expect(page).toContain('I have a voucher');
    const purchase = await buyFrom(ADDRESS.edges, '0712345678', second(), hotspotPlan(second()).id);
    expect(purchase.status).toBe(409);
    expect(purchase.body.error?.code).toBe('mpesa_not_configured');
    expect(daraja.state().stkTransactions.filter((item) => item.shortcode === '600900')).toEqual([]);
  });
});

describe('STK push limits', () => {
  beforeAll(async () => {
    const owner = await login(kiunga.baseUrl, second().owner);
    const saved = await owner.request('PUT', '/api/v1/settings/mpesa', SECOND_ISP_MPESA);
    expect(saved.body.c2bRegistration.status).toBe('registered');
  });

  it('counts one number however it is written, and only on the ISP it was asked on', async () => {
    const forms = ['0712 000 001', '+254712000001', '254712000001', '0712-000-001', '0712000001'];
    for (const phone of forms) expect((await buyFrom(ADDRESS.phoneLimit, phone)).status).toBe(202);
    const sixth = await buyFrom(ADDRESS.phoneLimit, '+254 712 000 001');
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toMatchObject({ code: 'rate_limited' });
    expect(sixth.body.error?.message).toMatch(/this number\. Try again in 10 minutes\./);
    // The other ISP's portal still takes the number.
    const elsewhere = await buyFrom(ADDRESS.phoneLimit, '0712000001', second(), hotspotPlan(second()).id);
    expect(elsewhere.status).toBe(202);
  });

  it('stops one address ringing a list of phones at thirty, and not the next address', async () => {
    for (let index = 0; index < 30; index += 1) {
      const phone = `07120001${index.toString().padStart(2, '0')}`;
      expect((await buyFrom(ADDRESS.addressLimit, phone)).status).toBe(202);
    }
    const thirtyFirst = await buyFrom(ADDRESS.addressLimit, '0712000199');
    expect(thirtyFirst.status).toBe(429);
    expect(thirtyFirst.body.error?.message).toMatch(/from this network\. Try again in 10 minutes\./);
    expect((await buyFrom(ADDRESS.otherAddress, '0712000199')).status).toBe(202);
  });
});

describe('voucher recovery', () => {
  const recover = (address: string, fields: Record<string, string>) =>
    requestFrom(address, portalUrl(first().slug, '/recover'), { form: fields });

  it("answers the voucher of the receipt's purchase, and nothing for a phone number alone", async () => {
    const firstBuy = await buyFrom(ADDRESS.recovery, '0712 000 222');
    const firstPaid = await settle(first().slug, firstBuy.body.id);
    const firstReceipt = lastStkTo('254712000222').mpesaReceiptNumber!;
    const secondBuy = await buyFrom(ADDRESS.recovery, '0712 000 222');
    const secondPaid = await settle(first().slug, secondBuy.body.id);
    expect(firstPaid.voucherCode).not.toBe(secondPaid.voucherCode);

    const phoneOnly = await recover(ADDRESS.recovery, { phone: '0712000222' });
    expect(phoneOnly.text).not.toContain(firstPaid.voucherCode!);
    expect(phoneOnly.text).not.toContain(secondPaid.voucherCode!);
    const otherPhone = await recover(ADDRESS.recovery, { phone: '0712000223', receipt: firstReceipt });
    expect(otherPhone.text).toContain('No paid voucher matches this number and M-Pesa code');
    const proven = await recover(ADDRESS.recovery, {
      phone: '+254712000222',
      receipt: `${firstReceipt} Confirmed.`,
    });
    expect(proven.status).toBe(200);
    expect(proven.text).toContain(`Your voucher code is ${firstPaid.voucherCode}.`);
    expect(proven.text).not.toContain(secondPaid.voucherCode!);
  });

  it('limits tries per address, with when to try again', async () => {
    const buy = await buyFrom(ADDRESS.recoveryOwner, '0712 000 444');
    const paid = await settle(first().slug, buy.body.id);
    const receipt = lastStkTo('254712000444').mpesaReceiptNumber!;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const guess = await recover(ADDRESS.recoveryGuesser, {
        phone: '0712000444',
        receipt: `GUESS${attempt}ABCD`,
      });
      expect(guess.status).toBe(200);
    }
    const limited = await recover(ADDRESS.recoveryGuesser, { phone: '0712000444', receipt });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many tries. Try again in 15 minutes.');
    expect(limited.text).not.toContain(paid.voucherCode!);
    const owner = await recover(ADDRESS.recoveryOwner, { phone: '0712000444', receipt });
    expect(owner.text).toContain(`Your voucher code is ${paid.voucherCode}.`);
  });
});

describe('M-Pesa results and C2B payments as Daraja sends them', () => {
  it('tells the buyer ResultCode 1031 is a cancel, like 1032', async () => {
    const started = await buyFrom(ADDRESS.edges, '0700 000 009');
    const failed = await settle(first().slug, started.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'mpesa_cancelled' });
    expect(failed.error?.message).toMatch(/You cancelled the M-Pesa request/);
  });

  it("accepts a till payment without an account number, masked number and all, into the ISP's unmatched queue", async () => {
    const owner = await login(kiunga.baseUrl, second().owner);
    const till = await owner.request('PUT', '/api/v1/settings/mpesa', {
      shortcode: SECOND_ISP_MPESA.shortcode,
      transactionType: 'CustomerBuyGoodsOnline',
      partyB: SECOND_ISP_TILL,
    });
    expect(till.body.c2bRegistration.status).toBe('registered');
    const payment = await daraja.payC2b({ shortcode: SECOND_ISP_TILL, msisdn: '254712345678', amount: 250 });
    expect(payment.outcome).toBe('confirmed');
    expect(payment.validation?.responseBody).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    expect(payment.body).toMatchObject({
      TransactionType: 'Buy Goods',
      BillRefNumber: '',
      MSISDN: '2547 ***** 678',
    });
    const unmatched = await owner.get('/api/v1/payments?status=unmatched');
    const queued = unmatched.body.items.find(
      (item: { providerTransactionId: string }) => item.providerTransactionId === payment.transId,
    );
    expect(queued).toMatchObject({
      status: 'unmatched',
      amountCents: 25_000,
      phone: '2547 ***** 678',
      accountReference: '',
    });
    const subscriber = second().subscribers[0]!;
    const assigned = await owner.post(`/api/v1/payments/${queued.id}/assign`, {
      subscriberId: subscriber.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'matched', matchedId: subscriber.id });
  });
});

describe('callback edge cases', () => {
  const stkUrl = () =>
    daraja.state().stkTransactions.find((item) => item.shortcode === first().mpesa.shortcode)!.callbackUrl;
  const confirmationUrl = () =>
    daraja.state().c2bRegistrations.find((item) => item.shortcode === first().mpesa.shortcode)!
      .confirmationUrl;
  const validationUrl = () =>
    daraja.state().c2bRegistrations.find((item) => item.shortcode === first().mpesa.shortcode)!.validationUrl;

  function c2bBody(transId: string, amount: string) {
    return {
      TransactionType: 'Pay Bill',
      TransID: transId,
      TransTime: '20261205120000',
      TransAmount: amount,
      BusinessShortCode: first().mpesa.shortcode,
      BillRefNumber: first().subscribers[0]!.accountNumber,
      InvoiceNumber: '',
      OrgAccountBalance: '',
      ThirdPartyTransID: '',
      MSISDN: '2547 ***** 126',
      FirstName: 'NICHOLAS',
    };
  }

  async function postJson(url: string, body: unknown) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('records a receipt already used for another purchase as a conflict, not a second voucher, with 200', async () => {
    const paidBuy = await buyFrom(ADDRESS.edges, '0712 000 555');
    const paid = await settle(first().slug, paidBuy.body.id);
    expect(paid.status).toBe('paid');
    const usedReceipt = lastStkTo('254712000555').mpesaReceiptNumber!;
    const pendingBuy = await buyFrom(ADDRESS.edges, '0700 000 008');
    await daraja.settled();
    const pending = lastStkTo('254700000008');
    const vouchersBefore = await queryTenant<{ count: number }>(
      dataDir,
      first().id,
      'SELECT COUNT(*) AS count FROM vouchers',
    );
    const answer = await postJson(pending.callbackUrl, {
      Body: {
        stkCallback: {
          MerchantRequestID: pending.merchantRequestId,
          CheckoutRequestID: pending.checkoutRequestId,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: pending.amount },
              { Name: 'MpesaReceiptNumber', Value: usedReceipt },
              { Name: 'Balance' },
              { Name: 'TransactionDate', Value: 20261205120000 },
              { Name: 'PhoneNumber', Value: 254700000008 },
            ],
          },
        },
      },
    });
    expect(answer).toEqual({ status: 200, body: { ResultCode: 0, ResultDesc: 'Accepted' } });
    const view = (await (
      await fetch(portalUrl(first().slug, `/api/purchases/${pendingBuy.body.id}`))
    ).json()) as PurchaseView;
    expect(view).toMatchObject({ status: 'failed', error: { code: 'mpesa_receipt_already_used' } });
    expect(view.voucherCode).toBeUndefined();
    expect(
      await queryTenant<{ count: number }>(dataDir, first().id, 'SELECT COUNT(*) AS count FROM vouchers'),
    ).toEqual(vouchersBefore);
    expect(await lastCallbackOutcome('stk')).toBe('receipt_conflict');
  });

  it('acknowledges a C2B confirmation of "0" and records nothing but the raw body; validation refuses it', async () => {
    const validation = await postJson(validationUrl(), c2bBody('ZERO000001', '0'));
    expect(validation.body).toEqual({ ResultCode: 'C2B00013', ResultDesc: 'Rejected' });
    const confirmation = await postJson(confirmationUrl(), c2bBody('ZERO000001', '0'));
    expect(confirmation).toEqual({ status: 200, body: { ResultCode: '0', ResultDesc: 'Accepted' } });
    expect(
      await queryTenant(
        dataDir,
        first().id,
        `SELECT id FROM payments WHERE provider_transaction_id = 'ZERO000001'`,
      ),
    ).toBeUndefined();
    expect(
      await queryTenant<{ outcome: string; body: string }>(
        dataDir,
        first().id,
        `SELECT outcome, body FROM provider_callbacks WHERE kind = 'c2b_confirmation' ORDER BY id DESC LIMIT 1`,
      ),
    ).toMatchObject({ outcome: 'invalid_amount', body: expect.stringContaining('ZERO000001') });
  });

  it('answers a C2B confirmation whose TransID is an STK receipt as a duplicate: the money is counted once', async () => {
    const buy = await buyFrom(ADDRESS.edges, '0712 000 666');
    await settle(first().slug, buy.body.id);
    const stk = lastStkTo('254712000666');
    const answer = await postJson(confirmationUrl(), c2bBody(stk.mpesaReceiptNumber!, `${stk.amount}.00`));
    expect(answer.status).toBe(200);
    expect(
      await queryTenant<{ count: number }>(
        dataDir,
        first().id,
        'SELECT COUNT(*) AS count FROM payments WHERE provider_transaction_id = ?',
        stk.mpesaReceiptNumber!,
      ),
    ).toEqual({ count: 1 });
    expect(await lastCallbackOutcome('c2b_confirmation')).toBe('duplicate');
  });

  it('answers a body over 64 KB with 413, declared or chunked, and keeps its start with the outcome', async () => {
    const oversized = JSON.stringify({ Body: { padding: 'x'.repeat(70 * 1024) } });
    const declared = await fetch(stkUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: oversized,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: { code: 'payload_too_large', message: 'The request body is too large.' },
    });
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request(
        confirmationUrl(),
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (incoming) => {
          let text = '';
          incoming.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
        },
      );
      outgoing.on('error', reject);
      for (let index = 0; index < 70; index += 1) outgoing.write('y'.repeat(1024));
      outgoing.end();
    });
    expect(chunked.status).toBe(413);
    const kept = await queryTenant<{ outcome: string; length: number }>(
      dataDir,
      first().id,
      `SELECT outcome, length(body) AS length FROM provider_callbacks WHERE kind = 'c2b_confirmation' ORDER BY id DESC LIMIT 1`,
    );
    expect(kept).toEqual({ outcome: 'too_large', length: 4096 });
  });

  it('a Daraja client that sends a whole oversized callback before reading still reads the 413, not a reset', async () => {
    // RFC 9112 §9.6: closing at once while the body still arrives resets the connection and the sender
    // loses the answer; the callback routes close in stages as the rest of the API does.
    for (const isChunked of [false, true]) {
      const url = new URL(confirmationUrl());
      const answer = await sendWholeBodyThenRead(url.origin, {
        path: url.pathname,
        headers: { 'Content-Type': 'application/json' },
        bodyBytes: 8 * 1024 * 1024,
        isChunked,
      });
      expect(answer.writeError, `chunked: ${isChunked}`).toBeUndefined();
      expect(answer.text, `chunked: ${isChunked}`).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.text).toContain('"code":"payload_too_large"');
    }
  });

  it('answers a wrong token with 404 and never writes a callback token to the log', async () => {
    const url = new URL(stkUrl());
    const segments = url.pathname.split('/');
    const token = segments[4]!;
    segments[4] = 'f'.repeat(32);
    const forged = await fetch(`${url.origin}${segments.join('/')}`, { method: 'POST', body: '{}' });
    expect(forged.status).toBe(404);
    const log = kiunga.output();
    expect(log).toContain('mpesa stk callback');
    expect(log).toContain('M-Pesa callback body over the limit');
    expect(log).not.toContain(token);
    expect(log).not.toContain('/callbacks/mm/');
  });
});
