// Fair use: past its threshold in the current cycle a session is throttled; the data cap stays the hard stop.
//
// Usage is input + output octets (upload and download) in the current cycle: a subscriber's billing
// cycle, a voucher's whole life since first use. The throttled Mikrotik-Rate-Limit is "up/down"
// with no burst (MikroTik's rate-limit syntax, as formatMikrotikRateLimit writes it); a new cycle's
// usage starts at zero, so the same decision restores the plan's rate.
import { DATA_CAP_BYTES_MAX, formatMikrotikRateLimit, type RateLimit } from '@kiunga/schemas';
import { z } from 'zod';

export type FairUseState = 'normal' | 'throttled' | 'capped';

export interface FairUsePlan extends RateLimit {
  readonly fupThresholdBytes: number | null;
  readonly fupRateUpKbps: number | null;
  readonly fupRateDownKbps: number | null;
  readonly dataCapBytes: number | null;
}

export interface FairUseDecision {
  readonly state: FairUseState;
  /** Mikrotik-Rate-Limit for the Access-Accept and a CoA-Request; null when capped. */
  readonly rateLimit: string | null;
  /**
   * What to send live sessions, given the state last applied to them: CoA-Request with the new
   * rate (RFC 5176 section 3.1), Disconnect-Request at the cap, or nothing when nothing changed.
   */
  readonly sessionAction: 'none' | 'change_rate' | 'disconnect';
  /** Bytes left before the next step (throttle or cap); null when there is none. */
  readonly bytesUntilNextStep: number | null;
}

function hasFairUse(
  plan: FairUsePlan,
): plan is FairUsePlan & { fupThresholdBytes: number; fupRateUpKbps: number; fupRateDownKbps: number } {
  return plan.fupThresholdBytes !== null && plan.fupRateUpKbps !== null && plan.fupRateDownKbps !== null;
}

/** `applied`: the state the live sessions are in now (null: none online, nothing to send). */
export function decideFairUse(
  plan: FairUsePlan,
  cycleUsageBytes: number,
  applied: FairUseState | null,
): FairUseDecision {
  if (!Number.isSafeInteger(cycleUsageBytes) || cycleUsageBytes < 0) {
    throw new RangeError(`cycle usage must be a non-negative integer of bytes, got ${cycleUsageBytes}`);
  }
  const isCapped = plan.dataCapBytes !== null && cycleUsageBytes >= plan.dataCapBytes;
  const isThrottled = !isCapped && hasFairUse(plan) && cycleUsageBytes >= plan.fupThresholdBytes;
  const state: FairUseState = isCapped ? 'capped' : isThrottled ? 'throttled' : 'normal';
  const rateLimit =
    state === 'capped'
      ? null
      : state === 'throttled' && hasFairUse(plan)
        ? formatMikrotikRateLimit({ upKbps: plan.fupRateUpKbps, downKbps: plan.fupRateDownKbps })
        : formatMikrotikRateLimit(plan);
  const isChange = applied !== null && applied !== state;
  const sessionAction = !isChange ? 'none' : state === 'capped' ? 'disconnect' : 'change_rate';
  const nextStepBytes = [
    state === 'normal' && hasFairUse(plan) ? plan.fupThresholdBytes : null,
    plan.dataCapBytes,
  ].filter((limit): limit is number => limit !== null && limit > cycleUsageBytes);
  return {
    state,
    rateLimit,
    sessionAction,
    bytesUntilNextStep: nextStepBytes.length === 0 ? null : Math.min(...nextStepBytes) - cycleUsageBytes,
  };
}

/** 10 Gb/s: no subscriber line is faster. */
export const FUP_RATE_KBPS_MAX = 10_000_000;

/**
 * The plan fields (`POST/PATCH /api/v1/plans`): all three or none, a throttle no faster than the
 * plan, a threshold below the data cap and within the same bound (DATA_CAP_BYTES_MAX).
 */
export const planFairUseFieldsSchema = z
  .object({
    rateUpKbps: z.number().int().positive(),
    rateDownKbps: z.number().int().positive(),
    dataCapBytes: z.number().int().positive().nullable(),
    fupThresholdBytes: z.number().int().positive().max(DATA_CAP_BYTES_MAX).nullable().default(null),
    fupRateUpKbps: z.number().int().positive().max(FUP_RATE_KBPS_MAX).nullable().default(null),
    fupRateDownKbps: z.number().int().positive().max(FUP_RATE_KBPS_MAX).nullable().default(null),
  })
  .refine(
    (plan) =>
      [plan.fupThresholdBytes, plan.fupRateUpKbps, plan.fupRateDownKbps].every((value) => value === null) ||
      [plan.fupThresholdBytes, plan.fupRateUpKbps, plan.fupRateDownKbps].every((value) => value !== null),
    {
      message: 'set fupThresholdBytes, fupRateUpKbps and fupRateDownKbps together, or none',
      path: ['fupThresholdBytes'],
    },
  )
  .refine(
    (plan) =>
      (plan.fupRateUpKbps ?? 0) <= plan.rateUpKbps && (plan.fupRateDownKbps ?? 0) <= plan.rateDownKbps,
    { message: 'the fair-use rate must not be faster than the plan', path: ['fupRateDownKbps'] },
  )
  .refine((plan) => plan.dataCapBytes === null || (plan.fupThresholdBytes ?? 0) < plan.dataCapBytes, {
    message: 'the fair-use threshold must be below the data cap',
    path: ['fupThresholdBytes'],
  });
