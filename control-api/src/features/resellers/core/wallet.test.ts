// Stock purchases in both pricing modes, the refusal a short wallet gets, payouts, and their transfers.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { CENTS_PER_SHILLING } from '../../../billing/core/units';
import { CommissionRuleBook } from './commission-rules';
import {
  commissionTransfers,
  owedOn,
  payoutTransfer,
  ResellerLedgerAccount,
  stockTransfer,
  topUpTransfer,
} from './ledger';
import { decidePayout, decideStockPurchase, type StockPurchaseInput, topUpInputSchema } from './wallet';

const rules = new CommissionRuleBook([
  { planId: null, level: 1, amount: { kind: 'percent', basisPoints: 1_000 } },
  { planId: null, level: 2, amount: { kind: 'percent', basisPoints: 200 } },
]);
const purchase: StockPurchaseInput = {
  walletCents: cents(100_000),
  planId: 'pln_day',
  planName: 'Daily 24 h',
  priceCents: cents(5_000),
  count: 10,
  chain: ['kiosk', 'agent'],
  rules,
  mode: 'commission',
  unitCents: CENTS_PER_SHILLING,
};

describe('decideStockPurchase', () => {
  it('in commission mode charges the plan price and credits every level its commission now', () => {
    const decision = decideStockPurchase(purchase);
    expect(decision).toMatchObject({
      ok: true,
      unitCostCents: 5_000,
      costCents: 50_000,
      walletAfterCents: 50_000,
      discountCents: 0,
      ispRevenueCents: 44_000,
      commissions: [
        { resellerId: 'kiosk', level: 1, amountCents: 5_000 },
        { resellerId: 'agent', level: 2, amountCents: 1_000 },
      ],
    });
  });

  it('in discount mode takes the buyer’s own commission off the price; its parent still earns', () => {
    const decision = decideStockPurchase({ ...purchase, mode: 'discount' });
    expect(decision).toMatchObject({
      ok: true,
      unitCostCents: 4_500,
      costCents: 45_000,
      walletAfterCents: 55_000,
      discountCents: 5_000,
      ispRevenueCents: 44_000,
      commissions: [{ resellerId: 'agent', level: 2, amountCents: 1_000 }],
    });
  });

  it('spends the wallet to exactly zero, and refuses one shilling more with the amounts in the message', () => {
    expect(decideStockPurchase({ ...purchase, walletCents: cents(50_000) })).toMatchObject({
      ok: true,
      walletAfterCents: 0,
    });
    const refused = decideStockPurchase({ ...purchase, walletCents: cents(49_900) });
    expect(refused).toEqual({
      ok: false,
      code: 'wallet_insufficient',
      httpStatus: 402,
      message:
        'The wallet holds Ksh 499 but 10 × Daily 24 h cost Ksh 500: top up at least Ksh 1, or buy fewer.',
    });
  });

  it('refuses a count outside 1..1,000 as a programmer error (the input schema stops it first)', () => {
    expect(() => decideStockPurchase({ ...purchase, count: 0 })).toThrow(RangeError);
    expect(() => decideStockPurchase({ ...purchase, count: 1_001 })).toThrow(RangeError);
  });
});

describe('payouts and the ledger', () => {
  it('refuses a payout above what is owed and leaves the account at zero at most', () => {
    expect(decidePayout({ owedCents: cents(6_000), amountCents: cents(6_000) })).toEqual({
      ok: true,
      owedAfterCents: 0,
    });
    expect(decidePayout({ owedCents: cents(6_000), amountCents: cents(6_100) })).toMatchObject({
      ok: false,
      code: 'payout_exceeds_owed',
      message: 'Only Ksh 60 of commission is owed; a payout of Ksh 61 is more.',
    });
  });

  it('moves wallet and commission accounts by transfers whose ids replay to the same id', () => {
    const atMs = Date.UTC(2026, 2, 1);
    const decision = decideStockPurchase(purchase);
    if (!decision.ok) throw new Error('expected approval');
    const transfers = [
      topUpTransfer({
        id: 'RCP1',
        resellerId: 'kiosk',
        amountCents: cents(100_000),
        method: 'mpesa',
        reference: 'RCP1',
        atMs,
      }),
      stockTransfer({ purchaseId: 'stk_1', resellerId: 'kiosk', costCents: decision.costCents, atMs }),
      ...commissionTransfers({ saleId: 'stk_1', shares: decision.commissions, atMs }),
      payoutTransfer({
        id: 'pay_1',
        resellerId: 'kiosk',
        amountCents: cents(2_000),
        method: 'cash',
        reference: 'book 4',
        atMs,
      }),
    ];
    expect(owedOn(transfers, ResellerLedgerAccount.wallet('kiosk'))).toBe(50_000);
    expect(owedOn(transfers, ResellerLedgerAccount.commission('kiosk'))).toBe(3_000);
    expect(owedOn(transfers, ResellerLedgerAccount.commission('agent'))).toBe(1_000);
    expect(transfers.map((transfer) => transfer.transferId)).toEqual([
      'reseller_topup:RCP1',
      'reseller_stock:stk_1',
      'reseller_commission:stk_1:1',
      'reseller_commission:stk_1:2',
      'reseller_payout:pay_1',
    ]);
    expect(transfers[0]).toMatchObject({
      debitAccount: 'mpesa_clearing',
      creditAccount: 'reseller_wallet:kiosk',
    });
  });

  it('takes the contract’s top-up body and refuses zero or a missing reference', () => {
    expect(topUpInputSchema.parse({ amountCents: 50_000, reference: ' cash book 12 ' })).toEqual({
      amountCents: 50_000,
      reference: 'cash book 12',
    });
    expect(topUpInputSchema.safeParse({ amountCents: 0, reference: 'x' }).success).toBe(false);
    expect(topUpInputSchema.safeParse({ amountCents: 100, reference: '  ' }).success).toBe(false);
  });
});
