// Purchases on a real tenant database (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres): an
// M-Pesa receipt pays once whichever way it arrives, and a purchase paid by reconciliation takes its
// real receipt when the late callback comes (what voucher recovery asks for).
import { cents, type SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordC2bPayment } from './c2b';
import {
  completePurchase,
  createPendingPurchase,
  getPurchase,
  QUERY_RECEIPT_PREFIX,
  recordStkAccepted,
  voucherCodeOfPaidPurchase,
} from './purchases';

const testDatabases = useTestDatabases();
const NOW = Date.UTC(2026, 11, 5, 9);
const PHONE = '254712000001';
const PRICE = cents(5_000);
let tenantCounter = 0;
let database: SqlDatabase;

beforeEach(async () => {
  database = await testDatabases().createTenantDatabase(`tnt_purchases_${++tenantCounter}`);
  await database.run(
    `INSERT INTO plans (id, name, kind, price_cents, validity_seconds, rate_up_kbps, rate_down_kbps, device_limit, created_at, updated_at)
     VALUES ('pln_day', 'Daily', 'hotspot', 5000, 86400, 1024, 2048, 1, 0, 0)`,
  );
});

async function pendingPurchase(checkout: string) {
  const purchase = await createPendingPurchase(
    database,
    { planId: 'pln_day', phone: PHONE, macAddress: null, amount: PRICE },
    NOW,
  );
  await recordStkAccepted(
    database,
    purchase.id,
    { merchantRequestId: `m-${checkout}`, checkoutRequestId: checkout },
    NOW,
  );
  return getPurchase(database, purchase.id);
}

const countOf = async (sql: string) => (await database.get<{ count: number }>(sql))?.count;

describe('completePurchase', () => {
  it('refuses a receipt that already paid another purchase: no second voucher, payment or ledger entry', async () => {
    const first = await pendingPurchase('ws_CO_1');
    const second = await pendingPurchase('ws_CO_2');
    expect(
      (await completePurchase(database, first, { receipt: 'SLK4ABC123', amount: PRICE, phone: PHONE }, NOW))
        .kind,
    ).toBe('paid');
    expect(
      await completePurchase(database, second, { receipt: 'SLK4ABC123', amount: PRICE, phone: PHONE }, NOW),
    ).toEqual({
      kind: 'receipt_already_used',
    });
    expect(await countOf('SELECT COUNT(*) AS count FROM vouchers')).toBe(1);
    expect(await countOf('SELECT COUNT(*) AS count FROM payments')).toBe(1);
    expect(await countOf('SELECT COUNT(*) AS count FROM ledger_entries')).toBe(1);
  });

  it('refuses a receipt a C2B confirmation already recorded, and the C2B path sees an STK receipt as a duplicate', async () => {
    await recordC2bPayment(
      database,
      { transId: 'SLK4C2B001', amount: PRICE, msisdn: '2547 ***** 001', billRefNumber: '' },
      NOW,
    );
    const purchase = await pendingPurchase('ws_CO_3');
    expect(
      (
        await completePurchase(
          database,
          purchase,
          { receipt: 'SLK4C2B001', amount: PRICE, phone: PHONE },
          NOW,
        )
      ).kind,
    ).toBe('receipt_already_used');
    const paid = await pendingPurchase('ws_CO_4');
    await completePurchase(database, paid, { receipt: 'SLK4STK001', amount: PRICE, phone: PHONE }, NOW);
    expect(
      await recordC2bPayment(
        database,
        { transId: 'SLK4STK001', amount: PRICE, msisdn: '2547 ***** 001', billRefNumber: '' },
        NOW,
      ),
    ).toEqual({ kind: 'duplicate' });
    expect(await countOf(`SELECT COUNT(*) AS count FROM ledger_entries`)).toBe(2);
  });

  it('keeps the real receipt of a late callback on a purchase reconciliation paid, so recovery finds it', async () => {
    const purchase = await pendingPurchase('ws_CO_5');
    const reconciled = await completePurchase(
      database,
      purchase,
      { receipt: `${QUERY_RECEIPT_PREFIX}ws_CO_5`, amount: PRICE, phone: PHONE },
      NOW,
    );
    expect(reconciled.kind).toBe('paid');
    expect(await voucherCodeOfPaidPurchase(database, { phone: PHONE, receipt: 'SLK4LATE01' }, 0)).toBeNull();
    const late = await completePurchase(
      database,
      purchase,
      { receipt: 'SLK4LATE01', amount: PRICE, phone: PHONE },
      NOW,
    );
    expect(late.kind).toBe('already_paid');
    expect(await voucherCodeOfPaidPurchase(database, { phone: PHONE, receipt: 'SLK4LATE01' }, 0)).toMatch(
      /^[A-Z2-9]{8}$/,
    );
    expect(
      await voucherCodeOfPaidPurchase(database, { phone: '254712000002', receipt: 'SLK4LATE01' }, 0),
    ).toBeNull();
    expect(
      await voucherCodeOfPaidPurchase(database, { phone: PHONE, receipt: 'SLK4LATE01' }, NOW + 1),
    ).toBeNull();
  });
});
