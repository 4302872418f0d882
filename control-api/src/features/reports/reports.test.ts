// GET /api/v1/reports/sales|activity|network in process, on both databases: sales from payments and
// printed vouchers per day, plan and channel; sessions' peak concurrency; logins, devices and rejects from
// the Access-Request log; routers' downtime from the alert history; CSV and PDF; every ISP sees its own
// sales whatever its tier, and only its own.
import type { SqlDatabase } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, TEST_HOTSPOT_PLAN, type TwoIspApp } from '../../kernel/testing/in-process-app';

let testApp: TwoIspApp;
let planId: string;
let nasId: string;

/** An instant in Nairobi (UTC+3) on 1–2 March 2030, the range the tests report on. */
const at = (day: number, hour: number, minute = 0) => Date.UTC(2030, 2, day, hour - 3, minute);
const RANGE = 'from=2030-03-01&to=2030-03-03';

async function insertPayment(
  database: SqlDatabase,
  payment: {
    id: string;
    provider: string;
    amountCents: number;
    atMs: number;
    matchedKind: string | null;
    matchedId: string | null;
  },
) {
  await database.run(
    `INSERT INTO payments (id, provider, provider_transaction_id, amount_cents, matched_kind, matched_id, status, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      payment.id,
      payment.provider,
      `receipt-${payment.id}`,
      payment.amountCents,
      payment.matchedKind,
      payment.matchedId,
      payment.matchedKind === null ? 'unmatched' : 'matched',
      payment.atMs,
    ],
  );
}

async function insertVoucher(
  database: SqlDatabase,
  id: string,
  batchId: string | null,
  firstUsedAt: number | null,
) {
  await database.run(
    `INSERT INTO vouchers (id, code, plan_id, batch_id, price_cents, validity_seconds, device_limit, rate_limit,
                           status, first_used_at, created_at)
     VALUES (?, ?, ?, ?, 3000, 7200, 2, '512k/1M', ?, ?, ?)`,
    [id, `CODE-${id}`, planId, batchId, firstUsedAt === null ? 'unused' : 'active', firstUsedAt, at(1, 0)],
  );
}

beforeAll(async () => {
  testApp = await openTwoIspApp();
  const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
  planId = ((await plan.json()) as { id: string }).id;
  const nas = await testApp.ispA.request('POST', '/api/v1/nas', { name: 'Branch', ipAddress: '10.20.0.1' });
  nasId = ((await nas.json()) as { id: string }).id;
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  await database.run(
    `INSERT INTO voucher_batches (id, plan_id, count, prefix, created_by, created_at) VALUES
       ('batch_sheet', ?, 2, '', 'owner', ?), ('batch_portal', ?, 1, '', 'mpesa:RCP1', ?)`,
    [planId, at(1, 0), planId, at(1, 0)],
  );
  // Printed: one used on the 1st, one used on the 2nd, one never; the portal's voucher is a purchase.
  await insertVoucher(database, 'vch_sheet1', 'batch_sheet', at(1, 9));
  await insertVoucher(database, 'vch_sheet2', 'batch_sheet', at(2, 23, 30));
  await insertVoucher(database, 'vch_sheet3', 'batch_sheet', null);
  await insertVoucher(database, 'vch_portal', 'batch_portal', at(1, 10, 5));
  await database.run(
    `INSERT INTO purchases (id, plan_id, phone, amount_cents, status, voucher_id, created_at, updated_at)
     VALUES ('pur_1', ?, '254700000001', 3000, 'paid', 'vch_portal', ?, ?)`,
    [planId, at(1, 10), at(1, 10)],
  );
  await insertPayment(database, {
    id: 'pay_stk',
    provider: 'mpesa_stk',
    amountCents: 3_000,
    atMs: at(1, 10),
    matchedKind: 'purchase',
    matchedId: 'pur_1',
  });
  await insertPayment(database, {
    id: 'pay_c2b',
    provider: 'mpesa_c2b',
    amountCents: 150_000,
    atMs: at(2, 8),
    matchedKind: 'subscriber',
    matchedId: 'sub_1',
  });
  await insertPayment(database, {
    id: 'pay_cash',
    provider: 'manual',
    amountCents: 50_000,
    atMs: at(2, 9),
    matchedKind: 'subscriber',
    matchedId: 'sub_1',
  });
  // Not sales: money nobody was matched to yet, and a payment the day after the range.
  await insertPayment(database, {
    id: 'pay_unmatched',
    provider: 'mpesa_c2b',
    amountCents: 7_000,
    atMs: at(1, 12),
    matchedKind: null,
    matchedId: null,
  });
  await insertPayment(database, {
    id: 'pay_later',
    provider: 'mpesa_stk',
    amountCents: 3_000,
    atMs: at(3, 0, 1),
    matchedKind: 'purchase',
    matchedId: 'pur_1',
  });
});

afterAll(async () => {
  await testApp?.close();
});

describe('GET /api/v1/reports/sales', () => {
  it('groups matched payments and first-used printed vouchers per local day, plan and channel', async () => {
    const response = await testApp.ispA.request('GET', `/api/v1/reports/sales?${RANGE}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { rows: unknown[]; totals: unknown; byChannel: unknown[] };
    expect(report.rows).toEqual([
      { day: '2030-03-01', planId, channel: 'portal_stk', count: 1, amountCents: 3_000 },
      { day: '2030-03-01', planId, channel: 'voucher_sheet', count: 1, amountCents: 3_000 },
      { day: '2030-03-02', planId, channel: 'voucher_sheet', count: 1, amountCents: 3_000 },
      { day: '2030-03-02', planId: null, channel: 'c2b_paybill', count: 1, amountCents: 150_000 },
      { day: '2030-03-02', planId: null, channel: 'manual', count: 1, amountCents: 50_000 },
    ]);
    expect(report.totals).toEqual({ count: 5, amountCents: 209_000 });
    expect(report.byChannel).toContainEqual({ channel: 'voucher_sheet', count: 2, amountCents: 6_000 });
  });

  it('starts a range at its first instant: a range from 10:00 on the 1st leaves out the 09:00 voucher', async () => {
    const from = new Date(at(1, 10)).toISOString();
    const response = await testApp.ispA.request('GET', `/api/v1/reports/sales?from=${from}&to=2030-03-02`);
    const report = (await response.json()) as { rows: Array<{ channel: string }>; totals: unknown };
    expect(report.rows.map((row) => row.channel)).toEqual(['portal_stk']);
    expect(report.totals).toEqual({ count: 1, amountCents: 3_000 });
  });

  it('answers CSV with the same rows and a printable PDF, as downloads', async () => {
    const csv = await testApp.ispA.request('GET', `/api/v1/reports/sales?${RANGE}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="sales-report.csv"');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('day,planId,plan,channel,count,amountCents');
    expect(lines[1]).toBe(`2030-03-01,${planId},Two hours,portal_stk,1,3000`);
    expect(lines).toHaveLength(7);
    const pdf = await testApp.ispA.request('GET', `/api/v1/reports/sales?${RANGE}&format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('refuses a range that ends before it starts', async () => {
    const response = await testApp.ispA.request('GET', '/api/v1/reports/sales?from=2030-03-03&to=2030-03-01');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it("shows ISP B none of ISP A's sales", async () => {
    const response = await testApp.ispB.request('GET', `/api/v1/reports/sales?${RANGE}`);
    expect(await response.json()).toMatchObject({ rows: [], totals: { count: 0, amountCents: 0 } });
  });
});

describe('every ISP sees its sales, whatever its tier', () => {
  it('lets a hotspot-only Tier 1 ISP read its sales report and its payments, but not record subscriber payments', async () => {
    await testApp.dependencies.databases.platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
      [testApp.ispA.tenantId],
    );
    try {
      expect((await testApp.ispA.request('GET', `/api/v1/reports/sales?${RANGE}`)).status).toBe(200);
      const payments = await testApp.ispA.request('GET', '/api/v1/payments?limit=10');
      expect(payments.status).toBe(200);
      expect(((await payments.json()) as { items: unknown[] }).items).toHaveLength(5);
      const record = await testApp.ispA.request('POST', '/api/v1/payments', {
        subscriberId: 'sub_1',
        amountCents: 100,
        method: 'cash',
        idempotencyKey: 'tier1-cash-1',
      });
      expect(record.status).toBe(403);
    } finally {
      await testApp.dependencies.databases.platform.run(
        `UPDATE tenants SET tier = 'tier2', feature_choice = NULL WHERE id = ?`,
        [testApp.ispA.tenantId],
      );
    }
  });
});

describe('GET /api/v1/reports/activity', () => {
  it("gives each day's peak of concurrent sessions", async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const sessions: Array<[string, number, number | null]> = [
      ['s1', at(1, 8), at(1, 12)],
      ['s2', at(1, 9), at(1, 10)],
      ['s3', at(1, 9, 30), at(1, 11)],
      ['s4', at(2, 20), null],
    ];
    for (const [id, startedAt, stoppedAt] of sessions) {
      await database.run(
        `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, status,
                               started_at, updated_at, stopped_at, interim_interval_seconds, input_octets, output_octets,
                               session_time_seconds)
         VALUES (?, ?, ?, 'alice', 'voucher', 'vch_sheet1', ?, ?, ?, ?, 300, 1000, 5000, 600)`,
        [id, nasId, id, stoppedAt === null ? 'open' : 'closed', startedAt, startedAt, stoppedAt],
      );
    }
    const response = await testApp.ispA.request('GET', `/api/v1/reports/activity?${RANGE}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      rows: Array<{ day: string; peakConcurrentSessions: number }>;
      totals: { peakConcurrentSessions: number };
    };
    expect(report.rows.map((row) => [row.day, row.peakConcurrentSessions])).toEqual([
      ['2030-03-01', 3],
      ['2030-03-02', 1],
    ]);
    expect(report.totals.peakConcurrentSessions).toBe(3);
    const other = await testApp.ispB.request('GET', `/api/v1/reports/activity?${RANGE}`);
    expect(
      ((await other.json()) as { totals: { peakConcurrentSessions: number } }).totals.peakConcurrentSessions,
    ).toBe(0);
  });

  it('counts logins, unique devices and rejects by reason per local day from the Access-Request log', async () => {
    const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
    const phone = 'aa:bb:cc:00:00:01';
    const laptop = 'aa:bb:cc:00:00:02';
    const decisions: Array<[number, string, 'accept' | 'reject', string | null]> = [
      [at(1, 8), phone, 'accept', null],
      [at(1, 9), phone, 'accept', null],
      [at(1, 10), laptop, 'accept', null],
      [at(1, 11), 'aa:bb:cc:00:00:03', 'reject', 'device_limit_reached'],
      [at(1, 11, 5), 'aa:bb:cc:00:00:03', 'reject', 'device_limit_reached'],
      [at(1, 12), '', 'reject', 'voucher_expired'],
      // 01:00 in Nairobi on the 2nd is still the 1st in UTC: it is the 2nd's login.
      [at(2, 1), '', 'accept', null],
      [at(2, 23, 30), phone, 'accept', null],
      // After the range.
      [at(3, 0, 1), laptop, 'accept', null],
    ];
    for (const [decidedAt, mac, result, reasonCode] of decisions) {
      await database.run(
        `INSERT INTO access_decisions (decided_at, username, nas_id, mac_address, result, reason_code)
         VALUES (?, 'alice', ?, ?, ?, ?)`,
        [decidedAt, nasId, mac, result, reasonCode],
      );
    }
    const response = await testApp.ispA.request('GET', `/api/v1/reports/activity?${RANGE}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      rows: Array<{ day: string; logins: number; uniqueDevices: number; rejects: number }>;
      totals: {
        logins: number;
        uniqueDevices: number;
        rejects: number;
        rejectsByReason: Record<string, number>;
      };
    };
    expect(
      report.rows.map(({ day, logins, uniqueDevices, rejects }) => [day, logins, uniqueDevices, rejects]),
    ).toEqual([
      ['2030-03-01', 3, 2, 3],
      ['2030-03-02', 2, 1, 0],
    ]);
    expect(report.totals).toMatchObject({
      logins: 5,
      uniqueDevices: 2,
      rejects: 3,
      rejectsByReason: { device_limit_reached: 2, voucher_expired: 1 },
    });
    const other = await testApp.ispB.request('GET', `/api/v1/reports/activity?${RANGE}`);
    expect(((await other.json()) as { totals: { logins: number; rejects: number } }).totals).toMatchObject({
      logins: 0,
      rejects: 0,
    });
  });
});

describe('GET /api/v1/reports/network', () => {
  it('gives each router its traffic, sessions and the downtime of its quiet alerts; ISP B sees none of it', async () => {
    await testApp.dependencies.databases.platform.run(
      `INSERT INTO nas_alert_history (id, tenant_id, nas_id, raised_at, cleared_at) VALUES ('alert_1', ?, ?, ?, ?)`,
      [testApp.ispA.tenantId, nasId, at(1, 12), at(1, 13, 12)],
    );
    const response = await testApp.ispA.request('GET', `/api/v1/reports/network?${RANGE}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { rows: Array<Record<string, unknown>> };
    expect(report.rows).toEqual([
      {
        nasId,
        name: 'Branch',
        inputOctets: 4_000,
        outputOctets: 20_000,
        sessionSeconds: 2_400,
        sessionsStarted: 4,
        downMinutes: 72,
        // (2 days − 72 minutes) ÷ 2 days = 97.5 %
        uptimePercent: 97.5,
      },
    ]);
    const other = await testApp.ispB.request('GET', `/api/v1/reports/network?${RANGE}`);
    expect(((await other.json()) as { rows: unknown[] }).rows).toEqual([]);
  });
});

describe('/isp/reports', () => {
  it('shows the range as a chart and a table, with CSV and PDF links, to the ISP that owns it', async () => {
    const page = await (await testApp.ispA.openConsole())(`/isp/reports?kind=sales&${RANGE}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<svg');
    expect(html).toContain('role="img"');
    expect(html).toContain(`href="/api/v1/reports/sales?${RANGE.replace('&', '&amp;')}&amp;format=csv"`);
    expect(html).toContain('<td>Voucher sheets</td>');
    expect(html).toContain('<th>Ksh 2,090</th>');
    const other = await (await (await testApp.ispB.openConsole())(`/isp/reports?kind=sales&${RANGE}`)).text();
    expect(other).toContain('Nothing in this range.');
    expect(other).not.toContain('Voucher sheets</td>');
  });

  it('opens the network report with a row per router', async () => {
    const html = await (
      await (
        await testApp.ispA.openConsole()
      )(`/isp/reports?kind=network&${RANGE}`)
    ).text();
    expect(html).toContain('<td>Branch</td>');
  });
});
