// The sign-up flow on a moved clock: both facts in either order start the trial, once, and only once per phone.
import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { TRIAL_DURATION_MS } from '../../../platform-billing/core/tiers';
import {
  isSignupAbandoned,
  newSignup,
  recordVerification,
  SIGNUP_PENDING_LIFETIME_MS,
  signupStatus,
  verificationSummary,
} from './signup-flow';

const START_MS = Date.UTC(2030, 2, 14, 7, 0);

function advanced(clock: ManualClock, durationMs: number): number {
  clock.advance(durationMs);
  return clock.now();
}

describe('the sign-up flow', () => {
  it('starts pending, as POST /api/v1/registration reports it', () => {
    const state = newSignup(START_MS);
    expect(signupStatus(state)).toBe('pending');
    expect(verificationSummary(state)).toEqual({ phone: 'pending', email: 'pending' });
  });

  it('starts the 24-hour trial when the second fact is verified, phone first', () => {
    const clock = new ManualClock(START_MS);
    const phone = recordVerification(newSignup(clock.now()), 'phone', advanced(clock, 5 * 60_000), 0);
    expect(signupStatus(phone.state)).toBe('phone_verified');
    expect(phone.isActivated).toBe(false);
    const email = recordVerification(phone.state, 'email', advanced(clock, 60 * 60_000), 0);
    expect(email.isActivated).toBe(true);
    expect(signupStatus(email.state)).toBe('trial_started');
    expect(email.state.trialEndsAtMs).toBe(clock.now() + TRIAL_DURATION_MS);
    expect(verificationSummary(email.state)).toEqual({ phone: 'verified', email: 'verified' });
  });

  it('does the same email first', () => {
    const email = recordVerification(newSignup(START_MS), 'email', START_MS + 1, 0);
    expect(signupStatus(email.state)).toBe('email_verified');
    const phone = recordVerification(email.state, 'phone', START_MS + 2, 0);
    expect(phone).toMatchObject({
      isActivated: true,
      state: { trialEndsAtMs: START_MS + 2 + TRIAL_DURATION_MS },
    });
  });

  it('activates once: verifying again changes nothing', () => {
    const both = recordVerification(
      recordVerification(newSignup(START_MS), 'phone', START_MS + 1, 0).state,
      'email',
      START_MS + 2,
      0,
    ).state;
    const again = recordVerification(both, 'phone', START_MS + 3, 0);
    expect(again).toEqual({ state: both, isActivated: false });
    const phoneTwice = recordVerification(
      recordVerification(newSignup(START_MS), 'phone', START_MS + 1, 0).state,
      'phone',
      START_MS + 9,
      0,
    );
    expect(phoneTwice.state.phoneVerifiedAtMs).toBe(START_MS + 1);
  });

  it('gives no second free trial to a phone that had one: the account must pay to start', () => {
    const phone = recordVerification(newSignup(START_MS), 'phone', START_MS + 1, 1).state;
    const done = recordVerification(phone, 'email', START_MS + 2, 1);
    expect(done.isActivated).toBe(true);
    expect(signupStatus(done.state)).toBe('payment_required');
    expect(done.state.trialEndsAtMs).toBeNull();
  });

  it('abandons a sign-up left pending for a week, and takes no more steps on it', () => {
    const clock = new ManualClock(START_MS);
    const state = recordVerification(newSignup(clock.now()), 'phone', clock.now(), 0).state;
    clock.advance(SIGNUP_PENDING_LIFETIME_MS - 1);
    expect(isSignupAbandoned(state, clock.now())).toBe(false);
    clock.advance(1);
    expect(isSignupAbandoned(state, clock.now())).toBe(true);
    expect(recordVerification(state, 'email', clock.now(), 0)).toEqual({ state, isActivated: false });
  });
});
