// M-Pesa's C2B callbacks in-process (app.request() on test databases, no server): validation answers,
// a confirmation recorded once with its ledger transfer, replays changing nothing, and one ISP's
// callback URL never reaching another ISP's books.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMonthlySubscriber } from '../billing/test-tenant';
import { openTwoIspApp, type TwoIspApp } from '../kernel/testing/in-process-app';
import { LedgerAccount, loadAccountTransfers } from '../ledger/ledger';
import { callbackUrls } from './callback-addresses';

let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = await openTwoIspApp();
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  await insertMonthlySubscriber(database, {
    id: 'sub_achieng',
    accountNumber: 'ACC-2001',
    priceCents: 150_000,
    createdAt: testApp.clock.now(),
  });
});
afterAll(() => testApp.close());

/** The path part of a callback URL this server hands Daraja. */
function pathOf(url: string): string {
  return new URL(url).pathname;
}

function c2bBody(transId: string, amountShillings: string, billRefNumber: string) {
  return {
    TransactionType: 'Pay Bill',
    TransID: transId,
    TransTime: '20260101100000',
    TransAmount: amountShillings,
    BusinessShortCode: '600000',
    BillRefNumber: billRefNumber,
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    MSISDN: '254712345678',
    FirstName: 'Achieng',
  };
}

async function post(path: string, body: unknown): Promise<Response> {
  return testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const ledgerOfA = () =>
  loadAccountTransfers(
    testApp.dependencies.databases.forTenant(testApp.ispA.tenantId),
    LedgerAccount.subscriber('sub_achieng'),
  );

describe('M-Pesa C2B callbacks', () => {
  it('accepts a payment to a known account and refuses an unknown one or a body that is not C2B', async () => {
    const urls = callbackUrls(testApp.dependencies, testApp.ispA.tenantId);
    const known = await post(pathOf(urls.c2bValidation), c2bBody('VAL0000001', '1500.00', 'acc-2001'));
    expect(await known.json()).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    const unknown = await post(pathOf(urls.c2bValidation), c2bBody('VAL0000002', '1500.00', 'ACC-9999'));
    expect(await unknown.json()).toMatchObject({ ResultCode: 'C2B00012' });
    const garbled = await post(pathOf(urls.c2bValidation), '{"TransID":');
    expect(await garbled.json()).toMatchObject({ ResultCode: 'C2B00016' });
  });

  it('records a confirmation once, as a payment and its transfer, and a replay changes nothing', async () => {
    const path = pathOf(callbackUrls(testApp.dependencies, testApp.ispA.tenantId).c2bConfirmation);
    const confirmation = c2bBody('CNF0000001', '1500.00', 'ACC-2001');
    expect((await post(path, confirmation)).status).toBe(200);
    const payments = (await (await testApp.ispA.request('GET', '/api/v1/payments')).json()) as {
      items: { providerTransactionId: string; amountCents: number; matchedId: string | null }[];
    };
    expect(
      payments.items.map((payment) => [
        payment.providerTransactionId,
        payment.amountCents,
        payment.matchedId,
      ]),
    ).toEqual([['CNF0000001', 150_000, 'sub_achieng']]);
    const ledger = await ledgerOfA();
    expect(ledger.map((entry) => [entry.id, entry.debitAccount, entry.amount])).toEqual([
      ['mpesa:CNF0000001', LedgerAccount.mpesaClearing, 150_000],
    ]);
    expect((await post(path, confirmation)).status).toBe(200);
    expect((await post(path, { ...confirmation, TransAmount: '9999.00' })).status).toBe(200);
    expect(await ledgerOfA()).toEqual(ledger);
  });

  it('answers 404 to a wrong token, and ISP B’s URL or API never reaches ISP A’s account', async () => {
    const urlsOfA = callbackUrls(testApp.dependencies, testApp.ispA.tenantId);
    const urlsOfB = callbackUrls(testApp.dependencies, testApp.ispB.tenantId);
    const tokenOfB = pathOf(urlsOfB.c2bConfirmation).split('/')[4]!;
    const [, , , segmentOfA] = pathOf(urlsOfA.c2bConfirmation).split('/');
    const before = await ledgerOfA();
    const forged = await post(
      `/callbacks/mm/${segmentOfA}/${tokenOfB}/c2b/confirmation`,
      c2bBody('FRG0000001', '10.00', 'ACC-2001'),
    );
    expect(forged.status).toBe(404);
    expect(
      (await post(pathOf(urlsOfB.c2bConfirmation), c2bBody('ISB0000001', '10.00', 'ACC-2001'))).status,
    ).toBe(200);
    expect(await ledgerOfA()).toEqual(before);
    const paymentsOfB = (await (await testApp.ispB.request('GET', '/api/v1/payments')).json()) as {
      items: { providerTransactionId: string; matchedId: string | null }[];
    };
    expect(paymentsOfB.items.map((payment) => [payment.providerTransactionId, payment.matchedId])).toEqual([
      ['ISB0000001', null],
    ]);
  });
});
