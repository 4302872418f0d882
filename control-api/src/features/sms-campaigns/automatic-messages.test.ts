// Automatic messages through the outbox, in process on a clock the test moves: the voucher code after a
// portal purchase (once per purchase, even to a number that sent STOP: the person just paid), and a
// warning before a voucher or subscription expires (once per item and expiry, skipping STOP); nothing for
// an ISP without SMS set up.
import { cents, insertOf, type SqlDatabase, tenantSchema } from '@kiunga/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  jsonOf,
  TEST_HOTSPOT_PLAN,
  TEST_START_MS,
  type TwoIspApp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';
import { completePurchase, createPendingPurchase } from '../../mpesa/purchases';
import { queueTenantExpiryWarnings, VOUCHER_WARNING_BEFORE_MS } from './automatic-messages';
import { optOut } from './service';

const DAY_MS = 86_400_000;
const open = useTwoIspApp('sms-auto');
let testApp: TwoIspApp;
let planId: string;
let receiptNumber = 0;

interface OutboxRow {
  kind: string;
  subscriberId: string;
  recipient: string;
  body: string;
  status: string;
}

async function outbox(database: SqlDatabase, kind: string): Promise<OutboxRow[]> {
  return database.all<OutboxRow>(
    `SELECT kind, subscriber_id AS "subscriberId", recipient, body, status FROM notifications
      WHERE kind = ? ORDER BY id`,
    [kind],
  );
}

/** A portal purchase paid through M-Pesa, as the STK callback completes it; the voucher id. */
async function paidPurchase(
  database: SqlDatabase,
  phone: string,
): Promise<{ purchaseId: string; voucherId: string }> {
  const purchase = await createPendingPurchase(
    database,
    { planId, phone, macAddress: null, amount: cents(TEST_HOTSPOT_PLAN.priceCents) },
    testApp.clock.now(),
  );
  receiptNumber += 1;
  const payment = { receipt: `RCP${receiptNumber}`, amount: cents(TEST_HOTSPOT_PLAN.priceCents), phone };
  const completion = await completePurchase(database, purchase, payment, testApp.clock.now());
  if (completion.kind !== 'paid') throw new Error(`purchase not paid: ${completion.kind}`);
  // The callback repeated: nothing more is queued.
  await completePurchase(database, purchase, payment, testApp.clock.now());
  return { purchaseId: purchase.id, voucherId: completion.voucherId };
}

beforeAll(async () => {
  testApp = open();
  const put = await testApp.ispA.request('PUT', '/api/v1/settings/sms', {
    username: 'isp-a',
    apiKey: 'key-a',
    enabled: true,
  });
  expect(put.status).toBe(200);
  for (const isp of [testApp.ispA, testApp.ispB]) {
    const created = await isp.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
    expect(created.status).toBe(201);
    if (isp === testApp.ispA) planId = (await jsonOf<{ id: string }>(created)).id;
  }
});

describe('the voucher code after a portal purchase', () => {
  it('is queued once per purchase to the phone that paid, with the code and the package', async () => {
    const database = testApp.ispA.database;
    const { voucherId } = await paidPurchase(database, '254712000001');
    const code = (await database.get<{ code: string }>('SELECT code FROM vouchers WHERE id = ?', [
      voucherId,
    ]))!.code;
    expect(await outbox(database, 'voucher_code')).toEqual([
      {
        kind: 'voucher_code',
        subscriberId: voucherId,
        recipient: '254712000001',
        body: `Your Wi-Fi code: ${code} (${TEST_HOTSPOT_PLAN.name}). Enter it on the hotspot login page.`,
        status: 'pending',
      },
    ]);
  });

  it('goes even to a number that sent STOP: the person just paid for it', async () => {
    const database = testApp.ispA.database;
    await optOut(database, '254712000002', 'keyword', testApp.clock.now());
    await paidPurchase(database, '254712000002');
    expect((await outbox(database, 'voucher_code')).map((row) => row.recipient)).toContain('254712000002');
  });

  it('is not queued by an ISP without SMS set up', async () => {
    const database = testApp.ispB.database;
    const planOfB = (await database.get<{ id: string }>('SELECT id FROM plans LIMIT 1'))!.id;
    const purchase = await createPendingPurchase(
      database,
      {
        planId: planOfB,
        phone: '254712000003',
        macAddress: null,
        amount: cents(TEST_HOTSPOT_PLAN.priceCents),
      },
      testApp.clock.now(),
    );
    const payment = { receipt: 'RCPB1', amount: cents(TEST_HOTSPOT_PLAN.priceCents), phone: '254712000003' };
    expect((await completePurchase(database, purchase, payment, testApp.clock.now())).kind).toBe('paid');
    expect(await outbox(database, 'voucher_code')).toEqual([]);
  });
});

describe('expiry warnings', () => {
  it('warns a voucher buyer and a subscriber once before expiry, and nobody who sent STOP', async () => {
    const database = testApp.ispA.database;
    const nowMs = TEST_START_MS + DAY_MS;
    testApp.clock.set(nowMs);
    const soon = await paidPurchase(database, '254712000010');
    const stopped = await paidPurchase(database, '254712000011');
    const later = await paidPurchase(database, '254712000012');
    const activate = (voucherId: string, expiresAt: number) =>
      database.run(`UPDATE vouchers SET status = 'active', first_used_at = ?, expires_at = ? WHERE id = ?`, [
        nowMs,
        expiresAt,
        voucherId,
      ]);
    await activate(soon.voucherId, nowMs + VOUCHER_WARNING_BEFORE_MS - 60_000);
    await activate(stopped.voucherId, nowMs + 60_000);
    await activate(later.voucherId, nowMs + 2 * VOUCHER_WARNING_BEFORE_MS);
    await optOut(database, '254712000011', 'keyword', nowMs);
    for (const [id, days, phone] of [
      ['sub_soon', 2, '0712000020'],
      ['sub_later', 5, '0712000021'],
    ] as const) {
      const row = insertOf(tenantSchema.subscribers, {
        id,
        username: id,
        passwordSealed: 'unused',
        planId,
        accountNumber: `ACC-${id}`,
        kind: 'pppoe',
        status: 'active',
        expiresAt: nowMs + days * DAY_MS,
        fullName: 'Amina',
        phone,
        createdAt: nowMs,
        updatedAt: nowMs,
      });
      await database.run(row.sql, row.params);
    }

    expect(await queueTenantExpiryWarnings(testApp.dependencies, database, nowMs)).toBe(2);
    expect(await queueTenantExpiryWarnings(testApp.dependencies, database, nowMs + 60_000)).toBe(0);
    const warnings = await outbox(database, 'expiry_warning');
    expect(warnings.map((row) => [row.subscriberId, row.recipient])).toEqual([
      [soon.voucherId, '254712000010'],
      ['sub_soon', '0712000020'],
    ]);
    expect(warnings[0]!.body).toMatch(
      /^Your Wi-Fi code \w+ \(Two hours\) ends at 2 Mar 2030 09:29\. Buy your next/,
    );
    expect(warnings[1]!.body).toBe(
      'Hello Amina, your Two hours internet ends 4 Mar 2030 09:00. Pay Ksh 0 to paybill your provider, account ACC-sub_soon.',
    );
  });
});
