// Billing's API in-process (app.request() on test databases, no server): settings, a subscriber's terms,
// staff payments, invoices, statements, voids and refunds; the validation errors; and that ISP B
// can neither read nor change ISP A's billing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, type TwoIspApp } from '../kernel/testing/in-process-app';
import { eat } from './core/test-fixtures';
import { runTenantInvoices } from './store';
import { insertMonthlySubscriber } from './test-tenant';

let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = await openTwoIspApp({ startMs: Date.UTC(2026, 0, 1) });
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  await insertMonthlySubscriber(database, {
    id: 'sub_wanjiru',
    accountNumber: 'ACC-1001',
    priceCents: 150_000,
    createdAt: eat(2026, 1, 1),
  });
  // 03:00 on 1 January in Nairobi, where the test clock starts (the owners' tokens are fresh then).
  await runTenantInvoices(database, testApp.ispA.tenantId, testApp.clock.now());
});
afterAll(() => testApp.close());

const errorCodeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

async function jsonOf<Body>(response: Response, status: number): Promise<Body> {
  const text = await response.text();
  expect([response.status, text]).toEqual([status, text]);
  return JSON.parse(text) as Body;
}

interface Statement {
  balanceCents: number;
  outstandingCents: number;
  creditBalanceCents: number;
  entries: { transferId: string; kind: string; amountCents: number }[];
}

describe('billing API', () => {
  it('reads and changes the ISP’s billing settings, refusing an out-of-range due period', async () => {
    const { ispA } = testApp;
    const settings = await jsonOf<{ dueDays: number }>(
      await ispA.request('GET', '/api/v1/billing/settings'),
      200,
    );
    const changed = await ispA.request('PATCH', '/api/v1/billing/settings', {
      dueDays: settings.dueDays + 1,
    });
    expect((await jsonOf<{ dueDays: number }>(changed, 200)).dueDays).toBe(settings.dueDays + 1);
    const refused = await ispA.request('PATCH', '/api/v1/billing/settings', { dueDays: -1 });
    expect(refused.status).toBe(400);
    expect(await errorCodeOf(refused)).toBe('validation_failed');
  });

  it('overrides a subscriber’s cycle and keeps what is not changed', async () => {
    const { ispA } = testApp;
    const path = '/api/v1/billing/subscribers/sub_wanjiru';
    expect(await jsonOf(await ispA.request('GET', path), 200)).toEqual({
      subscriberId: 'sub_wanjiru',
      cycle: null,
      serviceStartAt: null,
    });
    const cycle = { lengthMonths: 3, anchorDay: 'signup_day' };
    expect(await jsonOf(await ispA.request('PATCH', path, { cycle }), 200)).toEqual({
      subscriberId: 'sub_wanjiru',
      cycle,
      serviceStartAt: null,
    });
    expect(await jsonOf(await ispA.request('PATCH', path, { cycle: null }), 200)).toMatchObject({
      cycle: null,
    });
    const refused = await ispA.request('PATCH', path, { cycle: { lengthMonths: 0, anchorDay: 1 } });
    expect(await errorCodeOf(refused)).toBe('validation_failed');
    expect((await ispA.request('GET', '/api/v1/billing/subscribers/sub_nobody')).status).toBe(404);
  });

  it('lists the invoice the run issued and records a cash payment once per idempotency key', async () => {
    const { ispA } = testApp;
    const invoices = await jsonOf<{ items: { id: string; totalCents: number; status: string }[] }>(
      await ispA.request('GET', '/api/v1/invoices?subscriberId=sub_wanjiru'),
      200,
    );
    expect(invoices.items.map((invoice) => [invoice.totalCents, invoice.status])).toEqual([
      [150_000, 'open'],
    ]);
    const payment = {
      subscriberId: 'sub_wanjiru',
      amountCents: 200_000,
      method: 'cash',
      idempotencyKey: 'cash-0001',
    };
    const recorded = await jsonOf<{ id: string; amountCents: number }>(
      await ispA.request('POST', '/api/v1/payments', payment),
      201,
    );
    expect(recorded.amountCents).toBe(200_000);
    const replay = await jsonOf<{ id: string }>(await ispA.request('POST', '/api/v1/payments', payment), 200);
    expect(replay.id).toBe(recorded.id);
    const conflict = await ispA.request('POST', '/api/v1/payments', { ...payment, amountCents: 1_000 });
    expect([conflict.status, await errorCodeOf(conflict)]).toEqual([409, 'conflict']);
    const invalid = await ispA.request('POST', '/api/v1/payments', { ...payment, amountCents: 0 });
    expect([invalid.status, await errorCodeOf(invalid)]).toEqual([400, 'validation_failed']);
    const statement = await jsonOf<Statement>(
      await ispA.request('GET', '/api/v1/subscribers/sub_wanjiru/statement'),
      200,
    );
    expect(statement).toMatchObject({
      balanceCents: -50_000,
      outstandingCents: 0,
      creditBalanceCents: 50_000,
    });
    expect(statement.entries.map((entry) => [entry.kind, entry.amountCents])).toEqual([
      ['invoice', 150_000],
      ['payment', -200_000],
    ]);
  });

  it('refunds at most the credit balance', async () => {
    const { ispA } = testApp;
    const path = '/api/v1/subscribers/sub_wanjiru/refunds';
    const refund = { amountCents: 50_001, method: 'cash', idempotencyKey: 'refund-0001' };
    const refused = await ispA.request('POST', path, refund);
    expect([refused.status, await errorCodeOf(refused)]).toEqual([409, 'conflict']);
    const done = await jsonOf<{ creditBalanceCents: number }>(
      await ispA.request('POST', path, { ...refund, amountCents: 50_000 }),
      201,
    );
    expect(done.creditBalanceCents).toBe(0);
  });

  it('keeps ISP A’s billing out of ISP B’s reach', async () => {
    const { ispA, ispB } = testApp;
    const [invoice] = (
      await jsonOf<{ items: { id: string }[] }>(await ispA.request('GET', '/api/v1/invoices'), 200)
    ).items;
    expect((await ispB.request('GET', '/api/v1/subscribers/sub_wanjiru/statement')).status).toBe(404);
    expect((await ispB.request('GET', `/api/v1/invoices/${invoice!.id}`)).status).toBe(404);
    expect(
      (await jsonOf<{ items: unknown[] }>(await ispB.request('GET', '/api/v1/invoices'), 200)).items,
    ).toEqual([]);
    const payment = {
      subscriberId: 'sub_wanjiru',
      amountCents: 1_000,
      method: 'cash',
      idempotencyKey: 'isp-b-0001',
    };
    expect((await ispB.request('POST', '/api/v1/payments', payment)).status).toBe(404);
    expect(
      (await ispB.request('POST', `/api/v1/invoices/${invoice!.id}/void`, { reason: 'Issued in error' }))
        .status,
    ).toBe(404);
    const statement = await jsonOf<Statement>(
      await ispA.request('GET', '/api/v1/subscribers/sub_wanjiru/statement'),
      200,
    );
    expect(statement.entries).toHaveLength(3);
  });
});
