// API schemas of plans (/api/v1/plans): hotspot packages and monthly PPPoE/static service.
import { z } from 'zod';

/** 1 Gbit/s: above any access link a MikroTik hotspot or PPPoE server sells. */
export const RATE_KBPS_MAX = 1_000_000;
/** A hotspot package longer than a year is a subscription, not a voucher. */
export const VALIDITY_SECONDS_MAX = 366 * 86_400;
export const VALIDITY_SECONDS_MIN = 60;
/** Shared family/office packages; more devices than this is a network, not a voucher. */
export const DEVICE_LIMIT_MAX = 64;
export const BILLING_CYCLE_MONTHS_MAX = 12;
/** Ksh 1,000,000 in cents: keeps a typo from becoming an invoice. */
export const PRICE_CENTS_MAX = 100_000_000;
/** 100 TB. */
export const DATA_CAP_BYTES_MAX = 100 * 1024 ** 4;
export const BURST_TIME_SECONDS_MAX = 3_600;

export const planKindSchema = z.enum(['hotspot', 'pppoe', 'static']);

const rateSchema = z.number().int().min(1).max(RATE_KBPS_MAX);

const planFields = {
  name: z.string().trim().min(1).max(80),
  kind: planKindSchema,
  priceCents: z.number().int().min(0).max(PRICE_CENTS_MAX),
  validitySeconds: z.number().int().min(VALIDITY_SECONDS_MIN).max(VALIDITY_SECONDS_MAX).nullable(),
  deviceLimit: z.number().int().min(1).max(DEVICE_LIMIT_MAX),
  billingCycleMonths: z.number().int().min(1).max(BILLING_CYCLE_MONTHS_MAX).nullable(),
  rateUpKbps: rateSchema,
  rateDownKbps: rateSchema,
  burstUpKbps: rateSchema.nullable(),
  burstDownKbps: rateSchema.nullable(),
  burstThresholdUpKbps: rateSchema.nullable(),
  burstThresholdDownKbps: rateSchema.nullable(),
  burstTimeSeconds: z.number().int().min(1).max(BURST_TIME_SECONDS_MAX).nullable(),
  dataCapBytes: z.number().int().min(1).max(DATA_CAP_BYTES_MAX).nullable(),
  /** Name of the MikroTik IP pool PPPoE clients of this plan get addresses from. */
  ipPool: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only')
    .nullable(),
  isActive: z.boolean(),
  /** Fair use (issue 12): past this many bytes in a cycle sessions run at the fup rates; all three or none. */
  fupThresholdBytes: z.number().int().min(1).max(DATA_CAP_BYTES_MAX).nullable(),
  fupRateUpKbps: rateSchema.nullable(),
  fupRateDownKbps: rateSchema.nullable(),
  /** Usage rating: bytes per cycle in the price; beyond them each GB (1024³ bytes) costs the price. */
  includedBytes: z.number().int().min(0).max(DATA_CAP_BYTES_MAX).nullable(),
  pricePerGigabyteCents: z.number().int().min(1).max(PRICE_CENTS_MAX).nullable(),
};

export const createPlanInputSchema = z
  .object({
    name: planFields.name,
    kind: planFields.kind,
    priceCents: planFields.priceCents,
    validitySeconds: planFields.validitySeconds.optional(),
    deviceLimit: planFields.deviceLimit.default(1),
    billingCycleMonths: planFields.billingCycleMonths.optional(),
    rateUpKbps: planFields.rateUpKbps,
    rateDownKbps: planFields.rateDownKbps,
    burstUpKbps: planFields.burstUpKbps.optional(),
    burstDownKbps: planFields.burstDownKbps.optional(),
    burstThresholdUpKbps: planFields.burstThresholdUpKbps.optional(),
    burstThresholdDownKbps: planFields.burstThresholdDownKbps.optional(),
    burstTimeSeconds: planFields.burstTimeSeconds.optional(),
    dataCapBytes: planFields.dataCapBytes.optional(),
    ipPool: planFields.ipPool.optional(),
    isActive: planFields.isActive.default(true),
    fupThresholdBytes: planFields.fupThresholdBytes.optional(),
    fupRateUpKbps: planFields.fupRateUpKbps.optional(),
    fupRateDownKbps: planFields.fupRateDownKbps.optional(),
    includedBytes: planFields.includedBytes.optional(),
    pricePerGigabyteCents: planFields.pricePerGigabyteCents.optional(),
  })
  .strict();

export const updatePlanInputSchema = z.object(planFields).partial().strict();

export const planOutputSchema = z.object({
  id: z.string(),
  ...planFields,
  rateLimit: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const listPlansQuerySchema = z.object({
  kind: planKindSchema.optional(),
  isActive: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(80).optional(),
});

/** The plan as stored (every field decided); what the rules below check. */
export interface PlanTerms {
  kind: z.infer<typeof planKindSchema>;
  validitySeconds: number | null;
  billingCycleMonths: number | null;
  burstUpKbps: number | null;
  burstDownKbps: number | null;
  burstThresholdUpKbps: number | null;
  burstThresholdDownKbps: number | null;
  burstTimeSeconds: number | null;
  ipPool: string | null;
  includedBytes: number | null;
  pricePerGigabyteCents: number | null;
}

const burstKeys = [
  'burstUpKbps',
  'burstDownKbps',
  'burstThresholdUpKbps',
  'burstThresholdDownKbps',
  'burstTimeSeconds',
] as const;

/** Kind-specific rules over a whole plan; returns the problems as path + message (empty when fine). */
export function planTermProblems(plan: PlanTerms): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (plan.kind === 'hotspot') {
    if (plan.validitySeconds === null)
      problems.push({ path: 'validitySeconds', message: 'a hotspot plan needs a validity' });
    if (plan.billingCycleMonths !== null)
      problems.push({
        path: 'billingCycleMonths',
        message: 'only PPPoE and static plans have a billing cycle',
      });
    if (plan.ipPool !== null)
      problems.push({ path: 'ipPool', message: 'only PPPoE and static plans use a pool' });
  } else {
    if (plan.validitySeconds !== null)
      problems.push({ path: 'validitySeconds', message: 'PPPoE and static plans run by billing cycle' });
    if (plan.billingCycleMonths === null)
      problems.push({ path: 'billingCycleMonths', message: 'PPPoE and static plans need a billing cycle' });
  }
  const burstSet = burstKeys.filter((key) => plan[key] !== null).length;
  if (burstSet !== 0 && burstSet !== burstKeys.length) {
    problems.push({
      path: 'burstUpKbps',
      message: `burst needs all of ${burstKeys.join(', ')} or none of them`,
    });
  }
  if ((plan.includedBytes === null) !== (plan.pricePerGigabyteCents === null)) {
    problems.push({
      path: 'pricePerGigabyteCents',
      message: 'usage pricing needs both includedBytes and pricePerGigabyteCents, or neither',
    });
  }
  return problems;
}

export type CreatePlanInput = z.infer<typeof createPlanInputSchema>;
export type UpdatePlanInput = z.infer<typeof updatePlanInputSchema>;
export type PlanOutput = z.infer<typeof planOutputSchema>;
