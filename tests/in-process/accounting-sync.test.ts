// QuickBooks Online and Xero connected through the API (OAuth consent against the simulators over HTTP),
// then an ISP's month of billing — an overpaid invoice, a void, a refund of the credit — synced twice
// through the real clients: each record is created once. The CSV export, and that one ISP never sees
// or drives another's connection or sync log. In-process (app.request), on SQLite and PostgreSQL.
import { runTenantInvoices } from '@kiunga/control-api';
import { runAccountingSyncJob } from '@kiunga/control-api/features/accounting-sync';
import {
  apiClient,
  openTwoIspApp,
  signInWithToken,
  type TestIsp,
  type TwoIspApp,
} from '@kiunga/control-api/testing';
import { type QuickBooksSimulator, startQuickBooksSimulator } from '@kiunga/ops/sim/quickbooks';
import { startXeroSimulator, type XeroSimulator } from '@kiunga/ops/sim/xero';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** 03:00 on 1 March 2030 in Nairobi. */
const START_MS = Date.UTC(2030, 2, 1, 0);
const MINUTE_MS = 60_000;
const ORIGIN = 'http://kiunga.test';
const QUICKBOOKS = { clientId: 'qb-kiunga', clientSecret: 'qb-kiunga-secret', realmId: '9130355555555555' };
const XERO = {
  clientId: 'xero-kiunga',
  clientSecret: 'xero-kiunga-secret',
  tenantId: '7f2b0c1e-8a4d-4f7b-9a51-2d3c4b5a6f71',
};

let testApp: TwoIspApp;
/** The seeded subscriber who pays. */
let wanjiru: { id: string };
let quickBooks: QuickBooksSimulator;
let xero: XeroSimulator;

beforeAll(async () => {
  const simulatorClock = new ManualClock(START_MS);
  quickBooks = await startQuickBooksSimulator({
    port: 0,
    ...QUICKBOOKS,
    redirectUris: [`${ORIGIN}/callbacks/accounting/quickbooks`],
    itemIds: ['1'],
    accounts: { receivable: '84', others: ['35'] },
    clock: simulatorClock,
  });
  xero = await startXeroSimulator({
    port: 0,
    ...XERO,
    redirectUris: [`${ORIGIN}/callbacks/accounting/xero`],
    revenueAccountCodes: ['200'],
    bankAccountCodes: ['090'],
    clock: simulatorClock,
  });
  testApp = await openTwoIspApp({
    prefix: 'books',
    startMs: START_MS,
    dependencies: {
      accounting: {
        quickbooks: {
          baseUrl: quickBooks.baseUrl,
          authorizeUrl: quickBooks.authorizeUrl,
          tokenUrl: quickBooks.tokenUrl,
          clientId: QUICKBOOKS.clientId,
          clientSecret: QUICKBOOKS.clientSecret,
        },
        xero: {
          baseUrl: xero.baseUrl,
          authorizeUrl: xero.authorizeUrl,
          tokenUrl: xero.tokenUrl,
          clientId: XERO.clientId,
          clientSecret: XERO.clientSecret,
        },
      },
    },
  });
  await seedMonth(testApp.ispA);
  owners.set(
    testApp.ispB.tenantId,
    apiClient(testApp, await signInWithToken(testApp, testApp.ispB.ownerEmail)),
  );
});

afterAll(async () => {
  await testApp?.close();
  await quickBooks?.stop();
  await xero?.stop();
});

async function created(response: Response): Promise<{ id: string }> {
  const text = await response.text();
  expect([response.status, text]).toEqual([201, text]);
  return JSON.parse(text) as { id: string };
}

/**
 * Two subscribers invoiced on 1 March; minutes later Wanjiru overpays by Ksh 500 (left as credit), Otieno's
 * invoice is voided unpaid, and Wanjiru's credit is refunded (minutes apart: the owner's token stays valid).
 */
async function seedMonth(isp: TestIsp): Promise<void> {
  const plan = await created(
    await isp.request('POST', '/api/v1/plans', {
      name: 'Home 10',
      kind: 'pppoe',
      priceCents: 150_000,
      deviceLimit: 1,
      rateUpKbps: 5_000,
      rateDownKbps: 10_000,
    }),
  );
  wanjiru = await created(
    await isp.request('POST', '/api/v1/subscribers', {
      username: 'wanjiru',
      planId: plan.id,
      accountNumber: 'ACC-1001',
      fullName: 'Jane Wanjiru',
    }),
  );
  const otieno = await created(
    await isp.request('POST', '/api/v1/subscribers', {
      username: 'otieno',
      planId: plan.id,
      accountNumber: 'ACC-1002',
      fullName: 'Otieno Ouma',
    }),
  );
  await runTenantInvoices(isp.database, isp.tenantId, testApp.clock.now());
  testApp.clock.advance(MINUTE_MS);
  await created(
    await isp.request('POST', '/api/v1/payments', {
      subscriberId: wanjiru.id,
      amountCents: 200_000,
      method: 'cash',
      idempotencyKey: 'cash-0001',
    }),
  );
  testApp.clock.advance(3 * MINUTE_MS);
  const invoices = (await (
    await isp.request('GET', `/api/v1/invoices?subscriberId=${otieno.id}`)
  ).json()) as {
    items: { id: string }[];
  };
  expect(invoices).toMatchObject({ items: [{}] });
  const voided = await isp.request('POST', `/api/v1/invoices/${invoices.items[0]!.id}/void`, {
    reason: 'Issued in error',
  });
  expect(voided.status).toBe(200);
  testApp.clock.advance(5 * MINUTE_MS);
  await created(
    await isp.request('POST', `/api/v1/subscribers/${wanjiru.id}/refunds`, {
      amountCents: 50_000,
      method: 'cash',
      idempotencyKey: 'refund-0001',
    }),
  );
  testApp.clock.advance(MINUTE_MS);
}

/** Each ISP owner's API client, signed in after the seeding moved the clock on (tokens are short-lived). */
const owners = new Map<string, ReturnType<typeof apiClient>>();
const as = (isp: TestIsp) => owners.get(isp.tenantId) ?? isp.request;

/** Walks the owner's consent as a browser would: our connect URL → the vendor → back to our callback. */
async function connect(isp: TestIsp, vendor: 'quickbooks' | 'xero', settings: unknown): Promise<string> {
  const begun = await as(isp)('POST', `/api/v1/accounting/${vendor}/connect`, {
    settings,
    syncFrom: '2030-03-01',
  });
  expect(begun.status).toBe(200);
  const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  expect(back.origin + back.pathname).toBe(`${ORIGIN}/callbacks/accounting/${vendor}`);
  const landed = await testApp.app.request(`${back.pathname}${back.search}`);
  expect(landed.status).toBe(303);
  return landed.headers.get('location') ?? '';
}

interface ConnectionItem {
  vendor: string;
  isOffered: boolean;
  connection: { status: string; isRunning: boolean; lastRunReport: Record<string, unknown> | null } | null;
}

async function syncAndWait(isp: TestIsp, vendor: 'quickbooks' | 'xero') {
  const started = await as(isp)('POST', `/api/v1/accounting/${vendor}/sync`);
  expect([started.status, await started.json()]).toEqual([202, { started: true }]);
  for (let poll = 0; poll < 200; poll++) {
    const { items } = (await (await as(isp)('GET', '/api/v1/accounting/connections')).json()) as {
      items: ConnectionItem[];
    };
    const connection = items.find((item) => item.vendor === vendor)?.connection;
    if (connection && !connection.isRunning) return connection.lastRunReport;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the ${vendor} sync did not finish`);
}

describe('accounting sync through the API', () => {
  it('QuickBooks: connects by OAuth, syncs the month, and a second run creates nothing again', async () => {
    const { ispA } = testApp;
    const landing = await connect(ispA, 'quickbooks', {
      itemId: '1',
      receivableAccountId: '84',
      refundFromAccountId: '35',
    });
    expect(landing).toBe('/isp/accounting?connected=quickbooks');

    expect(await syncAndWait(ispA, 'quickbooks')).toMatchObject({
      created: 7,
      failed: 0,
      stoppedBecause: null,
    });
    const calls = quickBooks.apiCallCount();
    expect(await syncAndWait(ispA, 'quickbooks')).toMatchObject({ created: 0, alreadyDone: 7, failed: 0 });
    expect(quickBooks.apiCallCount()).toBe(calls);

    const count = (type: Parameters<typeof quickBooks.entities>[0]) => quickBooks.entities(type).length;
    expect([count('Customer'), count('Invoice'), count('Payment'), count('JournalEntry')]).toEqual([
      2, 2, 1, 1,
    ]);
    // Subscriber ids are random, so the two invoices come in either order.
    const invoices = quickBooks.entities('Invoice');
    expect(invoices.filter((invoice) => invoice.isVoided)).toHaveLength(1);
    expect(invoices.find((invoice) => !invoice.isVoided)?.balanceCents).toBe(0);
    expect(quickBooks.entities('Payment')[0]?.data.UnappliedAmt).toBe(500);

    const log = (await (await as(ispA)('GET', '/api/v1/accounting/quickbooks/sync-log?limit=2')).json()) as {
      items: { status: string }[];
      nextCursor: string | null;
    };
    expect(log.items.map((entry) => entry.status)).toEqual(['ok', 'ok']);
    const rest = (await (
      await as(ispA)('GET', `/api/v1/accounting/quickbooks/sync-log?cursor=${log.nextCursor}`)
    ).json()) as { items: unknown[] };
    expect(rest.items).toHaveLength(5);
  });

  it('Xero: connects to the organisation GET /connections names, and syncs each record once', async () => {
    const { ispA } = testApp;
    await connect(ispA, 'xero', { revenueAccountCode: '200', bankAccountCode: '090' });
    const first = await syncAndWait(ispA, 'xero');
    expect(first).toMatchObject({ failed: 0, stoppedBecause: null });
    const second = await syncAndWait(ispA, 'xero');
    expect(second).toMatchObject({ created: 0, alreadyDone: first?.created, failed: 0 });
    expect(
      xero
        .documents('Invoice')
        .map((invoice) => invoice.status)
        .sort(),
    ).toEqual(['PAID', 'VOIDED']);
    expect(xero.documents('Contact')).toHaveLength(2);
  });

  it('refuses a callback whose state was used already, and a vendor the platform does not offer', async () => {
    const { ispA } = testApp;
    const begun = await as(ispA)('POST', '/api/v1/accounting/quickbooks/connect', {
      settings: { itemId: '1', receivableAccountId: '84', refundFromAccountId: '35' },
    });
    const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
    const back = new URL((await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location') ?? '');
    expect((await testApp.app.request(`${back.pathname}${back.search}`)).headers.get('location')).toBe(
      '/isp/accounting?connected=quickbooks',
    );
    const replay = await testApp.app.request(`${back.pathname}${back.search}`);
    const failed = new URL(replay.headers.get('location') ?? '', ORIGIN).searchParams.get('failed');
    expect(failed).toBe('This connect link has expired or was used already. Start again.');

    const invalid = await as(ispA)('POST', '/api/v1/accounting/xero/connect', { settings: {} });
    expect(invalid.status).toBe(400);
  });

  it('exports the ledger, invoices and payments of the month as CSV', async () => {
    const { ispA } = testApp;
    const response = await as(ispA)('GET', '/api/v1/exports/payments.csv?from=2030-03-01&to=2030-04-01');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'payment_id,received_date,received_at,provider,provider_transaction_id,account_reference,phone,amount,status,matched_kind,matched_id',
    );
    expect(lines.slice(1).map((line) => line.split(',')[7])).toEqual(['2000.00']);
    const ledger = await (
      await as(ispA)('GET', '/api/v1/exports/ledger.csv?from=2030-03-01&to=2030-04-01')
    ).text();
    expect(
      ledger
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[3]),
    ).toEqual(['invoice', 'invoice', 'payment', 'adjustment', 'refund']);
    const badRange = await as(ispA)('GET', '/api/v1/exports/invoices.csv?from=2030-04-01&to=2030-03-01');
    expect(badRange.status).toBe(400);
  });

  it('the nightly job syncs only what is new: a payment recorded after the last runs', async () => {
    const { ispA } = testApp;
    const payment = await as(ispA)('POST', '/api/v1/payments', {
      subscriberId: wanjiru.id,
      amountCents: 100_000,
      method: 'cash',
      idempotencyKey: 'cash-0002',
    });
    expect(payment.status).toBe(201);
    expect(await runAccountingSyncJob(testApp.dependencies)).toEqual({
      runs: 2,
      created: 2,
      failed: 0,
      skipped: 0,
    });
    expect(quickBooks.entities('Payment')).toHaveLength(2);
    expect(await runAccountingSyncJob(testApp.dependencies)).toEqual({
      runs: 2,
      created: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it('a token the vendor no longer accepts stops the run and asks the ISP to connect again', async () => {
    const { ispA } = testApp;
    quickBooks.oauth.revokeAll();
    quickBooks.oauth.expireAccessTokens();
    await as(ispA)('POST', '/api/v1/payments', {
      subscriberId: wanjiru.id,
      amountCents: 50_000,
      method: 'cash',
      idempotencyKey: 'cash-0003',
    });
    expect(await syncAndWait(ispA, 'quickbooks')).toMatchObject({ stoppedBecause: 'reconnect_needed' });
    const { items } = (await (await as(ispA)('GET', '/api/v1/accounting/connections')).json()) as {
      items: ConnectionItem[];
    };
    expect(items.find((item) => item.vendor === 'quickbooks')?.connection?.status).toBe('reconnect_needed');
    const refused = await as(ispA)('POST', '/api/v1/accounting/quickbooks/sync');
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      'accounting_reconnect_required',
    ]);
    expect(await runAccountingSyncJob(testApp.dependencies)).toMatchObject({ skipped: 1 });
  });

  it('the console page shows each connection with its last run and log, and a connect goes to the vendor', async () => {
    const browser = await testApp.signIn(testApp.ispA.ownerEmail);
    const page = await testApp.page(browser, '/isp/accounting');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Connected to 7f2b0c1e-8a4d-4f7b-9a51-2d3c4b5a6f71');
    expect(page.html).toMatch(/Last run: 0 created, \d+ already there, 0 refused/);
    const log = await testApp.page(browser, '/isp/accounting?log=xero');
    expect(log.html).toContain('data-sync-key="customer:');
    const disconnected = await testApp.page(browser, '/isp/accounting/xero/disconnect', {});
    expect(disconnected.location).toBe('/isp/accounting');
    const connect = await testApp.page(browser, '/isp/accounting/xero/connect', {
      revenueAccountCode: '200',
      bankAccountCode: '090',
      syncFrom: '2030-03-01',
    });
    expect(connect.status).toBe(303);
    expect(connect.location?.startsWith(xero.authorizeUrl)).toBe(true);
    const refused = await testApp.page(browser, '/isp/accounting/xero/connect', { revenueAccountCode: '' });
    expect(refused.location).toBe('/isp/accounting');
  });

  it('ISP B sees neither connection nor log of ISP A, cannot sync it, and exports only its own rows', async () => {
    const { ispB } = testApp;
    const { items } = (await (await as(ispB)('GET', '/api/v1/accounting/connections')).json()) as {
      items: ConnectionItem[];
    };
    expect(items.map((item) => [item.vendor, item.isOffered, item.connection])).toEqual([
      ['quickbooks', true, null],
      ['xero', true, null],
    ]);
    const log = (await (await as(ispB)('GET', '/api/v1/accounting/quickbooks/sync-log')).json()) as {
      items: unknown[];
    };
    expect(log.items).toEqual([]);
    expect((await as(ispB)('POST', '/api/v1/accounting/quickbooks/sync')).status).toBe(404);
    expect((await as(ispB)('DELETE', '/api/v1/accounting/quickbooks')).status).toBe(404);
    const csv = await (
      await as(ispB)('GET', '/api/v1/exports/ledger.csv?from=2030-03-01&to=2030-04-01')
    ).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1);
  });
});
