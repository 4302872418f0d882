// A monthly statement: opening from earlier months, the month's movements, closing, running balances.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { localMidnightMs } from '../../../billing/core/calendar';
import { commissionTransfers, payoutTransfer, stockTransfer, topUpTransfer } from './ledger';
import { monthlyStatementPeriod, resellerStatement } from './statement';

const at = (month: number, day: number, hour = 12) =>
  localMidnightMs({ year: 2026, month, day }) + hour * 3_600_000;

const transfers = [
  topUpTransfer({
    id: 't1',
    resellerId: 'kiosk',
    amountCents: cents(20_000),
    method: 'cash',
    reference: 'b1',
    atMs: at(1, 20),
  }),
  stockTransfer({ purchaseId: 's1', resellerId: 'kiosk', costCents: cents(5_000), atMs: at(1, 21) }),
  ...commissionTransfers({
    saleId: 's1',
    shares: [{ resellerId: 'kiosk', level: 1, amountCents: cents(500) }],
    atMs: at(1, 21),
  }),
  topUpTransfer({
    id: 't2',
    resellerId: 'kiosk',
    amountCents: cents(10_000),
    method: 'mpesa',
    reference: 'QK1',
    atMs: at(2, 1, 0),
  }),
  stockTransfer({ purchaseId: 's2', resellerId: 'kiosk', costCents: cents(15_000), atMs: at(2, 14) }),
  ...commissionTransfers({
    saleId: 's2',
    shares: [
      { resellerId: 'kiosk', level: 1, amountCents: cents(1_500) },
      { resellerId: 'agent', level: 2, amountCents: cents(300) },
    ],
    atMs: at(2, 14),
  }),
  payoutTransfer({
    id: 'p1',
    resellerId: 'kiosk',
    amountCents: cents(1_000),
    method: 'cash',
    reference: 'paid',
    atMs: at(2, 28, 23),
  }),
  // 1 March 00:00 Nairobi belongs to March.
  topUpTransfer({
    id: 't3',
    resellerId: 'kiosk',
    amountCents: cents(7_000),
    method: 'cash',
    reference: 'b3',
    atMs: at(3, 1, 0),
  }),
];

describe('resellerStatement', () => {
  it('opens February with January’s balances and closes with the month’s movements added', () => {
    const statement = resellerStatement(transfers, 'kiosk', monthlyStatementPeriod({ year: 2026, month: 2 }));
    expect(statement.wallet).toEqual({
      openingCents: 15_000,
      topUpsCents: 10_000,
      stockCents: 15_000,
      adjustmentsCents: 0,
      closingCents: 10_000,
    });
    expect(statement.commissions).toEqual({
      openingCents: 500,
      earnedCents: 1_500,
      payoutsCents: 1_000,
      adjustmentsCents: 0,
      closingCents: 1_000,
    });
    expect(
      statement.lines.map((line) => [line.kind, line.walletBalanceCents, line.commissionBalanceCents]),
    ).toEqual([
      ['reseller_topup', 25_000, 500],
      // Same instant: ordered by transfer id, so every run prints the same lines.
      ['reseller_commission', 25_000, 2_000],
      ['reseller_stock', 10_000, 2_000],
      ['reseller_payout', 10_000, 1_000],
    ]);
  });

  it('uses Nairobi month boundaries: 1 February 00:00 EAT is 31 January 21:00 UTC', () => {
    const period = monthlyStatementPeriod({ year: 2026, month: 2 });
    expect(new Date(period.startMs).toISOString()).toBe('2026-01-31T21:00:00.000Z');
    expect(new Date(period.endMs).toISOString()).toBe('2026-02-28T21:00:00.000Z');
    const december = monthlyStatementPeriod({ year: 2025, month: 12 });
    expect(new Date(december.endMs).toISOString()).toBe('2025-12-31T21:00:00.000Z');
  });

  it('shows a reseller only its own accounts', () => {
    const statement = resellerStatement(transfers, 'agent', monthlyStatementPeriod({ year: 2026, month: 2 }));
    expect(statement.commissions.earnedCents).toBe(300);
    expect(statement.wallet.closingCents).toBe(0);
    expect(statement.lines).toHaveLength(1);
  });
});
