// Worked examples of a sale's split: percentages, fixed amounts, caps, whole shillings, rule lookup.
import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { CENTS_PER_SHILLING } from '../../../billing/core/units';
import {
  type CommissionRule,
  CommissionRuleBook,
  commissionRuleInputSchema,
  toCommissionRule,
} from './commission-rules';
import { splitSale } from './split';

const percent = (level: number, basisPoints: number, planId: string | null = null): CommissionRule => ({
  planId,
  level,
  amount: { kind: 'percent', basisPoints },
});
const fixed = (level: number, amountCents: number, planId: string | null = null): CommissionRule => ({
  planId,
  level,
  amount: { kind: 'fixed', amountCents: cents(amountCents) },
});
const chain = ['kiosk', 'agent', 'distributor'];

function amounts(split: ReturnType<typeof splitSale>): number[] {
  return split.shares.map((share) => share.amountCents);
}

describe('splitSale', () => {
  it('pays 10 % to the seller and 2 % to its parent, the rest to the ISP (the issue’s example)', () => {
    const rules = new CommissionRuleBook([percent(1, 1_000), percent(2, 200)]);
    const split = splitSale({
      planId: 'pln_day',
      priceCents: cents(5_000),
      chain: chain.slice(0, 2),
      rules,
      unitCents: 1,
    });
    expect(amounts(split)).toEqual([500, 100]);
    expect(split.ispRevenueCents).toBe(4_400);
  });

  it('floors cumulatively: the percentages together lose at most one cent, kept by the ISP', () => {
    // 3.33 % + 3.33 % + 3.33 % of Ksh 0.99: exact parts 3.2967 ¢ each.
    const rules = new CommissionRuleBook([percent(1, 333), percent(2, 333), percent(3, 333)]);
    const split = splitSale({ planId: 'p', priceCents: cents(99), chain, rules, unitCents: 1 });
    // share(C) = floor(99 × C / 10,000): 3, 6, 9 → parts 3, 3, 3; the ISP keeps 90.
    expect(amounts(split)).toEqual([3, 3, 3]);
    expect(split.ispRevenueCents).toBe(90);
    const odd = splitSale({
      planId: 'p',
      priceCents: cents(1_001),
      chain,
      rules: new CommissionRuleBook([percent(1, 5_050), percent(2, 2_525), percent(3, 1_010)]),
      unitCents: 1,
    });
    // cumulative floors: floor(505.505) = 505, floor(758.2575) = 758, floor(859.3585) = 859.
    expect(amounts(odd)).toEqual([505, 253, 101]);
    expect(odd.ispRevenueCents).toBe(142);
  });

  it('works in whole shillings when the ISP does, so every share is payable by M-Pesa', () => {
    const rules = new CommissionRuleBook([percent(1, 1_250), percent(2, 250)]);
    const split = splitSale({
      planId: 'p',
      priceCents: cents(3_000),
      chain: chain.slice(0, 2),
      rules,
      unitCents: CENTS_PER_SHILLING,
    });
    // Ksh 30: 12.5 % → floor(3.75) = Ksh 3; 15 % cumulative → floor(4.5) = Ksh 4, so level 2 gets Ksh 1.
    expect(amounts(split)).toEqual([300, 100]);
    expect(split.ispRevenueCents).toBe(2_600);
    expect(() =>
      splitSale({ planId: 'p', priceCents: cents(3_050), chain, rules, unitCents: CENTS_PER_SHILLING }),
    ).toThrow(/whole number/);
  });

  it('caps a fixed commission larger than what is left, serving the seller first', () => {
    const rules = new CommissionRuleBook([fixed(1, 1_500), fixed(2, 1_000), percent(3, 1_000)]);
    const split = splitSale({ planId: 'p', priceCents: cents(2_000), chain, rules, unitCents: 1 });
    expect(amounts(split)).toEqual([1_500, 500, 0]);
    expect(split.shares.map((share) => share.isCapped)).toEqual([false, true, true]);
    expect(split.ispRevenueCents).toBe(0);
  });

  it('pays nothing to a level without a rule, and everything to the ISP without a reseller', () => {
    const rules = new CommissionRuleBook([percent(1, 1_000)]);
    const split = splitSale({ planId: 'p', priceCents: cents(1_000), chain, rules, unitCents: 1 });
    expect(amounts(split)).toEqual([100, 0, 0]);
    expect(split.shares[1]?.rule).toBeNull();
    const direct = splitSale({ planId: 'p', priceCents: cents(1_000), chain: [], rules, unitCents: 1 });
    expect(direct).toEqual({ priceCents: 1_000, ispRevenueCents: 1_000, shares: [] });
  });

  it('takes a plan’s own rule before the ISP’s default at the same level', () => {
    const rules = new CommissionRuleBook([percent(1, 1_000), fixed(1, 200, 'pln_week')]);
    const forWeek = splitSale({
      planId: 'pln_week',
      priceCents: cents(30_000),
      chain: ['kiosk'],
      rules,
      unitCents: 1,
    });
    const forDay = splitSale({
      planId: 'pln_day',
      priceCents: cents(5_000),
      chain: ['kiosk'],
      rules,
      unitCents: 1,
    });
    expect(amounts(forWeek)).toEqual([200]);
    expect(amounts(forDay)).toEqual([500]);
  });

  it('refuses prices it cannot split exactly and chains deeper than three', () => {
    const rules = new CommissionRuleBook([]);
    expect(() => splitSale({ planId: 'p', priceCents: -1 as never, chain, rules, unitCents: 1 })).toThrow(
      RangeError,
    );
    expect(() =>
      splitSale({ planId: 'p', priceCents: cents(100), chain: [...chain, 'fourth'], rules, unitCents: 1 }),
    ).toThrow(/at most 3/);
  });
});

describe('commission rules', () => {
  it('accept the contract’s body with exactly one of percentBasisPoints and fixedCents', () => {
    const rule = commissionRuleInputSchema.parse({ planId: null, level: 2, percentBasisPoints: 200 });
    expect(toCommissionRule(rule)).toEqual(percent(2, 200));
    expect(
      toCommissionRule(commissionRuleInputSchema.parse({ planId: 'pln_1', level: 1, fixedCents: 500 })),
    ).toEqual(fixed(1, 500, 'pln_1'));
    expect(commissionRuleInputSchema.safeParse({ planId: null, level: 1 }).success).toBe(false);
    expect(
      commissionRuleInputSchema.safeParse({ planId: null, level: 1, percentBasisPoints: 10, fixedCents: 10 })
        .success,
    ).toBe(false);
    expect(
      commissionRuleInputSchema.safeParse({ planId: null, level: 4, percentBasisPoints: 10 }).success,
    ).toBe(false);
    expect(
      commissionRuleInputSchema.safeParse({ planId: null, level: 1, percentBasisPoints: 10_001 }).success,
    ).toBe(false);
  });

  it('refuse two rules for the same plan and level', () => {
    const book = new CommissionRuleBook([percent(1, 100)]);
    expect(book.conflictsWith({ planId: null, level: 1 })).toBe(true);
    expect(book.conflictsWith({ planId: 'pln_1', level: 1 })).toBe(false);
    expect(() => new CommissionRuleBook([percent(1, 100), fixed(1, 5)])).toThrow(/two commission rules/);
  });
});
