// A reseller's statement for a period: opening, top-ups, stock, commissions, payouts and closing of its
// wallet and commission accounts, with a running balance per line (the CSV and PDF print these).
import { type Cents, cents } from '@kiunga/schemas';
import type { LocalDate } from '../../../billing/core/calendar';
import { nairobiMonthRange, type TimeRange } from '../../shared/nairobi-time';
import { ResellerLedgerAccount, type ResellerTransfer, type ResellerTransferKind } from './ledger';

/** [startMs, endMs): a transfer at endMs belongs to the next period. */
export type StatementPeriod = TimeRange;

export interface StatementLine {
  readonly transferId: string;
  readonly atMs: number;
  readonly kind: ResellerTransferKind;
  readonly reference: string | null;
  /** Signed: a top-up is positive, stock negative. */
  readonly walletChangeCents: Cents;
  readonly commissionChangeCents: Cents;
  readonly walletBalanceCents: Cents;
  readonly commissionBalanceCents: Cents;
}

export interface ResellerStatement {
  readonly resellerId: string;
  readonly period: StatementPeriod;
  readonly wallet: {
    readonly openingCents: Cents;
    readonly topUpsCents: Cents;
    readonly stockCents: Cents;
    /** Corrections, signed. */
    readonly adjustmentsCents: Cents;
    readonly closingCents: Cents;
  };
  readonly commissions: {
    readonly openingCents: Cents;
    readonly earnedCents: Cents;
    readonly payoutsCents: Cents;
    readonly adjustmentsCents: Cents;
    readonly closingCents: Cents;
  };
  /** Oldest first; ties by transfer id so the order is the same on every run. */
  readonly lines: readonly StatementLine[];
}

/** A Nairobi calendar month, the usual statement period (month 1..12). */
export function monthlyStatementPeriod(month: Pick<LocalDate, 'year' | 'month'>): StatementPeriod {
  return nairobiMonthRange(month);
}

function signedChange(entry: ResellerTransfer, account: string): number {
  if (entry.creditAccount === account) return entry.amount;
  if (entry.debitAccount === account) return -entry.amount;
  return 0;
}

/**
 * The statement from the reseller's transfers up to the period's end (earlier ones make the opening
 * balances). Transfers that touch neither account are ignored.
 */
export function resellerStatement(
  transfers: readonly ResellerTransfer[],
  resellerId: string,
  period: StatementPeriod,
): ResellerStatement {
  if (!(period.startMs < period.endMs)) throw new RangeError('a statement period ends after it starts');
  const walletAccount = ResellerLedgerAccount.wallet(resellerId);
  const commissionAccount = ResellerLedgerAccount.commission(resellerId);
  const sorted = [...transfers]
    .filter((entry) => entry.atMs < period.endMs)
    .sort((left, right) => left.atMs - right.atMs || (left.transferId < right.transferId ? -1 : 1));
  let wallet = 0;
  let commission = 0;
  let walletOpening = 0;
  let commissionOpening = 0;
  const totals = {
    topUps: 0,
    stock: 0,
    walletAdjustments: 0,
    earned: 0,
    payouts: 0,
    commissionAdjustments: 0,
  };
  const lines: StatementLine[] = [];
  for (const entry of sorted) {
    const walletChange = signedChange(entry, walletAccount);
    const commissionChange = signedChange(entry, commissionAccount);
    if (walletChange === 0 && commissionChange === 0) continue;
    wallet += walletChange;
    commission += commissionChange;
    if (entry.atMs < period.startMs) {
      walletOpening = wallet;
      commissionOpening = commission;
      continue;
    }
    if (entry.kind === 'reseller_topup') totals.topUps += walletChange;
    else if (entry.kind === 'reseller_stock') totals.stock -= walletChange;
    else totals.walletAdjustments += walletChange;
    if (entry.kind === 'reseller_commission') totals.earned += commissionChange;
    else if (entry.kind === 'reseller_payout') totals.payouts -= commissionChange;
    else totals.commissionAdjustments += commissionChange;
    lines.push({
      transferId: entry.transferId,
      atMs: entry.atMs,
      kind: entry.kind,
      reference: entry.reference,
      walletChangeCents: cents(walletChange),
      commissionChangeCents: cents(commissionChange),
      walletBalanceCents: cents(wallet),
      commissionBalanceCents: cents(commission),
    });
  }
  return {
    resellerId,
    period,
    wallet: {
      openingCents: cents(walletOpening),
      topUpsCents: cents(totals.topUps),
      stockCents: cents(totals.stock),
      adjustmentsCents: cents(totals.walletAdjustments),
      closingCents: cents(wallet),
    },
    commissions: {
      openingCents: cents(commissionOpening),
      earnedCents: cents(totals.earned),
      payoutsCents: cents(totals.payouts),
      adjustmentsCents: cents(totals.commissionAdjustments),
      closingCents: cents(commission),
    },
    lines,
  };
}
