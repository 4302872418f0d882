// The split of one sale between the ISP and every level of the selling reseller's chain, to the cent.
//
// Rounding rule (the cumulative floor of billing/proration.ts, applied to percentages instead of days):
// with P the price in the ISP's unit and C_k the sum of the percentage rules (basis points) of levels
// 1..k, a percentage level k earns share(C_k) − share(C_{k−1}) where share(C) = floor(P × C / 10,000).
// The percentage levels together earn exactly share(C_n), each within one unit of its exact fraction,
// and the unit floor() drops stays with the ISP. A fixed rule earns its amount, floored to the unit.
//
// Cap (a rule asking for more than is left): levels are served in order, seller first, each taking at
// most what the price leaves after the levels before it; the ISP takes the rest. So no share is negative,
// the ISP's revenue is never negative, and ISP revenue + every level's commission = P exactly. A fixed
// Ksh 50 at level 1 on a Ksh 20 voucher pays the seller Ksh 20, its parents and the ISP nothing.
import { type Cents, cents } from '@kiunga/schemas';
import { type InvoiceUnitCents, isWholeUnits } from '../../../billing/core/units';
import { BASIS_POINTS_PER_WHOLE, type CommissionAmount, type CommissionRuleBook } from './commission-rules';
import { RESELLER_DEPTH_LIMIT } from './hierarchy';

/**
 * Ksh 1 billion: far above any sale, and low enough that price × the largest cumulative percentage
 * (RESELLER_DEPTH_LIMIT × 10,000 basis points) stays a safe integer, so no BigInt is needed.
 */
export const SALE_PRICE_CENTS_MAX = 100_000_000_000;

export interface SaleSplitInput {
  readonly planId: string;
  /** What the buyer paid (or the reseller paid for one voucher of stock at the full price). */
  readonly priceCents: Cents;
  /** The selling reseller first, then its parents (ResellerHierarchy.chainOf); empty: no reseller. */
  readonly chain: readonly string[];
  readonly rules: CommissionRuleBook;
  /** The ISP's money unit (billing/units.ts): whole shillings by default, so commissions are too. */
  readonly unitCents: InvoiceUnitCents;
}

export interface CommissionShare {
  readonly resellerId: string;
  /** 1 = the seller. */
  readonly level: number;
  /** Zero when no rule pays this level, or the price was used up by the levels below. */
  readonly amountCents: Cents;
  readonly rule: CommissionAmount | null;
  /** True when the rule asked for more than the price left. */
  readonly isCapped: boolean;
}

export interface SaleSplit {
  readonly priceCents: Cents;
  readonly ispRevenueCents: Cents;
  /** One per level of the chain, seller first. */
  readonly shares: readonly CommissionShare[];
}

export function splitSale(input: SaleSplitInput): SaleSplit {
  const { priceCents, chain, unitCents } = input;
  assertSplitInput(priceCents, chain, unitCents);
  const priceUnits = priceCents / unitCents;
  let remainingUnits = priceUnits;
  let cumulativeBasisPoints = 0;
  let cumulativeFloorUnits = 0;
  const shares: CommissionShare[] = [];
  for (let index = 0; index < chain.length; index += 1) {
    const level = index + 1;
    const rule = input.rules.ruleFor(input.planId, level);
    let intendedUnits = 0;
    if (rule?.amount.kind === 'percent') {
      cumulativeBasisPoints += rule.amount.basisPoints;
      const floorUnits = Math.floor((priceUnits * cumulativeBasisPoints) / BASIS_POINTS_PER_WHOLE);
      intendedUnits = floorUnits - cumulativeFloorUnits;
      cumulativeFloorUnits = floorUnits;
    } else if (rule?.amount.kind === 'fixed') {
      // A fixed amount set in cents on an ISP that later chose whole shillings pays whole shillings.
      intendedUnits = Math.floor(rule.amount.amountCents / unitCents);
    }
    const units = Math.min(intendedUnits, remainingUnits);
    remainingUnits -= units;
    shares.push({
      resellerId: chain[index]!,
      level,
      amountCents: cents(units * unitCents),
      rule: rule?.amount ?? null,
      isCapped: units < intendedUnits,
    });
  }
  return { priceCents, ispRevenueCents: cents(remainingUnits * unitCents), shares };
}

function assertSplitInput(priceCents: number, chain: readonly string[], unitCents: InvoiceUnitCents): void {
  if (!Number.isSafeInteger(priceCents) || priceCents < 0 || priceCents > SALE_PRICE_CENTS_MAX) {
    throw new RangeError(`a sale price is 0..${SALE_PRICE_CENTS_MAX} cents, got ${priceCents}`);
  }
  if (!isWholeUnits(priceCents, unitCents)) {
    throw new RangeError(`price ${priceCents} is not a whole number of ${unitCents}-cent units`);
  }
  if (chain.length > RESELLER_DEPTH_LIMIT) {
    throw new RangeError(`a chain has at most ${RESELLER_DEPTH_LIMIT} resellers, got ${chain.length}`);
  }
}

/** The sum of every level's commission. */
export function commissionTotal(split: SaleSplit): Cents {
  let total = 0;
  for (const share of split.shares) total += share.amountCents;
  return cents(total);
}
