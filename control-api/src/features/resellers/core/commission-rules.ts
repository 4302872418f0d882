// An ISP's commission rules: per plan or as the default, per level of the hierarchy, a percentage of the
// price (basis points) or a fixed amount; which rule applies to a sale at a level.
import { type Cents, cents } from '@kiunga/schemas';
import { z } from 'zod';
import { RESELLER_DEPTH_LIMIT } from './hierarchy';

/** 10,000 basis points = 100 % of the price paid. */
export const BASIS_POINTS_PER_WHOLE = 10_000;
/** Ksh 100,000: above any voucher or monthly plan an ISP sells; a larger fixed commission is a typo. */
export const COMMISSION_FIXED_CENTS_MAX = 10_000_000;
/** Plan ids are the store's (`pln_…`); longer input is not an id. */
const PLAN_ID_LENGTH_MAX = 64;

/**
 * `POST /api/v1/commission-rules {planId | null, level, percentBasisPoints | fixedCents}` (issue 13's
 * contract): exactly one of the two amounts.
 */
export const commissionRuleInputSchema = z
  .object({
    planId: z.string().min(1).max(PLAN_ID_LENGTH_MAX).nullable(),
    level: z.number().int().min(1).max(RESELLER_DEPTH_LIMIT),
    percentBasisPoints: z.number().int().min(0).max(BASIS_POINTS_PER_WHOLE).optional(),
    fixedCents: z.number().int().min(0).max(COMMISSION_FIXED_CENTS_MAX).optional(),
  })
  .strict()
  .refine((rule) => (rule.percentBasisPoints === undefined) !== (rule.fixedCents === undefined), {
    message: 'give either percentBasisPoints or fixedCents, not both',
    path: ['percentBasisPoints'],
  });
export type CommissionRuleInput = z.infer<typeof commissionRuleInputSchema>;

export type CommissionAmount =
  | { readonly kind: 'percent'; readonly basisPoints: number }
  | { readonly kind: 'fixed'; readonly amountCents: Cents };

export interface CommissionRule {
  /** null: the ISP's default for plans without a rule of their own at this level. */
  readonly planId: string | null;
  /** 1 = the reseller that made the sale, 2 = its parent, 3 = the parent's parent. */
  readonly level: number;
  readonly amount: CommissionAmount;
}

export function toCommissionRule(input: CommissionRuleInput): CommissionRule {
  const amount: CommissionAmount =
    input.fixedCents === undefined
      ? { kind: 'percent', basisPoints: input.percentBasisPoints ?? 0 }
      : { kind: 'fixed', amountCents: cents(input.fixedCents) };
  return { planId: input.planId, level: input.level, amount };
}

function ruleKey(planId: string | null, level: number): string {
  return `${level}:${planId ?? ''}`;
}

/** The ISP's rules, looked up per (plan, level): a plan's own rule first, then the default for that level. */
export class CommissionRuleBook {
  private readonly byKey = new Map<string, CommissionRule>();

  /** Two rules for the same plan (or both default) and level are a conflict: RangeError. */
  constructor(rules: readonly CommissionRule[]) {
    for (const rule of rules) {
      const key = ruleKey(rule.planId, rule.level);
      if (this.byKey.has(key)) {
        throw new RangeError(
          `two commission rules for plan ${rule.planId ?? 'default'} at level ${rule.level}`,
        );
      }
      this.byKey.set(key, rule);
    }
  }

  /** The rule that pays level `level` on a sale of `planId`; null when neither the plan nor the default has one. */
  ruleFor(planId: string, level: number): CommissionRule | null {
    return this.byKey.get(ruleKey(planId, level)) ?? this.byKey.get(ruleKey(null, level)) ?? null;
  }

  /** Whether adding this rule would duplicate one (the store's unique key is the same pair). */
  conflictsWith(rule: Pick<CommissionRule, 'planId' | 'level'>): boolean {
    return this.byKey.has(ruleKey(rule.planId, rule.level));
  }
}
