// A plan's fair-use fields checked as a whole (all three or none, no faster than the plan, below the
// data cap) by the usage core's schema, as problems in the plans service's shape.
import { planFairUseFieldsSchema } from './core/index';

export interface FairUsePlanFields {
  rateUpKbps: number;
  rateDownKbps: number;
  dataCapBytes: number | null;
  fupThresholdBytes: number | null;
  fupRateUpKbps: number | null;
  fupRateDownKbps: number | null;
}

export function fairUseProblems(plan: FairUsePlanFields): Array<{ path: string; message: string }> {
  const parsed = planFairUseFieldsSchema.safeParse({
    rateUpKbps: plan.rateUpKbps,
    rateDownKbps: plan.rateDownKbps,
    dataCapBytes: plan.dataCapBytes,
    fupThresholdBytes: plan.fupThresholdBytes,
    fupRateUpKbps: plan.fupRateUpKbps,
    fupRateDownKbps: plan.fupRateDownKbps,
  });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
