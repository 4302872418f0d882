// The real QuickBooks client against the simulator over HTTP: OAuth code flow and refresh rotation,
// customers, invoices, payments, requestid replay, Intuit's validation faults, throttling.
import { AccountingApiError } from '@kiunga/control-api/integrations/accounting-common';
import { cents, ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectQuickBooks, QUICKBOOKS_TEST_APP } from './connect-client';
import { type QuickBooksSimulator, startQuickBooksSimulator } from './quickbooks-simulator';

describe('QuickBooks simulator with the real client', () => {
  let simulator: QuickBooksSimulator;
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 6));
  beforeAll(async () => {
    simulator = await startQuickBooksSimulator({
      port: 0,
      ...QUICKBOOKS_TEST_APP,
      clock,
    });
  });
  afterAll(async () => simulator?.stop());

  it('redirects with code, state and realmId; rotates refresh tokens and refuses the old one', async () => {
    const { app, store, redirect } = await connectQuickBooks(simulator, clock);
    expect(redirect.state).toBe('state-0123456789abcdef');
    expect(redirect.realmId).toBe(QUICKBOOKS_TEST_APP.realmId);
    const first = store.current();
    expect(first.refreshTokenExpiresAtMs).toBe(clock.now() + 8_726_400_000);
    const second = await app.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const refused = await app.refresh(first.refreshToken).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AccountingApiError);
    expect((refused as AccountingApiError).oauthError).toBe('invalid_grant');
    expect((refused as AccountingApiError).isReconnectNeeded).toBe(true);
  });

  it('refuses an unregistered redirect_uri without redirecting', async () => {
    const url = new URL(simulator.authorizeUrl);
    url.search = new URLSearchParams({
      client_id: 'qb-client',
      response_type: 'code',
      scope: 'com.intuit.quickbooks.accounting',
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
      state: 'state-0123456789abcdef',
    }).toString();
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(400);
  });

  it('creates a customer and an invoice once per requestid, and finds them again', async () => {
    const { client } = await connectQuickBooks(simulator, clock);
    const input = {
      displayName: 'Jane Wanjiru (ACC-1001)',
      phone: '+254712345678',
      notes: 'Kiunga subscriber sub_1',
    };
    const customer = await client.createCustomer(input, 'req-customer-1');
    expect((await client.createCustomer(input, 'req-customer-1')).Id).toBe(customer.Id);
    expect((await client.findCustomerByDisplayName('Jane Wanjiru (ACC-1001)'))?.Id).toBe(customer.Id);
    const duplicate = await client.createCustomer(input, 'req-customer-2').catch((error: unknown) => error);
    expect((duplicate as AccountingApiError).kind).toBe('validation');
    expect((duplicate as AccountingApiError).items[0]?.code).toBe('6240');

    const invoiceInput = {
      customerId: customer.Id,
      docNumber: 'INV-2026-000001',
      txnDate: '2026-03-01',
      dueDate: '2026-03-08',
      lines: [{ description: 'Home 10 Mbps, March', amountCents: cents(150_050) }],
      itemId: '1',
      privateNote: 'Kiunga invoice inv_1',
    };
    const invoice = await client.createInvoice(invoiceInput, 'req-invoice-1');
    expect(invoice.TotalAmt).toBe(1500.5);
    await client.createInvoice(invoiceInput, 'req-invoice-1');
    expect(simulator.entities('Invoice')).toHaveLength(1);
    expect((await client.findInvoiceByDocNumber('INV-2026-000001'))?.Id).toBe(invoice.Id);

    const payment = await client.createPayment(
      {
        customerId: customer.Id,
        totalCents: 200_000,
        txnDate: '2026-03-02',
        paymentRefNum: 'SAB12CD34E',
        privateNote: 'Kiunga payment pay_1',
        depositToAccountId: null,
        applications: [{ invoiceId: invoice.Id, amountCents: 150_050 }],
      },
      'req-payment-1',
    );
    expect(payment.UnappliedAmt).toBe(499.5);
    const voided = await client.voidInvoice(invoice.Id, 'req-void-1');
    expect(voided.TotalAmt).toBe(0);
    expect(voided.PrivateNote).toBe('Voided - Kiunga invoice inv_1');
  });

  it('answers an unknown customer with Invalid Reference Id and a throttle with Retry-After', async () => {
    const { client } = await connectQuickBooks(simulator, clock);
    const unknown = await client
      .createInvoice(
        {
          customerId: '999',
          docNumber: 'INV-X',
          txnDate: '2026-03-01',
          dueDate: '2026-03-08',
          lines: [{ description: 'x', amountCents: 100 }],
          itemId: '1',
          privateNote: '',
        },
        'req-unknown',
      )
      .catch((error: unknown) => error);
    expect((unknown as AccountingApiError).kind).toBe('validation');
    expect((unknown as AccountingApiError).items[0]?.code).toBe('2500');

    simulator.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const throttled = await client.findInvoiceByDocNumber('INV-X').catch((error: unknown) => error);
    expect((throttled as AccountingApiError).kind).toBe('throttled');
    expect((throttled as AccountingApiError).retryAfterSeconds).toBe(7);
  });

  it('refreshes an expired access token by itself, and says reconnect when the ISP revoked the app', async () => {
    const { client, store } = await connectQuickBooks(simulator, clock);
    const before = store.current().refreshToken;
    simulator.oauth.expireAccessTokens();
    expect(await client.findCustomerByDisplayName('Nobody (ACC-0)')).toBeNull();
    expect(store.current().refreshToken).not.toBe(before);
    simulator.oauth.revokeAll();
    const revoked = await client.findCustomerByDisplayName('Nobody (ACC-0)').catch((error: unknown) => error);
    expect((revoked as AccountingApiError).isReconnectNeeded).toBe(true);
  });
});
