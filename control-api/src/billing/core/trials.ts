// PPPoE trials (issue 13): a subscriber created "on trial" for N days gets no invoice until the trial ends;
// then, per the ISP's choice, billing starts at the trial's end (the first cycle prorated from that
// instant) or service simply ends there. Pure: instants come from the caller's injected clock.
import { DAY_MS } from './calendar';

/** What happens when a trial ends: bill from then on, or let the account expire. */
export type TrialEndAction = 'bill' | 'expire';

/** A trial is a taste of the service, not a free month: two weeks is the usual offer, 90 days the most. */
export const TRIAL_DAYS_MAX = 90;

/** The instant a trial of `days` started at `startMs` ends. */
export function trialEndsAtMs(startMs: number, days: number): number {
  return startMs + days * DAY_MS;
}

/**
 * When billing starts for a subscriber (the invoice run's service start), or null when it never bills
 * (a trial that expires instead). Without a trial: the service start as it is.
 */
export function billingStartMs(
  serviceStartMs: number,
  trialEndsAtMs: number | null,
  endAction: TrialEndAction,
): number | null {
  if (trialEndsAtMs === null) return serviceStartMs;
  if (endAction === 'expire') return null;
  return Math.max(serviceStartMs, trialEndsAtMs);
}

/** Whether the trial still runs at `nowMs`. */
export function isInTrial(trialEndsAtMs: number | null, nowMs: number): boolean {
  return trialEndsAtMs !== null && nowMs < trialEndsAtMs;
}
