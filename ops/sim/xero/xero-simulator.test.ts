// The real Xero client against the simulator over HTTP: OAuth code flow and refresh rotation, the
// tenant header, contacts, invoices, payments and refunds, Idempotency-Key replay, validation errors, 429.
import type { AccountingApiError } from '@kiunga/control-api/integrations/accounting-common';
import { XeroClient } from '@kiunga/control-api/integrations/xero';
import { cents, ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectXero, XERO_TEST_APP } from './connect-client';
import { startXeroSimulator, type XeroSimulator } from './xero-simulator';

describe('Xero simulator with the real client', () => {
  let simulator: XeroSimulator;
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 6));
  beforeAll(async () => {
    simulator = await startXeroSimulator({ port: 0, ...XERO_TEST_APP, clock });
  });
  afterAll(async () => simulator?.stop());

  it('connects, lists the organisation, rotates refresh tokens and refuses the old one', async () => {
    const { app, store, redirect } = await connectXero(simulator, clock);
    expect(redirect.get('state')).toBe('state-xero-0123456789');
    const first = store.current();
    expect(first.accessTokenExpiresAtMs).toBe(clock.now() + 1_800_000);
    const second = await app.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const refused = await app.refresh(first.refreshToken).catch((error: unknown) => error);
    expect((refused as AccountingApiError).isReconnectNeeded).toBe(true);
  });

  it('refuses calls for an organisation the token was not granted', async () => {
    const { client } = await connectXero(simulator, clock);
    const other = new XeroClient({
      baseUrl: simulator.baseUrl,
      tenantId: '00000000-0000-0000-0000-000000000000',
      tokens: (client as unknown as { options: { tokens: never } }).options.tokens,
      clock,
      timeoutMs: 5_000,
    });
    const refused = await other.findContactByNumber('sub_1').catch((error: unknown) => error);
    expect((refused as AccountingApiError).kind).toBe('forbidden');
  });

  it('creates contact, invoice, payment and overpayment once per Idempotency-Key; refunds out of the overpayment', async () => {
    const { client } = await connectXero(simulator, clock);
    const contact = await client.createContact(
      { name: 'Jane Wanjiru (ACC-1001)', contactNumber: 'sub_1', phone: null },
      'key-contact-1',
    );
    expect(
      (
        await client.createContact(
          { name: 'Jane Wanjiru (ACC-1001)', contactNumber: 'sub_1', phone: null },
          'key-contact-1',
        )
      ).ContactID,
    ).toBe(contact.ContactID);
    expect((await client.findContactByNumber('sub_1'))?.ContactID).toBe(contact.ContactID);
    const invoiceInput = {
      contactId: contact.ContactID,
      invoiceNumber: 'INV-2026-000001',
      date: '2026-03-01',
      dueDate: '2026-03-08',
      lines: [{ description: 'Home 10 Mbps, March', amountCents: cents(150_000) }],
      accountCode: '200',
      reference: 'inv_1',
    };
    const invoice = await client.createInvoice(invoiceInput, 'key-invoice-1');
    await client.createInvoice(invoiceInput, 'key-invoice-1');
    expect(simulator.documents('Invoice')).toHaveLength(1);
    const again = await client.createInvoice(invoiceInput, 'key-invoice-2').catch((error: unknown) => error);
    expect((again as AccountingApiError).items[0]?.message).toBe('Invoice # must be unique.');

    const payment = {
      target: { kind: 'invoice' as const, invoiceId: invoice.InvoiceID },
      bankAccountCode: '090',
      date: '2026-03-02',
      amountCents: 100_000,
      reference: 'SAB12CD34E',
    };
    await client.createPayment(payment, 'key-payment-1');
    const over = await client
      .createPayment({ ...payment, amountCents: 50_001 }, 'key-payment-2')
      .catch((error: unknown) => error);
    expect((over as AccountingApiError).kind).toBe('validation');
    expect((over as AccountingApiError).items[0]?.message).toBe(
      'Payment amount exceeds the amount outstanding on this document',
    );

    const overpayment = await client.createOverpayment(
      {
        contactId: contact.ContactID,
        bankAccountCode: '090',
        date: '2026-03-02',
        amountCents: 50_000,
        description: 'Paid ahead',
      },
      'key-over-1',
    );
    expect(overpayment.OverpaymentID).toBeTruthy();
    await client.createPayment(
      {
        target: { kind: 'overpayment', overpaymentId: overpayment.OverpaymentID ?? '' },
        bankAccountCode: '090',
        date: '2026-03-03',
        amountCents: 50_000,
        reference: 'Refund',
      },
      'key-refund-1',
    );
    expect(simulator.documents('Overpayment')[0]?.openCents).toBe(0);
  });

  it('voids an unpaid invoice, refuses to void a paid one, and says throttled with Retry-After', async () => {
    const { client } = await connectXero(simulator, clock);
    const contact = await client.createContact(
      { name: 'Otieno (ACC-1002)', contactNumber: 'sub_2', phone: '+254711000000' },
      'key-contact-2',
    );
    const base = {
      contactId: contact.ContactID,
      date: '2026-03-01',
      dueDate: '2026-03-08',
      lines: [{ description: 'Plan', amountCents: 100_000 }],
      accountCode: '200',
      reference: 'inv_2',
    };
    const unpaid = await client.createInvoice({ ...base, invoiceNumber: 'INV-2026-000002' }, 'key-invoice-3');
    expect((await client.voidInvoice(unpaid.InvoiceID, 'key-void-1')).Status).toBe('VOIDED');
    const paid = await client.createInvoice({ ...base, invoiceNumber: 'INV-2026-000003' }, 'key-invoice-4');
    await client.createPayment(
      {
        target: { kind: 'invoice', invoiceId: paid.InvoiceID },
        bankAccountCode: '090',
        date: '2026-03-02',
        amountCents: 40_000,
        reference: 'part',
      },
      'key-payment-3',
    );
    const refused = await client.voidInvoice(paid.InvoiceID, 'key-void-2').catch((error: unknown) => error);
    expect((refused as AccountingApiError).kind).toBe('validation');

    simulator.failNext(1, { status: 429, retryAfterSeconds: 12 });
    const throttled = await client.findContactByNumber('sub_2').catch((error: unknown) => error);
    expect((throttled as AccountingApiError).kind).toBe('throttled');
    expect((throttled as AccountingApiError).retryAfterSeconds).toBe(12);
  });
});
