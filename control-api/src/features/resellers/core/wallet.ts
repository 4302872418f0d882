// Wallet rules: what a top-up, a stock purchase and a payout may do, decided before anything is written.
//
// Stock is bought at the reseller's price, in one of two modes the ISP chooses:
// - 'commission': the plan price per voucher from the wallet; each level of the chain, the buyer
//   included, earns its commission on every voucher at once (the sale to the reseller settles now).
// - 'discount': the plan price minus the buyer's own level-1 commission per voucher from the wallet; the
//   buyer earns no commission on that stock (it took it as the discount), its parents still earn theirs.
// Either way ISP revenue + discount + commissions = count × plan price, to the cent.
// The store must read the balance and write the transfers in one transaction (serializable on
// PostgreSQL) so two purchases cannot both spend the same shillings.
import { type Cents, cents, formatKsh } from '@kiunga/schemas';
import { z } from 'zod';
import type { InvoiceUnitCents } from '../../../billing/core/units';
import { type Refusal, refusal } from '../../shared/refusal';
import type { CommissionRuleBook } from './commission-rules';
import { type ResellerErrorCode, resellerErrorCatalogue } from './errors';
import { type SaleSplit, splitSale } from './split';

/** Ksh 1,000,000 in one top-up: more float than a kiosk holds; a larger figure is a typo. */
export const TOPUP_CENTS_MAX = 100_000_000;
/** One purchase is one printed run: 1,000 codes is ~42 A4 sheets, well inside one voucher batch. */
export const STOCK_PURCHASE_COUNT_MAX = 1_000;
/** Receipt numbers and cash-book references; longer input is not a reference. */
export const REFERENCE_LENGTH_MAX = 64;

export const STOCK_PRICING_MODES = ['commission', 'discount'] as const;
export type StockPricingMode = (typeof STOCK_PRICING_MODES)[number];

/** `POST /api/v1/resellers/<id>/topups {amountCents, reference}` (ISP, cash recorded). */
export const topUpInputSchema = z
  .object({
    amountCents: z.number().int().min(1).max(TOPUP_CENTS_MAX),
    reference: z.string().trim().min(1).max(REFERENCE_LENGTH_MAX),
  })
  .strict();

/** `POST /api/v1/resellers/<id>/stock {planId, count}`. */
export const stockPurchaseInputSchema = z
  .object({
    planId: z.string().min(1).max(64),
    count: z.number().int().min(1).max(STOCK_PURCHASE_COUNT_MAX),
  })
  .strict();

/** `POST /api/v1/resellers/<id>/payouts {amountCents, method, reference}`. */
export const payoutInputSchema = z
  .object({
    amountCents: z.number().int().min(1).max(TOPUP_CENTS_MAX),
    method: z.enum(['cash', 'mpesa', 'bank']),
    reference: z.string().trim().min(1).max(REFERENCE_LENGTH_MAX),
  })
  .strict();

export interface StockPurchaseInput {
  /** The buyer's wallet balance, read in the purchase's transaction. */
  readonly walletCents: Cents;
  readonly planId: string;
  readonly planName: string;
  readonly priceCents: Cents;
  readonly count: number;
  /** The buyer first, then its parents. */
  readonly chain: readonly string[];
  readonly rules: CommissionRuleBook;
  readonly mode: StockPricingMode;
  readonly unitCents: InvoiceUnitCents;
}

export interface LevelCommission {
  readonly resellerId: string;
  readonly level: number;
  /** For the whole purchase (per voucher × count). */
  readonly amountCents: Cents;
}

export interface StockPurchaseApproval {
  readonly ok: true;
  readonly count: number;
  /** What one voucher costs the buyer. */
  readonly unitCostCents: Cents;
  /** `costCents` of the contract's `201 {codes, costCents}`. */
  readonly costCents: Cents;
  readonly walletAfterCents: Cents;
  /** Discount mode: the buyer's level-1 share taken off the price; 0 in commission mode. */
  readonly discountCents: Cents;
  /** Commissions to post now, only those above zero. */
  readonly commissions: readonly LevelCommission[];
  readonly ispRevenueCents: Cents;
  /** The split of one voucher at the plan price. */
  readonly perVoucher: SaleSplit;
}

export type StockPurchaseDecision = StockPurchaseApproval | Refusal<ResellerErrorCode>;

export function decideStockPurchase(input: StockPurchaseInput): StockPurchaseDecision {
  const { count } = input;
  if (!Number.isSafeInteger(count) || count < 1 || count > STOCK_PURCHASE_COUNT_MAX) {
    throw new RangeError(`count must be 1..${STOCK_PURCHASE_COUNT_MAX}, got ${count}`);
  }
  const perVoucher = splitSale(input);
  const buyerShare = perVoucher.shares[0]?.amountCents ?? 0;
  const unitDiscount = input.mode === 'discount' ? buyerShare : 0;
  const unitCostCents = cents(input.priceCents - unitDiscount);
  const costCents = cents(unitCostCents * count);
  if (costCents > input.walletCents) {
    const shortfall = costCents - Math.max(input.walletCents, 0);
    const message =
      `The wallet holds ${formatKsh(input.walletCents)} but ${count} × ${input.planName} cost ` +
      `${formatKsh(costCents)}: top up at least ${formatKsh(shortfall)}, or buy fewer.`;
    return refusal(resellerErrorCatalogue, 'wallet_insufficient', message);
  }
  const commissions = perVoucher.shares
    .filter((share) => share.amountCents > 0 && !(input.mode === 'discount' && share.level === 1))
    .map((share) => ({
      resellerId: share.resellerId,
      level: share.level,
      amountCents: cents(share.amountCents * count),
    }));
  return {
    ok: true,
    count,
    unitCostCents,
    costCents,
    walletAfterCents: cents(input.walletCents - costCents),
    discountCents: cents(unitDiscount * count),
    commissions,
    ispRevenueCents: cents(perVoucher.ispRevenueCents * count),
    perVoucher,
  };
}

export type PayoutDecision =
  | { readonly ok: true; readonly owedAfterCents: Cents }
  | Refusal<ResellerErrorCode>;

/** A payout may not exceed the commission owed (the account never goes below zero). */
export function decidePayout(input: {
  readonly owedCents: Cents;
  readonly amountCents: Cents;
}): PayoutDecision {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 1) {
    throw new RangeError(`a payout is a positive number of cents, got ${input.amountCents}`);
  }
  if (input.amountCents > input.owedCents) {
    const message = `Only ${formatKsh(input.owedCents)} of commission is owed; a payout of ${formatKsh(input.amountCents)} is more.`;
    return refusal(resellerErrorCatalogue, 'payout_exceeds_owed', message);
  }
  return { ok: true, owedAfterCents: cents(input.owedCents - input.amountCents) };
}
