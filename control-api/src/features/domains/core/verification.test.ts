// The verification decision on a moved clock: first verification, re-checks, DNS trouble, press limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TxtLookupResult } from '../../../integrations/dns';
import {
  type DomainVerificationState,
  decideVerification,
  isRecheckDue,
  MANUAL_CHECK_INTERVAL_MS,
  manualCheckRetryAtMs,
  PENDING_DOMAIN,
  RECHECK_INTERVAL_MS,
  RECHECK_MISSES_MAX,
} from './verification';
import { verificationRecordFor, verificationTokenFromBytes } from './verification-record';

const TOKEN = verificationTokenFromBytes(new Uint8Array(16).fill(0xab));
const RECORD = verificationRecordFor('wifi.example.co.ke', TOKEN);
const START_MS = Date.UTC(2030, 2, 14, 7, 0);

const found = (...records: string[]): TxtLookupResult => ({ kind: 'found', records });
const missing: TxtLookupResult = { kind: 'not_found' };
const timedOut: TxtLookupResult = { kind: 'failed', failure: 'timeout', code: 'ETIMEOUT' };

function verifiedAt(nowMs: number): DomainVerificationState {
  return decideVerification(PENDING_DOMAIN, found(RECORD.value), RECORD.value, nowMs).state;
}

describe('verificationRecordFor', () => {
  it('names an underscored leaf beside the domain and carries the token', () => {
    expect(RECORD).toEqual({
      name: '_kiunga-verify.wifi.example.co.ke',
      type: 'TXT',
      value: `kiunga-verify=${'ab'.repeat(16)}`,
    });
  });

  it('refuses a token of the wrong size', () => {
    expect(() => verificationTokenFromBytes(new Uint8Array(8))).toThrow(RangeError);
    expect(() => verificationRecordFor('wifi.example.co.ke', 'short')).toThrow(RangeError);
  });
});

describe('decideVerification', () => {
  it('verifies a pending domain when the value is published among other TXT records', () => {
    const decision = decideVerification(
      PENDING_DOMAIN,
      found('v=spf1 -all', ` "${RECORD.value.toUpperCase()}" `),
      RECORD.value,
      START_MS,
    );
    expect(decision).toEqual({
      state: { status: 'verified', verifiedAtMs: START_MS, lastCheckedAtMs: START_MS, consecutiveMisses: 0 },
      reason: 'record_found',
      isStatusChanged: true,
    });
  });

  it('keeps a domain pending and says why when the record is missing, wrong, or DNS fails', () => {
    const otherToken = verificationRecordFor('wifi.example.co.ke', 'cd'.repeat(16)).value;
    for (const [lookup, reason] of [
      [missing, 'record_missing'],
      [found(otherToken), 'record_mismatch'],
      [timedOut, 'lookup_failed'],
    ] as const) {
      const decision = decideVerification(PENDING_DOMAIN, lookup, RECORD.value, START_MS);
      expect(decision.reason).toBe(reason);
      expect(decision.state).toEqual({ ...PENDING_DOMAIN, lastCheckedAtMs: START_MS });
      expect(decision.isStatusChanged).toBe(false);
    }
  });

  it('keeps the first verification time through later re-checks', () => {
    const later = START_MS + RECHECK_INTERVAL_MS;
    const decision = decideVerification(verifiedAt(START_MS), found(RECORD.value), RECORD.value, later);
    expect(decision.state).toMatchObject({ verifiedAtMs: START_MS, lastCheckedAtMs: later });
    expect(decision.isStatusChanged).toBe(false);
  });

  it('drops a verified domain only after RECHECK_MISSES_MAX misses in a row, one day apart', () => {
    let state = verifiedAt(START_MS);
    for (let day = 1; day < RECHECK_MISSES_MAX; day += 1) {
      state = decideVerification(state, missing, RECORD.value, START_MS + day * RECHECK_INTERVAL_MS).state;
      expect(state).toMatchObject({ status: 'verified', consecutiveMisses: day });
    }
    const lastMs = START_MS + RECHECK_MISSES_MAX * RECHECK_INTERVAL_MS;
    const decision = decideVerification(state, missing, RECORD.value, lastMs);
    expect(decision.state).toEqual({ ...PENDING_DOMAIN, lastCheckedAtMs: lastMs });
    expect(decision.isStatusChanged).toBe(true);
  });

  it('forgets earlier misses once the record is found again', () => {
    const missed = decideVerification(verifiedAt(START_MS), missing, RECORD.value, START_MS + 1).state;
    expect(missed.consecutiveMisses).toBe(1);
    const back = decideVerification(missed, found(RECORD.value), RECORD.value, START_MS + 2).state;
    expect(back).toMatchObject({ status: 'verified', consecutiveMisses: 0, verifiedAtMs: START_MS });
  });

  it('never unverifies on DNS failures, whatever their number and order with finds', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 50 }), (lookups) => {
        let state = verifiedAt(START_MS);
        lookups.forEach((isFound, index) => {
          const lookup = isFound ? found(RECORD.value) : timedOut;
          state = decideVerification(state, lookup, RECORD.value, START_MS + index + 1).state;
        });
        return state.status === 'verified' && state.consecutiveMisses === 0;
      }),
    );
  });

  it('counts misses as the number since the last find, and unverifies exactly when it reaches the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('found', 'missing', 'failed'), { maxLength: 60 }), (lookups) => {
        let state = verifiedAt(START_MS);
        let expectedMisses = 0;
        let isExpectedVerified = true;
        lookups.forEach((kind, index) => {
          const lookup = kind === 'found' ? found(RECORD.value) : kind === 'missing' ? missing : timedOut;
          state = decideVerification(state, lookup, RECORD.value, START_MS + index + 1).state;
          if (kind === 'found') [expectedMisses, isExpectedVerified] = [0, true];
          if (kind === 'missing' && isExpectedVerified) expectedMisses += 1;
          if (expectedMisses >= RECHECK_MISSES_MAX) [expectedMisses, isExpectedVerified] = [0, false];
        });
        expect(state.status).toBe(isExpectedVerified ? 'verified' : 'pending');
        expect(state.consecutiveMisses).toBe(expectedMisses);
      }),
    );
  });
});

describe('check pacing', () => {
  it('lets a person check again only after MANUAL_CHECK_INTERVAL_MS', () => {
    expect(manualCheckRetryAtMs(PENDING_DOMAIN, START_MS)).toBeNull();
    const checked = decideVerification(PENDING_DOMAIN, missing, RECORD.value, START_MS).state;
    expect(manualCheckRetryAtMs(checked, START_MS + 1_000)).toBe(START_MS + MANUAL_CHECK_INTERVAL_MS);
    expect(manualCheckRetryAtMs(checked, START_MS + MANUAL_CHECK_INTERVAL_MS)).toBeNull();
  });

  it('re-checks verified domains once a day and never pending ones', () => {
    const state = verifiedAt(START_MS);
    expect(isRecheckDue(state, START_MS + RECHECK_INTERVAL_MS - 1)).toBe(false);
    expect(isRecheckDue(state, START_MS + RECHECK_INTERVAL_MS)).toBe(true);
    expect(isRecheckDue(PENDING_DOMAIN, START_MS + 10 * RECHECK_INTERVAL_MS)).toBe(false);
  });
});
