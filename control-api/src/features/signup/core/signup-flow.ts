// Where a web sign-up stands: pending until the phone (SMS code) and the email (link) are both verified,
// in either order; then the 24-hour trial starts — unless that phone already had its free trial.
//
//   pending ──phone──▶ phone_verified ──email──▶ trial_started
//      └────email──▶ email_verified ──phone──────────┘
// A sign-up left pending past SIGNUP_PENDING_LIFETIME_MS is abandoned: its slug and email are free again.
import { TRIAL_DURATION_MS } from '../../../platform-billing/core/tiers';

/** A week to finish verifying; after that the reserved slug goes back to whoever wants it. */
export const SIGNUP_PENDING_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * Free trials per verified phone number, ever: a SIM costs money, an email address does not, so the
 * phone is what stops one person from living on back-to-back trials. A further sign-up with the same
 * phone is created without a trial (it pays to start).
 */
export const TRIALS_PER_PHONE_MAX = 1;

export type SignupStatus =
  | 'pending'
  | 'phone_verified'
  | 'email_verified'
  | 'trial_started'
  | 'payment_required';

export interface SignupState {
  readonly createdAtMs: number;
  readonly phoneVerifiedAtMs: number | null;
  readonly emailVerifiedAtMs: number | null;
  /** Set when both are verified: the trial's start, or the moment it was refused for this phone. */
  readonly activatedAtMs: number | null;
  readonly trialEndsAtMs: number | null;
}

export function newSignup(nowMs: number): SignupState {
  return {
    createdAtMs: nowMs,
    phoneVerifiedAtMs: null,
    emailVerifiedAtMs: null,
    activatedAtMs: null,
    trialEndsAtMs: null,
  };
}

export function signupStatus(state: SignupState): SignupStatus {
  if (state.activatedAtMs !== null)
    return state.trialEndsAtMs === null ? 'payment_required' : 'trial_started';
  if (state.phoneVerifiedAtMs !== null) return 'phone_verified';
  if (state.emailVerifiedAtMs !== null) return 'email_verified';
  return 'pending';
}

/** What `POST /api/v1/registration` and the sign-up page report (issue 15's contract). */
export function verificationSummary(state: SignupState): {
  phone: 'pending' | 'verified';
  email: 'pending' | 'verified';
} {
  return {
    phone: state.phoneVerifiedAtMs === null ? 'pending' : 'verified',
    email: state.emailVerifiedAtMs === null ? 'pending' : 'verified',
  };
}

export function isSignupAbandoned(state: SignupState, nowMs: number): boolean {
  return state.activatedAtMs === null && nowMs >= state.createdAtMs + SIGNUP_PENDING_LIFETIME_MS;
}

export interface SignupTransition {
  readonly state: SignupState;
  /** True on the step that completed verification: create the trial (or the unpaid account) now. */
  readonly isActivated: boolean;
}

/**
 * Records one verified fact. `trialsAlreadyStartedWithPhone` counts this phone's earlier trials (any ISP);
 * it decides only at activation. Verifying what is already verified changes nothing; an abandoned sign-up
 * takes no more steps.
 */
export function recordVerification(
  state: SignupState,
  fact: 'phone' | 'email',
  nowMs: number,
  trialsAlreadyStartedWithPhone: number,
): SignupTransition {
  if (state.activatedAtMs !== null || isSignupAbandoned(state, nowMs)) return { state, isActivated: false };
  const verified: SignupState = {
    ...state,
    phoneVerifiedAtMs: fact === 'phone' ? (state.phoneVerifiedAtMs ?? nowMs) : state.phoneVerifiedAtMs,
    emailVerifiedAtMs: fact === 'email' ? (state.emailVerifiedAtMs ?? nowMs) : state.emailVerifiedAtMs,
  };
  if (verified.phoneVerifiedAtMs === null || verified.emailVerifiedAtMs === null) {
    return { state: verified, isActivated: false };
  }
  const isTrialAllowed = trialsAlreadyStartedWithPhone < TRIALS_PER_PHONE_MAX;
  return {
    state: {
      ...verified,
      activatedAtMs: nowMs,
      trialEndsAtMs: isTrialAllowed ? nowMs + TRIAL_DURATION_MS : null,
    },
    isActivated: true,
  };
}
