// Whether an ISP's custom domain is verified, from the TXT lookup's answer and the clock: the first
// verification, the daily re-check that the record is still there, and how often a person may ask.
import type { TxtLookupResult } from '../../../integrations/dns';
import { isMatchingVerificationValue } from './verification-record';

/** A person pressing "Verify" again and again causes one DNS query per this interval, no more. */
export const MANUAL_CHECK_INTERVAL_MS = 10_000;
/** A verified domain's record is looked at again this often: an ISP that gives the domain up loses it. */
export const RECHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * Re-checks in a row that find the record gone or changed before the domain stops being served. A DNS
 * edit gone wrong is usually fixed within a day or two; three days of clients on the wrong portal is not.
 */
export const RECHECK_MISSES_MAX = 3;

export type DomainStatus = 'pending' | 'verified';

export interface DomainVerificationState {
  readonly status: DomainStatus;
  /** When it was first verified (kept across re-checks); null while pending. */
  readonly verifiedAtMs: number | null;
  readonly lastCheckedAtMs: number | null;
  /** Re-checks in a row of a verified domain that found the record gone or changed. */
  readonly consecutiveMisses: number;
}

export type VerificationReason =
  /** The expected value is published. */
  | 'record_found'
  /** No TXT record at `_kiunga-verify.<domain>` (NXDOMAIN or no TXT). */
  | 'record_missing'
  /** TXT records are there, none is the expected value. */
  | 'record_mismatch'
  /** DNS did not answer (timeout, SERVFAIL, refused): nothing is concluded. */
  | 'lookup_failed';

export interface VerificationDecision {
  readonly state: DomainVerificationState;
  readonly reason: VerificationReason;
  /** True when the domain changed between pending and verified (audit it, reload the routing table). */
  readonly isStatusChanged: boolean;
}

export const PENDING_DOMAIN: DomainVerificationState = {
  status: 'pending',
  verifiedAtMs: null,
  lastCheckedAtMs: null,
  consecutiveMisses: 0,
};

function reasonOf(lookup: TxtLookupResult, expectedValue: string): VerificationReason {
  if (lookup.kind === 'failed') return 'lookup_failed';
  if (lookup.kind === 'not_found') return 'record_missing';
  return lookup.records.some((record) => isMatchingVerificationValue(record, expectedValue))
    ? 'record_found'
    : 'record_mismatch';
}

/**
 * The state after one lookup. A pending domain becomes verified when the value is found. A verified one
 * stays verified through DNS failures (the ISP did not lose its domain because a resolver timed out) and
 * through up to RECHECK_MISSES_MAX - 1 misses in a row; the next miss makes it pending again.
 */
export function decideVerification(
  previous: DomainVerificationState,
  lookup: TxtLookupResult,
  expectedValue: string,
  nowMs: number,
): VerificationDecision {
  const reason = reasonOf(lookup, expectedValue);
  const checked = { ...previous, lastCheckedAtMs: nowMs };
  const decide = (state: DomainVerificationState): VerificationDecision => ({
    state,
    reason,
    isStatusChanged: state.status !== previous.status,
  });
  if (reason === 'record_found') {
    return decide({
      status: 'verified',
      verifiedAtMs: previous.verifiedAtMs ?? nowMs,
      lastCheckedAtMs: nowMs,
      consecutiveMisses: 0,
    });
  }
  if (previous.status === 'pending' || reason === 'lookup_failed') return decide(checked);
  const misses = previous.consecutiveMisses + 1;
  if (misses < RECHECK_MISSES_MAX) return decide({ ...checked, consecutiveMisses: misses });
  return decide({ ...PENDING_DOMAIN, lastCheckedAtMs: nowMs });
}

/** When a person may press "Verify" again (null: now). */
export function manualCheckRetryAtMs(state: DomainVerificationState, nowMs: number): number | null {
  if (state.lastCheckedAtMs === null) return null;
  const allowedAtMs = state.lastCheckedAtMs + MANUAL_CHECK_INTERVAL_MS;
  return nowMs < allowedAtMs ? allowedAtMs : null;
}

/** Whether the daily job should look at this domain now: verified ones once per RECHECK_INTERVAL_MS. */
export function isRecheckDue(state: DomainVerificationState, nowMs: number): boolean {
  if (state.status !== 'verified') return false;
  return state.lastCheckedAtMs === null || nowMs - state.lastCheckedAtMs >= RECHECK_INTERVAL_MS;
}
