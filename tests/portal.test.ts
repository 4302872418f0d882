// End to end: a hotspot client buys a package through the captive portal with M-Pesa (the Daraja
// simulator over HTTP), gets exactly one voucher, and logs in over RADIUS with it.
import { type DarajaSimulator, startDarajaSimulator } from '@kiunga/ops/sim/daraja';
import type { SqlValue } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import { queryTenant } from './support/data-access';
import {
  type DemoJson,
  type MpesaDemoTenant,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { settledPurchase } from './support/portal-purchases';
import { radclient } from './support/radclient';

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;
let daraja: DarajaSimulator;

const tenant = () => demo.tenants[0]! as MpesaDemoTenant;
const hotspotPlan = () => tenant().plans.find((plan) => plan.kind === 'hotspot')!;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  const { mpesa } = tenant();
  daraja = await startDarajaSimulator({
    port: 0,
    apps: [{ consumerKey: mpesa.consumerKey, consumerSecret: mpesa.consumerSecret }],
    shortcodes: [{ shortcode: mpesa.shortcode, passkey: mpesa.passkey, externalValidation: true }],
    callbackDelayMs: 50,
  });
  kiunga = await startKiunga(dataDir, { KIUNGA_MPESA_BASE_URL: daraja.baseUrl });
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  await daraja?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

async function buy(phone: string, planId = hotspotPlan().id) {
  const response = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ planId, phone, mac: '02:00:00:00:77:01' }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { id: string; status: string; error?: { code: string } },
  };
}

function settle(purchaseId: string) {
  return settledPurchase(daraja, kiunga.baseUrl, tenant().slug, purchaseId);
}

async function countRows(sql: string, ...parameters: SqlValue[]): Promise<number> {
  return (await queryTenant<{ count: number }>(dataDir, tenant().id, sql, ...parameters))?.count ?? 0;
}

describe('captive portal purchase with M-Pesa', () => {
  it('shows the branded packages', async () => {
    const response = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}?mac=02:00:00:00:77:01`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Kilimani Net');
    expect(html).toContain(hotspotPlan().name);
    expect(html).toContain('Ksh 10');
  });

  it('turns a paid STK push into a voucher that logs in over RADIUS', async () => {
    const started = await buy('0700 000 000');
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('pending');
    const paid = await settle(started.body.id);
    expect(paid.status).toBe('paid');
    expect(paid.voucherCode).toMatch(/^[A-Z2-9]{8}$/);
    const login = await radclient({
      server: `127.0.0.1:${kiunga.authPort}`,
      command: 'auth',
      secret: tenant().nas[0]!.secret,
      attributes: {
        'User-Name': paid.voucherCode!,
        'User-Password': paid.voucherCode!,
        'Calling-Station-Id': '02:00:00:00:77:01',
      },
    });
    expect(login.code).toBe('Access-Accept');
    expect(login.attributes['Session-Timeout']).toBe('3600');
  });

  it('issues exactly one voucher however many callbacks arrive', async () => {
    daraja.setDuplicateCallbacks(3);
    try {
      const started = await buy('0700000000');
      const paid = await settle(started.body.id);
      expect(paid.status).toBe('paid');
      await daraja.settled();
      expect(
        await countRows(
          'SELECT COUNT(*) AS count FROM purchases WHERE id = ? AND voucher_id IS NOT NULL',
          started.body.id,
        ),
      ).toBe(1);
      const receipt = await countRows(
        `SELECT COUNT(*) AS count FROM payments WHERE matched_id = ?`,
        started.body.id,
      );
      expect(receipt).toBe(1);
      expect(
        await countRows(
          `SELECT COUNT(*) AS count FROM vouchers WHERE batch_id IN (SELECT batch_id FROM vouchers WHERE code = ?)`,
          paid.voucherCode!,
        ),
      ).toBe(1);
      expect(
        await countRows(`SELECT COUNT(*) AS count FROM provider_callbacks WHERE outcome = 'duplicate'`),
      ).toBeGreaterThanOrEqual(3);
    } finally {
      daraja.setDuplicateCallbacks(0);
    }
  });

  const failures: Array<[string, string, RegExp]> = [
    ['0700000001', 'mpesa_cancelled', /cancelled/],
    ['0700000002', 'mpesa_timeout', /timed out/],
    ['0700000003', 'mpesa_insufficient_funds', /balance is too low/],
    ['0700000004', 'mpesa_wrong_pin', /PIN was wrong/],
  ];
  for (const [phone, code, message] of failures) {
    it(`tells the client what to do when M-Pesa answers ${code}`, async () => {
      const started = await buy(phone);
      expect(started.status).toBe(202);
      const failed = await settle(started.body.id);
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe(code);
      expect(failed.error?.message).toMatch(message);
      expect(failed.voucherCode).toBeUndefined();
    });
  }

  it('refuses a phone number that is not Kenyan and an unknown plan, with JSON errors', async () => {
    const badPhone = await buy('12345');
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error?.code).toBe('validation_failed');
    const badPlan = await buy('0712345678', 'pln_missing');
    expect(badPlan.status).toBe(404);
  });

  it('ignores forged callbacks: a wrong URL token is 404, an unknown checkout changes nothing', async () => {
    const forged = {
      Body: {
        stkCallback: {
          MerchantRequestID: 'x',
          CheckoutRequestID: 'ws_CO_forged',
          ResultCode: 0,
          ResultDesc: 'ok',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: 10 },
              { Name: 'MpesaReceiptNumber', Value: 'FORGED1234' },
              { Name: 'TransactionDate', Value: 20261125120000 },
              { Name: 'PhoneNumber', Value: 254700000000 },
            ],
          },
        },
      },
    };
    const wrongToken = await fetch(`${kiunga.baseUrl}/callbacks/mm/${tenant().id}/not-the-token/stk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(wrongToken.status).toBe(404);
    const vouchersBefore = await countRows('SELECT COUNT(*) AS count FROM vouchers');
    const callbackUrl = daraja.state().stkTransactions.at(-1)?.callbackUrl;
    expect(callbackUrl).toBeDefined();
    const unknown = await fetch(callbackUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(await unknown.json()).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
    expect(await countRows('SELECT COUNT(*) AS count FROM vouchers')).toBe(vouchersBefore);
    expect(
      await countRows(`SELECT COUNT(*) AS count FROM provider_callbacks WHERE outcome = 'unmatched'`),
    ).toBeGreaterThanOrEqual(1);
  });

  it('gives a client who paid the voucher back for the M-Pesa receipt, never for the phone alone', async () => {
    const started = await buy('0700 000 000');
    const paid = await settle(started.body.id);
    const receipt = daraja
      .state()
      .stkTransactions.filter((transaction) => transaction.phone === '254700000000')
      .at(-1)?.mpesaReceiptNumber;
    expect(receipt).toMatch(/^[A-Z0-9]{10}$/);
    const recover = async (fields: Record<string, string>) =>
      (
        await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/recover`, {
          method: 'POST',
          body: new URLSearchParams(fields),
        })
      ).text();
    const phoneOnly = await recover({ phone: '0700000000' });
    expect(phoneOnly).not.toMatch(/[A-Z2-9]{8}\./);
    expect(phoneOnly).toContain('Enter the number you paid with');
    // Typed as people type: another phone format, the receipt in lower case.
    const proven = await recover({ phone: '+254 700 000 000', receipt: receipt!.toLowerCase() });
    expect(proven).toContain(`Your voucher code is ${paid.voucherCode}.`);
  });
});

describe('C2B paybill payments', () => {
  async function registered() {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (daraja.state().c2bRegistrations.length > 0) return daraja.state().c2bRegistrations.at(-1)!;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('C2B URLs were never registered');
  }

  it("registers the ISP's validation and confirmation URLs on start", async () => {
    const registration = await registered();
    // The tenant id as hex and a hex token: no word Daraja filters can appear (callback-addresses.ts).
    expect(registration.confirmationUrl).toMatch(
      new RegExp(`/callbacks/mm/${Buffer.from(tenant().id).toString('hex')}/[0-9a-f]{32}/c2b/confirmation$`),
    );
    expect(registration.apiVersion).toBe('v2');
  });

  it('matches a payment to the subscriber whose account number was the bill reference, once', async () => {
    await registered();
    const subscriber = tenant().subscribers[0]!;
    const payment = await daraja.payC2b({
      shortcode: tenant().mpesa.shortcode,
      msisdn: '254712000111',
      amount: '1500.00',
      billRefNumber: subscriber.accountNumber,
    });
    expect(payment.outcome).toBe('confirmed');
    await daraja.settled();
    expect(
      await countRows(
        `SELECT COUNT(*) AS count FROM payments WHERE matched_kind = 'subscriber' AND matched_id = ? AND amount_cents = 150000`,
        subscriber.id,
      ),
    ).toBe(1);
    expect(
      await countRows(
        `SELECT COUNT(*) AS count FROM ledger_entries WHERE credit_account = ? AND amount_cents = 150000`,
        `subscriber:${subscriber.id}`,
      ),
    ).toBe(1);
  });

  it('rejects an unknown account number at validation with C2B00012', async () => {
    await registered();
    const payment = await daraja.payC2b({
      shortcode: tenant().mpesa.shortcode,
      msisdn: '254712000111',
      amount: 100,
      billRefNumber: 'NO-SUCH-ACCT',
    });
    expect(payment.outcome).toBe('rejected');
    expect(JSON.stringify(payment.validation)).toContain('C2B00012');
  });
});

describe('ISP M-Pesa settings', () => {
  it('saves the shortcode and credentials sealed, registers the C2B URLs at once, and never reads secrets back', async () => {
    const owner = await login(kiunga.baseUrl, tenant().owner);
    const registeredBefore = daraja.state().c2bRegistrations.at(-1)?.registeredAt ?? 0;
    await new Promise((done) => setTimeout(done, 5));
    const { mpesa } = tenant();
    const saved = await owner.request('PUT', '/api/v1/settings/mpesa', {
      shortcode: mpesa.shortcode,
      consumerKey: mpesa.consumerKey,
      consumerSecret: mpesa.consumerSecret,
      passkey: mpesa.passkey,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      isConfigured: true,
      shortcode: mpesa.shortcode,
      transactionType: 'CustomerPayBillOnline',
      c2bRegistration: { status: 'registered' },
    });
    const registration = daraja.state().c2bRegistrations.find((entry) => entry.shortcode === mpesa.shortcode);
    expect(registration?.registeredAt).toBeGreaterThan(registeredBefore);
    expect(registration?.confirmationUrl).toContain(
      `/callbacks/mm/${Buffer.from(tenant().id).toString('hex')}/`,
    );
    const read = await owner.get('/api/v1/settings/mpesa');
    expect(read.text).not.toContain(mpesa.consumerSecret);
    expect(read.text).not.toContain(mpesa.passkey);
    const invalid = await owner.request('PUT', '/api/v1/settings/mpesa', {
      shortcode: '12',
      consumerKey: 'k',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    // The other ISP sees only its own (unconfigured) settings.
    const other = await login(kiunga.baseUrl, demo.tenants[1]!.owner);
    expect((await other.get('/api/v1/settings/mpesa')).body).toMatchObject({
      isConfigured: false,
      shortcode: null,
    });
  });
});
