// Purchases on a real shard: an M-Pesa receipt pays once whichever way it arrives, and a purchase paid
// by reconciliation takes its real receipt when the late callback comes (what voucher recovery asks for).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cents, ShardRegistry, type TenantShard } from '@kiunga/schemas';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordC2bPayment } from './c2b';
import {
  completePurchase,
  createPendingPurchase,
  getPurchase,
  QUERY_RECEIPT_PREFIX,
  recordStkAccepted,
  voucherCodeOfPaidPurchase,
} from './purchases';

const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-purchases-'));
const shards = new ShardRegistry({ dataDir });
const NOW = Date.UTC(2026, 11, 5, 9);
const PHONE = '254712000001';
const PRICE = cents(5_000);
let tenantCounter = 0;
let shard: TenantShard;

afterAll(() => {
  shards.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  shard = shards.forTenant(`tnt_purchases_${++tenantCounter}`);
  shard
    .statement(
      `INSERT INTO plans (id, name, kind, price_cents, validity_seconds, rate_up_kbps, rate_down_kbps, device_limit, created_at, updated_at)
       VALUES ('pln_day', 'Daily', 'hotspot', 5000, 86400, 1024, 2048, 1, 0, 0)`,
    )
    .run();
});

function pendingPurchase(checkout: string) {
  const purchase = createPendingPurchase(
    shard,
    { planId: 'pln_day', phone: PHONE, macAddress: null, amount: PRICE },
    NOW,
  );
  recordStkAccepted(
    shard,
    purchase.id,
    { merchantRequestId: `m-${checkout}`, checkoutRequestId: checkout },
    NOW,
  );
  return getPurchase(shard, purchase.id);
}

const countOf = (sql: string) => (shard.statement(sql).get() as { count: number }).count;

describe('completePurchase', () => {
  it('refuses a receipt that already paid another purchase: no second voucher, payment or ledger entry', () => {
    const first = pendingPurchase('ws_CO_1');
    const second = pendingPurchase('ws_CO_2');
    expect(
      completePurchase(shard, first, { receipt: 'SLK4ABC123', amount: PRICE, phone: PHONE }, NOW).kind,
    ).toBe('paid');
    expect(
      completePurchase(shard, second, { receipt: 'SLK4ABC123', amount: PRICE, phone: PHONE }, NOW),
    ).toEqual({
      kind: 'receipt_already_used',
    });
    expect(countOf('SELECT COUNT(*) AS count FROM vouchers')).toBe(1);
    expect(countOf('SELECT COUNT(*) AS count FROM payments')).toBe(1);
    expect(countOf('SELECT COUNT(*) AS count FROM ledger_entries')).toBe(1);
  });

  it('refuses a receipt a C2B confirmation already recorded, and the C2B path sees an STK receipt as a duplicate', () => {
    recordC2bPayment(
      shard,
      { transId: 'SLK4C2B001', amount: PRICE, msisdn: '2547 ***** 001', billRefNumber: '' },
      NOW,
    );
    const purchase = pendingPurchase('ws_CO_3');
    expect(
      completePurchase(shard, purchase, { receipt: 'SLK4C2B001', amount: PRICE, phone: PHONE }, NOW).kind,
    ).toBe('receipt_already_used');
    const paid = pendingPurchase('ws_CO_4');
    completePurchase(shard, paid, { receipt: 'SLK4STK001', amount: PRICE, phone: PHONE }, NOW);
    expect(
      recordC2bPayment(
        shard,
        { transId: 'SLK4STK001', amount: PRICE, msisdn: '2547 ***** 001', billRefNumber: '' },
        NOW,
      ),
    ).toEqual({ kind: 'duplicate' });
    expect(countOf(`SELECT COUNT(*) AS count FROM ledger_entries`)).toBe(2);
  });

  it('keeps the real receipt of a late callback on a purchase reconciliation paid, so recovery finds it', () => {
    const purchase = pendingPurchase('ws_CO_5');
    const reconciled = completePurchase(
      shard,
      purchase,
      { receipt: `${QUERY_RECEIPT_PREFIX}ws_CO_5`, amount: PRICE, phone: PHONE },
      NOW,
    );
    expect(reconciled.kind).toBe('paid');
    expect(voucherCodeOfPaidPurchase(shard, { phone: PHONE, receipt: 'SLK4LATE01' }, 0)).toBeNull();
    const late = completePurchase(
      shard,
      purchase,
      { receipt: 'SLK4LATE01', amount: PRICE, phone: PHONE },
      NOW,
    );
    expect(late.kind).toBe('already_paid');
    expect(voucherCodeOfPaidPurchase(shard, { phone: PHONE, receipt: 'SLK4LATE01' }, 0)).toMatch(
      /^[A-Z2-9]{8}$/,
    );
    expect(voucherCodeOfPaidPurchase(shard, { phone: '254712000002', receipt: 'SLK4LATE01' }, 0)).toBeNull();
    expect(voucherCodeOfPaidPurchase(shard, { phone: PHONE, receipt: 'SLK4LATE01' }, NOW + 1)).toBeNull();
  });
});
