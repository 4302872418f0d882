// End to end: the billing API (invoices, payments, settings, statements) on the real ./kiunga, and
// tenant isolation: ISP B's token never reads or moves ISP A's billing.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveTokenKey } from '@kiunga/control-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiRequest, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();
let ispA: ApiClient;
let ispB: ApiClient;
const a = () => suite.demo.tenants[0]!;
const subscriberOfA = () => a().subscribers[0]!;

beforeAll(async () => {
  ispA = await login(suite.kiunga.baseUrl, a().owner);
  ispB = await login(suite.kiunga.baseUrl, suite.demo.tenants[1]!.owner);
  // The billing job runs at start (catch-up): wait for the demo subscribers' first invoices.
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await ispA.get('/api/v1/invoices')).body.items.length > 0) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('no invoices were issued at start');
});

describe('billing settings', () => {
  it('shows the defaults and accepts only valid changes', async () => {
    const settings = await ispA.get('/api/v1/billing/settings');
    expect(settings.body).toMatchObject({
      cycle: { lengthMonths: 1, anchorDay: 1 },
      dueDays: 7,
      wholeShillings: true,
    });
    for (const invalid of [
      { wholeShillings: 'yes' },
      { cycle: { lengthMonths: 1, anchorDay: 31 } },
      { cycle: { lengthMonths: 0, anchorDay: 1 } },
      { dueDays: -1 },
      { dunningSteps: [{ daysFromDue: 400, action: 'suspend' }] },
      { dunningSteps: [{ daysFromDue: 1, action: 'explode' }] },
      { invoicePrefix: 'inv lower' },
    ]) {
      const refused = await ispA.patch('/api/v1/billing/settings', invalid);
      expect(refused.status, JSON.stringify(invalid)).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    const changed = await ispA.patch('/api/v1/billing/settings', {
      dueDays: 10,
      dunningSteps: [
        { daysFromDue: -2, action: 'remind' },
        { daysFromDue: 5, action: 'suspend' },
      ],
    });
    expect(changed.status).toBe(200);
    expect((await ispA.get('/api/v1/billing/settings')).body).toMatchObject({
      dueDays: 10,
      cycle: { lengthMonths: 1, anchorDay: 1 },
      dunningSteps: [
        { daysFromDue: -2, action: 'remind' },
        { daysFromDue: 5, action: 'suspend' },
      ],
      wholeShillings: true,
    });
    // Whole shillings off, then a change of something else leaves it off; and on again.
    expect(
      (await ispA.patch('/api/v1/billing/settings', { wholeShillings: false })).body.wholeShillings,
    ).toBe(false);
    expect((await ispA.patch('/api/v1/billing/settings', { dueDays: 7 })).body).toMatchObject({
      dueDays: 7,
      wholeShillings: false,
    });
    expect((await ispA.get('/api/v1/billing/settings')).body.wholeShillings).toBe(false);
    expect((await ispA.patch('/api/v1/billing/settings', { wholeShillings: true })).status).toBe(200);
    const terms = await ispA.patch(`/api/v1/billing/subscribers/${subscriberOfA().id}`, {
      cycle: { lengthMonths: 3, anchorDay: 'signup_day' },
    });
    expect(terms.body).toMatchObject({ cycle: { lengthMonths: 3, anchorDay: 'signup_day' } });
    expect((await ispB.get('/api/v1/billing/settings')).body.dueDays).toBe(7);
  });
});

describe('invoices', () => {
  it('lists with filters and cursor pagination, and prints as HTML and PDF', async () => {
    const all = await ispA.get('/api/v1/invoices?limit=200');
    expect(all.status).toBe(200);
    const count = all.body.items.length;
    expect(count).toBeGreaterThanOrEqual(2);
    // Whole shillings by default: every invoice, prorated or not, is payable exactly by M-Pesa.
    for (const item of all.body.items) expect(item.totalCents % 100).toBe(0);
    // Newest first: by issue time, then by number (one start-up run issued these at one instant).
    const order = (items: Array<{ issuedAt: number; number: string }>) =>
      items.map((item) => `${item.issuedAt}:${item.number}`);
    const sorted = [...all.body.items].sort(
      (left: { issuedAt: number; number: string }, right: { issuedAt: number; number: string }) =>
        right.issuedAt - left.issuedAt || right.number.localeCompare(left.number),
    );
    expect(order(all.body.items)).toEqual(order(sorted));
    const paged: Array<{ issuedAt: number; number: string }> = [];
    let cursor = '';
    do {
      const page = await ispA.get(`/api/v1/invoices?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(order(paged)).toEqual(order(all.body.items));
    const firstPage = await ispA.get('/api/v1/invoices?limit=1');
    expect(firstPage.body.items).toHaveLength(1);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    const secondPage = await ispA.get(`/api/v1/invoices?limit=1&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body.items[0].id).not.toBe(firstPage.body.items[0].id);
    const mine = await ispA.get(`/api/v1/invoices?subscriberId=${subscriberOfA().id}`);
    expect(
      mine.body.items.every(
        (invoice: { subscriberId: string }) => invoice.subscriberId === subscriberOfA().id,
      ),
    ).toBe(true);
    expect((await ispA.get('/api/v1/invoices?status=bogus')).status).toBe(400);
    const invoice = mine.body.items[0];
    const detail = await ispA.get(`/api/v1/invoices/${invoice.id}`);
    expect(detail.body).toMatchObject({ id: invoice.id, number: invoice.number, lines: expect.any(Array) });
    expect(detail.body.paidCents + detail.body.outstandingCents).toBe(detail.body.totalCents);
    const html = await ispA.get(`/api/v1/invoices/${invoice.id}.html`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain(invoice.number);
    expect(html.text).toContain(subscriberOfA().accountNumber);
    const pdf = await fetch(`${suite.kiunga.baseUrl}/api/v1/invoices/${invoice.id}.pdf`, {
      headers: { authorization: `Bearer ${ispA.token}` },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});

describe('payments', () => {
  it('records a cash payment once per idempotency key and shows it on the statement', async () => {
    const subscriber = subscriberOfA();
    const before = (await ispA.get(`/api/v1/subscribers/${subscriber.id}/statement`)).body;
    const body = { subscriberId: subscriber.id, amountCents: 12_345, method: 'cash', reference: 'RCPT-1' };
    expect((await ispA.post('/api/v1/payments', body)).status).toBe(400); // no idempotency key
    const keyed = { ...body, idempotencyKey: 'counter-0001' };
    const created = await ispA.post('/api/v1/payments', keyed);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ provider: 'manual', amountCents: 12_345, matchedId: subscriber.id });
    const replay = await ispA.post('/api/v1/payments', keyed);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(created.body.id);
    const reused = await ispA.post('/api/v1/payments', { ...keyed, amountCents: 99 });
    expect(reused.status).toBe(409);
    const after = (await ispA.get(`/api/v1/subscribers/${subscriber.id}/statement`)).body;
    expect(after.balanceCents).toBe(before.balanceCents - 12_345);
    expect(after.entries.at(-1)).toMatchObject({ kind: 'payment', amountCents: -12_345 });
    const listed = await ispA.get(`/api/v1/payments?subscriberId=${subscriber.id}`);
    expect(listed.body.items.map((payment: { id: string }) => payment.id)).toContain(created.body.id);
  });

  it('assigns an unmatched M-Pesa C2B payment to a subscriber, once', async () => {
    const masterKey = readFileSync(join(suite.dataDir, 'master.key'), 'utf8').trim();
    const token = createHmac('sha256', deriveTokenKey(masterKey))
      .update(`mpesa-callback:${a().id}`)
      .digest('base64url')
      .slice(0, 32);
    const confirmation = await apiRequest(
      suite.kiunga.baseUrl,
      'POST',
      `/callbacks/mm/${a().id}/${token}/c2b/confirmation`,
      {
        body: {
          TransactionType: 'Pay Bill',
          TransID: 'UNM0000001',
          TransTime: '20260201100000',
          TransAmount: '700.00',
          BusinessShortCode: '600000',
          BillRefNumber: 'TYPO-REF',
          MSISDN: '254712000999',
          FirstName: 'Juma',
        },
      },
    );
    expect(confirmation.status).toBe(200);
    const unmatched = await ispA.get('/api/v1/payments?status=unmatched');
    const payment = unmatched.body.items.find(
      (item: { providerTransactionId: string }) => item.providerTransactionId === 'UNM0000001',
    );
    expect(payment).toMatchObject({ amountCents: 70_000, status: 'unmatched' });
    const subscriber = a().subscribers[1]!;
    const before = (await ispA.get(`/api/v1/subscribers/${subscriber.id}/statement`)).body.balanceCents;
    const assigned = await ispA.post(`/api/v1/payments/${payment.id}/assign`, {
      subscriberId: subscriber.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      status: 'matched',
      matchedKind: 'subscriber',
      matchedId: subscriber.id,
    });
    expect(
      (await ispA.post(`/api/v1/payments/${payment.id}/assign`, { subscriberId: subscriber.id })).status,
    ).toBe(200);
    expect(
      (await ispA.post(`/api/v1/payments/${payment.id}/assign`, { subscriberId: subscriberOfA().id })).status,
    ).toBe(409);
    const after = (await ispA.get(`/api/v1/subscribers/${subscriber.id}/statement`)).body.balanceCents;
    expect(after).toBe(before - 70_000);
  });
});

describe('corrections', () => {
  it('voids an invoice issued in error once, turning what was paid towards it into credit', async () => {
    const open = (await ispA.get('/api/v1/invoices?status=open&limit=200')).body.items as Array<{
      id: string;
      subscriberId: string;
      totalCents: number;
    }>;
    const invoice = open.find((item) => item.subscriberId !== subscriberOfA().id && item.totalCents > 1_000);
    expect(invoice).toBeDefined();
    const statementPath = `/api/v1/subscribers/${invoice!.subscriberId}/statement`;
    const paid = await ispA.post('/api/v1/payments', {
      subscriberId: invoice!.subscriberId,
      amountCents: 1_000,
      method: 'cash',
      idempotencyKey: 'void-test-part-payment',
    });
    expect(paid.status).toBe(201);
    const before = (await ispA.get(statementPath)).body;
    expect((await ispA.post(`/api/v1/invoices/${invoice!.id}/void`, { reason: 'x' })).status).toBe(400);
    const voided = await ispA.post(`/api/v1/invoices/${invoice!.id}/void`, {
      reason: 'Issued twice by mistake',
    });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ id: invoice!.id, status: 'void', outstandingCents: 0 });
    expect(voided.body.settlement).toMatchObject({ reactivated: expect.any(Boolean) });
    const after = (await ispA.get(statementPath)).body;
    expect(after.balanceCents).toBe(before.balanceCents - invoice!.totalCents);
    expect(after.creditBalanceCents).toBeGreaterThanOrEqual(1_000);
    const replay = await ispA.post(`/api/v1/invoices/${invoice!.id}/void`, {
      reason: 'Issued twice by mistake',
    });
    expect(replay.status).toBe(200);
    expect((await ispA.get(statementPath)).body).toEqual(after);
    const listed = await ispA.get('/api/v1/invoices?status=void');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(invoice!.id);
    const audit = await ispA.get('/api/v1/audit?limit=50');
    expect(
      audit.body.items.filter(
        (entry: { action: string; target: string }) =>
          entry.action === 'invoice.void' && entry.target === invoice!.id,
      ),
    ).toHaveLength(1);

    // The credit goes back to the subscriber: never more than held, once per key.
    const refundsPath = `/api/v1/subscribers/${invoice!.subscriberId}/refunds`;
    const body = { amountCents: 1_000, method: 'mpesa', reference: 'QKR000001' };
    expect((await ispA.post(refundsPath, body)).status).toBe(400); // no idempotency key
    const tooMuch = await ispA.post(refundsPath, {
      ...body,
      amountCents: after.creditBalanceCents + 1,
      idempotencyKey: 'refund-too-much',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.message).toMatch(/credit balance is Ksh/);
    const refunded = await ispA.post(refundsPath, { ...body, idempotencyKey: 'refund-0000001' });
    expect(refunded.status).toBe(201);
    expect(refunded.body).toMatchObject({
      amountCents: 1_000,
      creditBalanceCents: after.creditBalanceCents - 1_000,
    });
    expect((await ispA.post(refundsPath, { ...body, idempotencyKey: 'refund-0000001' })).status).toBe(200);
    expect(
      (await ispA.post(refundsPath, { ...body, amountCents: 999, idempotencyKey: 'refund-0000001' })).status,
    ).toBe(409);
    const final = (await ispA.get(statementPath)).body;
    expect(final.creditBalanceCents).toBe(after.creditBalanceCents - 1_000);
    expect(final.entries.at(-1)).toMatchObject({ kind: 'refund', amountCents: 1_000 });
  });
});

describe('tenant isolation', () => {
  it("answers 404 to ISP B for ISP A's invoices, payments, statements and billing terms, and changes nothing", async () => {
    const invoice = (await ispA.get('/api/v1/invoices?limit=1')).body.items[0];
    const paymentOfA = (await ispA.get('/api/v1/payments?limit=1')).body.items[0];
    const statementBefore = (await ispA.get(`/api/v1/subscribers/${subscriberOfA().id}/statement`)).body;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/invoices/${invoice.id}`],
      ['GET', `/api/v1/invoices/${invoice.id}.html`],
      ['GET', `/api/v1/invoices/${invoice.id}.pdf`],
      ['GET', `/api/v1/subscribers/${subscriberOfA().id}/statement`],
      ['GET', `/api/v1/billing/subscribers/${subscriberOfA().id}`],
      ['PATCH', `/api/v1/billing/subscribers/${subscriberOfA().id}`, { serviceStartAt: 0 }],
      [
        'POST',
        '/api/v1/payments',
        { subscriberId: subscriberOfA().id, amountCents: 100, method: 'cash', idempotencyKey: 'b-tries-a-1' },
      ],
      ['POST', `/api/v1/payments/${paymentOfA.id}/assign`, { subscriberId: subscriberOfA().id }],
      ['POST', `/api/v1/invoices/${invoice.id}/void`, { reason: 'ISP B tries to void it' }],
      [
        'POST',
        `/api/v1/subscribers/${subscriberOfA().id}/refunds`,
        { amountCents: 100, method: 'cash', idempotencyKey: 'b-refunds-a-1' },
      ],
    ];
    for (const [method, path, body] of attempts) {
      const response = await ispB.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const listed = await ispB.get(`/api/v1/invoices?subscriberId=${subscriberOfA().id}`);
    expect(listed.body.items).toEqual([]);
    const bInvoices = (await ispB.get('/api/v1/invoices?limit=200')).body.items;
    expect(bInvoices.some((item: { id: string }) => item.id === invoice.id)).toBe(false);
    expect((await ispA.get(`/api/v1/subscribers/${subscriberOfA().id}/statement`)).body).toEqual(
      statementBefore,
    );
  });

  it('refuses anonymous callers', async () => {
    expect((await apiRequest(suite.kiunga.baseUrl, 'GET', '/api/v1/invoices')).status).toBe(401);
  });
});
