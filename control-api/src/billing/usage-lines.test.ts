// Usage rating in the billing run, in process on both databases: a subscriber past its plan's allowance
// in March gets one usage line on its April invoice, floored to whole shillings (cumulative floor,
// features/usage/core/usage-rating.ts), posted to its ledger; one under the allowance gets none; a
// rerun of the run adds nothing; ISP B's run bills none of ISP A's usage.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYTES_PER_GIGABYTE } from '../features/usage/core/index';
import { meterTenantAccounting } from '../features/usage/metering.job';
import {
  apiClient,
  jsonOf,
  openTwoIspApp,
  signInWithToken,
  type TwoIspApp,
} from '../kernel/testing/in-process-app';
import { eat } from './core/test-fixtures';
import { runTenantInvoices } from './store';
import { insertSubscriber } from './test-tenant';

/** Ksh 1,500 a month with 10 GB included; each GB beyond costs Ksh 33.33 (so 3 GB come to 99.99). */
const METERED_PLAN = {
  name: 'Home 10 GB',
  kind: 'pppoe',
  priceCents: 150_000,
  billingCycleMonths: 1,
  rateUpKbps: 5_000,
  rateDownKbps: 10_000,
  includedBytes: 10 * BYTES_PER_GIGABYTE,
  pricePerGigabyteCents: 3_333,
};

interface InvoiceBody {
  cycleKey: string;
  totalCents: number;
  lines: Array<{ kind: string; amountCents: number; description: string; periodStartMs: number | null }>;
}

let testApp: TwoIspApp;

beforeAll(async () => {
  testApp = await openTwoIspApp({ startMs: eat(2030, 3, 1, 9) });
  const created = await testApp.ispA.request('POST', '/api/v1/plans', METERED_PLAN);
  const { id: planId } = await jsonOf<{ id: string }>(created);
  expect(created.status).toBe(201);
  for (const [id, accountNumber] of [
    ['sub_over', 'ACC-OVER'],
    ['sub_under', 'ACC-UNDER'],
  ] as const) {
    await insertSubscriber(testApp.ispA.database, { id, planId, accountNumber, createdAt: eat(2030, 3, 1) });
  }
  // ISP B has a subscriber too, whose run must not see ISP A's usage.
  const createdB = await testApp.ispB.request('POST', '/api/v1/plans', METERED_PLAN);
  const { id: planB } = await jsonOf<{ id: string }>(createdB);
  await insertSubscriber(testApp.ispB.database, {
    id: 'sub_over',
    planId: planB,
    accountNumber: 'ACC-B',
    createdAt: eat(2030, 3, 1),
  });
});
afterAll(() => testApp?.close());

/** A two-hour session on `day` of `month` (2030) whose Start and Stop the NAS sent, carrying `totalBytes` of download. */
async function logSession(subscriberId: string, totalBytes: number, month = 3, day = 10): Promise<void> {
  const database = testApp.ispA.database;
  const acctSessionId = `acct-${subscriberId}-${month}-${day}`;
  const startedAt = eat(2030, month, day, 10);
  const session = insertOf(tenantSchema.sessions, {
    id: `ses_${subscriberId}_${month}_${day}`,
    nasId: 'nas_1',
    acctSessionId,
    username: `user_${subscriberId}`,
    subjectKind: 'subscriber',
    subjectId: subscriberId,
    startedAt,
    updatedAt: startedAt + 7_200_000,
    interimIntervalSeconds: 300,
  });
  await database.run(session.sql, session.params);
  for (const [statusType, atMs, seconds, octets] of [
    [1, startedAt, 0, 0],
    [2, startedAt + 7_200_000, 7_200, totalBytes],
  ] as const) {
    const row = insertOf(tenantSchema.accountingLog, {
      receivedAt: atMs,
      nasId: 'nas_1',
      statusType,
      acctSessionId,
      username: `user_${subscriberId}`,
      inputOctets: 0,
      outputOctets: octets,
      sessionTimeSeconds: seconds,
    });
    await database.run(row.sql, row.params);
  }
}

/** The owner's API client signed in now (a token from the start of March has long expired by April). */
async function ownerClient(isp: TwoIspApp['ispA']) {
  return apiClient(testApp, await signInWithToken(testApp, isp.ownerEmail));
}

async function invoicesOf(request: TwoIspApp['ispA']['request'], subscriberId: string) {
  const response = await request('GET', `/api/v1/invoices?subscriberId=${subscriberId}`);
  expect(response.status).toBe(200);
  const { items } = await jsonOf<{ items: InvoiceBody[] }>(response);
  return items.sort((left, right) => left.cycleKey.localeCompare(right.cycleKey));
}

describe('usage rating in the billing run', () => {
  it('puts March usage beyond the allowance on the April invoice once, floored to whole shillings', async () => {
    const { ispA, ispB, clock } = testApp;
    expect((await runTenantInvoices(ispA.database, ispA.tenantId, clock.now())).invoices).toBe(2);
    await logSession('sub_over', 13 * BYTES_PER_GIGABYTE);
    await logSession('sub_under', 9 * BYTES_PER_GIGABYTE);

    clock.set(eat(2030, 4, 1, 0, 5));
    await meterTenantAccounting(ispA.database, clock.now());
    const run = await runTenantInvoices(ispA.database, ispA.tenantId, clock.now());
    expect(run.invoices).toBe(2);

    const requestA = await ownerClient(ispA);
    const [march, april] = await invoicesOf(requestA, 'sub_over');
    expect(march?.lines.map((line) => line.kind)).toEqual(['recurring']);
    // 3 GB beyond 10 GB at Ksh 33.33 = Ksh 99.99, floored to whole shillings: Ksh 99.
    expect(april?.lines.map(({ kind, amountCents }) => ({ kind, amountCents }))).toEqual([
      { kind: 'recurring', amountCents: 150_000 },
      { kind: 'usage', amountCents: 9_900 },
    ]);
    expect(april?.lines[1]?.description).toBe(
      'Home 10 GB: 3 GB beyond 10 GB included at Ksh 33.33/GB, 2030-03-01 to 2030-03-31',
    );
    expect(april?.lines[1]?.periodStartMs).toBe(eat(2030, 3, 1));
    expect(april?.totalCents).toBe(159_900);
    const statement = await jsonOf<{ outstandingCents: number }>(
      await requestA('GET', '/api/v1/subscribers/sub_over/statement'),
    );
    expect(statement.outstandingCents).toBe(150_000 + 159_900);

    const [, underApril] = await invoicesOf(requestA, 'sub_under');
    expect(underApril?.lines.map((line) => line.kind)).toEqual(['recurring']);
    expect(underApril?.totalCents).toBe(150_000);

    // A rerun (or a second node's run) the same day adds no invoice and no line.
    expect((await runTenantInvoices(ispA.database, ispA.tenantId, clock.now())).invoices).toBe(0);
    const again = await invoicesOf(requestA, 'sub_over');
    expect(again.flatMap((invoice) => invoice.lines).filter((line) => line.kind === 'usage')).toHaveLength(1);

    // ISP B's subscriber of the same id used nothing in its own shard: no usage line.
    await runTenantInvoices(ispB.database, ispB.tenantId, eat(2030, 3, 1, 9));
    await runTenantInvoices(ispB.database, ispB.tenantId, clock.now());
    const bInvoices = await invoicesOf(await ownerClient(ispB), 'sub_over');
    expect(bInvoices.flatMap((invoice) => invoice.lines).map((line) => line.kind)).toEqual([
      'recurring',
      'recurring',
    ]);
  });

  it('rates each missed cycle on the invoice after it when the run catches up after downtime', async () => {
    const { ispA, clock } = testApp;
    await logSession('sub_over', 11 * BYTES_PER_GIGABYTE, 4);
    await logSession('sub_over', 12 * BYTES_PER_GIGABYTE, 5);
    // No run in May: the run on 1 June bills May and June, each with the usage of the cycle before it.
    clock.set(eat(2030, 6, 1, 0, 5));
    await meterTenantAccounting(ispA.database, clock.now());
    expect((await runTenantInvoices(ispA.database, ispA.tenantId, clock.now())).invoices).toBe(4);
    const invoices = await invoicesOf(await ownerClient(ispA), 'sub_over');
    const usage = (invoice: InvoiceBody | undefined) =>
      invoice?.lines.filter((line) => line.kind === 'usage').map((line) => line.amountCents);
    // April: 1 GB beyond at Ksh 33.33 → Ksh 33; May: 2 GB → Ksh 66.66 → Ksh 66.
    expect(invoices.map((invoice) => [invoice.cycleKey, usage(invoice)])).toEqual([
      ['2030-03-01', []],
      ['2030-04-01', [9_900]],
      ['2030-05-01', [3_300]],
      ['2030-06-01', [6_600]],
    ]);
  });

  it('charges usage of a rated cycle metered after its run on the next invoice, by the cumulative floor, once', async () => {
    const { ispA, clock } = testApp;
    // May was rated on 1 June at 12 GB (Ksh 66). A NAS reports 1.5 GB more of May only after that run.
    await logSession('sub_over', 1.5 * BYTES_PER_GIGABYTE, 5, 20);
    await meterTenantAccounting(ispA.database, clock.now());
    clock.set(eat(2030, 7, 1, 0, 5));
    await meterTenantAccounting(ispA.database, clock.now());
    expect((await runTenantInvoices(ispA.database, ispA.tenantId, clock.now())).invoices).toBe(2);
    const requestA = await ownerClient(ispA);
    const july = (await invoicesOf(requestA, 'sub_over')).at(-1);
    expect(july?.cycleKey).toBe('2030-07-01');
    // 13.5 GB of May: 3.5 GB beyond = Ksh 116.655, floored Ksh 116; Ksh 66 was charged, so Ksh 50
    // (the cumulative floor: the two charges add up to what the whole month comes to).
    expect(july?.lines.map(({ kind, amountCents }) => ({ kind, amountCents }))).toEqual([
      { kind: 'recurring', amountCents: 150_000 },
      { kind: 'usage', amountCents: 5_000 },
    ]);
    expect(july?.lines[1]?.description).toBe(
      'Reported late: Home 10 GB: 1.50 GB beyond 10 GB included at Ksh 33.33/GB, 2030-05-01 to 2030-05-31',
    );
    expect(july?.lines[1]?.periodStartMs).toBe(eat(2030, 5, 1));
    const [, underJuly] = (await invoicesOf(requestA, 'sub_under')).slice(-2);
    expect(underJuly?.lines.map((line) => line.kind)).toEqual(['recurring']);
    // A rerun adds nothing, and the next cycle's invoice charges May no more.
    expect((await runTenantInvoices(ispA.database, ispA.tenantId, clock.now())).invoices).toBe(0);
    clock.set(eat(2030, 8, 1, 0, 5));
    await meterTenantAccounting(ispA.database, clock.now());
    await runTenantInvoices(ispA.database, ispA.tenantId, clock.now());
    const august = (await invoicesOf(await ownerClient(ispA), 'sub_over')).at(-1);
    expect(august?.lines.map((line) => line.kind)).toEqual(['recurring']);
  });
});
