// Quiet-NAS alerts: when to raise and clear one, and whether to text the ISP owner. Idempotent by design.
import type { NasHealthAssessment } from './nas-health';

/** One SMS per NAS per hour at most: a router that flaps must not drain the ISP's SMS credit. */
export const OWNER_SMS_INTERVAL_MIN_MS = 60 * 60 * 1000;
/** GSM 03.38 7-bit text fits 160 characters in one SMS (3GPP TS 23.038); alerts stay in one. */
export const ALERT_SMS_CHARS_MAX = 160;

/** What is stored per NAS; `null` before its first alert. */
export interface NasAlertState {
  readonly isRaised: boolean;
  readonly raisedAtMs: number;
  readonly clearedAtMs: number | null;
  /** The last "down" SMS to the owner, for the interval above. */
  readonly lastOwnerSmsAtMs: number | null;
  /** Whether the owner was told of this alert, so that only then are they told it cleared. */
  readonly isOwnerToldOfThisAlert: boolean;
}

export type NasAlertDecision =
  | { readonly action: 'none'; readonly alert: NasAlertState | null }
  | { readonly action: 'raise' | 'clear'; readonly alert: NasAlertState; readonly shouldTextOwner: boolean };

/**
 * Raise when the NAS is quiet and no alert is up; clear when it is reachable again and one is up;
 * otherwise nothing. Deciding again on the new state gives 'none', so a retried or duplicated job
 * run changes nothing (stores apply a decision only if the stored state is still the one decided on).
 * 'waiting' (never heard from yet) neither raises nor clears.
 */
export function decideNasAlert(
  current: NasAlertState | null,
  health: NasHealthAssessment,
  nowMs: number,
): NasAlertDecision {
  const isRaised = current?.isRaised === true;
  if (health.reachability === 'quiet' && !isRaised) {
    const lastSmsAtMs = current?.lastOwnerSmsAtMs ?? null;
    const shouldTextOwner = lastSmsAtMs === null || nowMs - lastSmsAtMs >= OWNER_SMS_INTERVAL_MIN_MS;
    return {
      action: 'raise',
      shouldTextOwner,
      alert: {
        isRaised: true,
        raisedAtMs: nowMs,
        clearedAtMs: null,
        lastOwnerSmsAtMs: shouldTextOwner ? nowMs : lastSmsAtMs,
        isOwnerToldOfThisAlert: shouldTextOwner,
      },
    };
  }
  if (health.reachability === 'reachable' && isRaised && current !== null) {
    return {
      action: 'clear',
      shouldTextOwner: current.isOwnerToldOfThisAlert,
      alert: { ...current, isRaised: false, clearedAtMs: nowMs },
    };
  }
  return { action: 'none', alert: current };
}

/** The SMS (and console banner) text; the NAS name is cut so the message stays one SMS. */
export function nasAlertMessage(
  action: 'raise' | 'clear',
  nasName: string,
  lastSeenAtText: string | null,
): string {
  const name = nasName.length > 40 ? `${nasName.slice(0, 39)}…` : nasName;
  const text =
    action === 'raise'
      ? `Kiunga: router ${name} is silent${lastSeenAtText === null ? '' : ` since ${lastSeenAtText}`}: no accounting or SNMP. Check its power and uplink.`
      : `Kiunga: router ${name} is back online.`;
  return text.slice(0, ALERT_SMS_CHARS_MAX);
}
