// The web sign-up (issue 15): a new ISP is created pending — no trial yet —, a code goes to its phone by
// the platform's own SMS account and a link to its email through the mail outbox; the trial starts when
// both are verified (core/signup-flow.ts). POST /api/v1/registration starts the same pending sign-up.
import { randomBytes, randomInt } from 'node:crypto';
import { KiungaError, newId } from '@kiunga/schemas';
import type { Context } from 'hono';
import { setRetryAfter } from '../../identity/login-limits';
import { issueTokenPair } from '../../identity/refresh-tokens';
import { recordAuditAs, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { queueEmail } from '../email/outbox';
import { smsClientFor } from '../notifications/sms-settings';
import { createTenantWithOwner, type NewTenantInput } from '../tenants/service';
import { isSlugTaken, registeredTenantOf } from '../tenants/store';
import {
  checkSmsCode,
  decideSmsCodeSend,
  EMAIL_TOKEN_BYTES,
  emailTokenDigest,
  emailVerificationUrl,
  isSignupAbandoned,
  newEmailLink,
  newSignup,
  newSmsCodeChallenge,
  recordVerification,
  redeemEmailLink,
  SIGNUP_PENDING_LIFETIME_MS,
  type SlugAvailability,
  SMS_CODES_PER_ADDRESS_WINDOW_MS,
  SMS_CODES_PER_PHONE_WINDOW_MS,
  type SmsCodeOutcome,
  slugAvailability,
  smsCodeFromRandom,
  verificationSummary,
} from './core';
import { signupLanguageOf } from './language';
import { signupCodeSms, signupEmailMessage } from './messages';
import {
  abandonedSignupIds,
  countTrialsOfPhone,
  findEmailLink,
  findSignup,
  insertEmailLink,
  insertSignup,
  insertSmsCode,
  latestSmsCode,
  ownerEmailOf,
  releaseAbandonedSignup,
  type SignupRow,
  sentSmsCodes,
  setTenantTrialEnd,
  spendEmailLink,
  storeSmsCodeCheck,
  updateSignupState,
} from './store';

/** Hourly, off the hour's start: a slug freed an hour late hurts nobody. */
export const ABANDONED_SIGNUPS_CRON = '17 * * * *';
/** Abandoned sign-ups released per run: a flood of them is worked off over a few runs. */
export const ABANDONED_SIGNUPS_PER_RUN = 200;
/** How far back the send history is read: the longer of the per-phone and per-address windows. */
const SEND_HISTORY_WINDOW_MS = Math.max(SMS_CODES_PER_PHONE_WINDOW_MS, SMS_CODES_PER_ADDRESS_WINDOW_MS);

export type SignupInput = Omit<NewTenantInput, 'isTrial'> & { contactPhone: string };

export async function slugAvailabilityOf(
  dependencies: ApiDependencies,
  typed: string,
): Promise<SlugAvailability> {
  const first = slugAvailability(typed, () => false);
  if (!first.isAvailable) return first;
  const isTaken = await isSlugTaken(dependencies.databases.platform, first.slug);
  return slugAvailability(typed, () => isTaken);
}

/**
 * A new ISP from the sign-up form (or POST /api/v1/registration): pending (platform billing waits SIGNUP_PENDING_LIFETIME_MS, after
 * which the sign-up is abandoned), then the SMS code and the email link. Answers the tenant and owner.
 */
export async function startWebSignup(
  dependencies: ApiDependencies,
  context: Context,
  input: SignupInput,
  via: 'web' | 'api' = 'web',
): Promise<{ tenantId: string; ownerId: string }> {
  const nowMs = dependencies.clock.now();
  const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
    ...input,
    featureChoice: input.tier === 'tier1' ? input.featureChoice : undefined,
    isTrial: true,
  });
  const platform = dependencies.databases.platform;
  await setTenantTrialEnd(platform, tenantId, nowMs + SIGNUP_PENDING_LIFETIME_MS, nowMs);
  await insertSignup(platform, { ...newSignup(nowMs), tenantId, ownerId, phone: input.contactPhone });
  await recordAuditAs(
    dependencies,
    context,
    { id: ownerId, tenantId },
    {
      action: 'tenant.register',
      target: tenantId,
      detail: { slug: input.slug, tier: input.tier, featureChoice: input.featureChoice ?? null, via },
    },
  );
  await sendVerifications(dependencies, context, tenantId, input.owner.email, input.name);
  return { tenantId, ownerId };
}

/**
 * POST /api/v1/registration: the same pending sign-up as the web form (no trial until the phone and the
 * email are confirmed), answered with the tenant as it stands, the owner's first tokens (enough for
 * /api/v1/signup, the registration payment and its own profile) and what is left to confirm.
 */
export async function registerThroughApi(
  dependencies: ApiDependencies,
  context: Context,
  input: SignupInput,
) {
  const { tenantId, ownerId } = await startWebSignup(dependencies, context, input, 'api');
  const tenant = await registeredTenantOf(dependencies.databases.platform, tenantId);
  return {
    tenant,
    ownerId,
    ...(await issueTokenPair(dependencies, ownerId)),
    tenantId,
    slug: tenant.slug,
    verification: verificationSummary(newSignup(dependencies.clock.now())),
  };
}

/** The code by SMS (best effort: a refused send is logged, "send again" retries) and the link by email. */
async function sendVerifications(
  dependencies: ApiDependencies,
  context: Context,
  tenantId: string,
  email: string,
  ispName: string,
): Promise<void> {
  try {
    await sendSignupCode(dependencies, context, tenantId);
  } catch (error) {
    if (!(error instanceof KiungaError)) throw error;
    dependencies.logger.warn({ tenantId, code: error.code }, 'sign-up code not sent');
  }
  const nowMs = dependencies.clock.now();
  const { token, record } = newEmailLink(tenantId, randomBytes(EMAIL_TOKEN_BYTES), nowMs);
  const platform = dependencies.databases.platform;
  await insertEmailLink(platform, tenantId, record);
  const verifyUrl = emailVerificationUrl(dependencies.publicUrl, token);
  await queueEmail(
    platform,
    dependencies.secretBox,
    'signup_email',
    signupEmailMessage({ to: email, ispName, verifyUrl, language: signupLanguageOf(context) }),
    nowMs,
  );
}

async function signupOf(dependencies: ApiDependencies, tenantId: string): Promise<SignupRow> {
  const signup = await findSignup(dependencies.databases.platform, tenantId);
  if (!signup) throw new KiungaError('not_found', 'There is no sign-up waiting for confirmation here.');
  return signup;
}

/**
 * Sends a new code to the sign-up's phone when decideSmsCodeSend allows (429 rate_limited with
 * Retry-After otherwise; 503 when the platform has no SMS account).
 */
export async function sendSignupCode(
  dependencies: ApiDependencies,
  context: Context,
  tenantId: string,
): Promise<void> {
  const signup = await signupOf(dependencies, tenantId);
  const sms = dependencies.platformSms;
  if (!sms || !dependencies.smsBaseUrl)
    throw new KiungaError('service_unavailable', 'Sign-up codes cannot be sent by SMS right now.', 503);
  const platform = dependencies.databases.platform;
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const nowMs = dependencies.clock.now();
  const history = await sentSmsCodes(platform, signup.phone, address, nowMs - SEND_HISTORY_WINDOW_MS);
  const decision = decideSmsCodeSend(history, signup.phone, address, nowMs);
  if (!decision.isAllowed) {
    setRetryAfter(context, decision.retryAtMs - nowMs);
    throw new KiungaError(
      'rate_limited',
      'A code was sent a moment ago: wait a little before asking again.',
      429,
      {
        limit: decision.reason,
      },
    );
  }
  const code = smsCodeFromRandom(randomInt(10 ** 6));
  const challenge = newSmsCodeChallenge(newId('signupSmsCode'), signup.phone, code, nowMs);
  // Recorded before the send: a send that times out still counts against the limits.
  await insertSmsCode(platform, tenantId, address, challenge, nowMs);
  const client = smsClientFor(dependencies.smsBaseUrl, { username: sms.username, apiKey: sms.apiKey });
  const result = await client.send({
    to: [`+${signup.phone}`],
    message: signupCodeSms(code, signupLanguageOf(context)),
    ...(sms.senderId ? { from: sms.senderId } : {}),
  });
  if (result.recipients[0]?.outcome !== 'sent')
    dependencies.logger.warn(
      { tenantId, summary: result.summary },
      'sign-up code refused by the SMS gateway',
    );
}

export type VerificationOutcome = SmsCodeOutcome | 'no_code';

/** Checks a typed code against the sign-up's latest one; on success records the verified phone. */
export async function verifySignupPhone(
  dependencies: ApiDependencies,
  tenantId: string,
  typed: string,
): Promise<VerificationOutcome> {
  const platform = dependencies.databases.platform;
  const challenge = await latestSmsCode(platform, tenantId);
  if (!challenge) return 'no_code';
  const nowMs = dependencies.clock.now();
  const check = checkSmsCode(challenge, typed, nowMs);
  if (check.challenge !== challenge && !(await storeSmsCodeCheck(platform, challenge, check.challenge)))
    return 'already_used';
  if (check.outcome === 'verified') await recordFact(dependencies, tenantId, 'phone');
  return check.outcome;
}

/** Redeems an emailed link (from any browser); on success records the verified email. */
export async function verifySignupEmail(
  dependencies: ApiDependencies,
  token: string,
): Promise<{ outcome: 'verified' | 'expired' | 'already_used' | 'invalid'; tenantId: string | null }> {
  const platform = dependencies.databases.platform;
  const digest = emailTokenDigest(token);
  const record = await findEmailLink(platform, digest);
  const nowMs = dependencies.clock.now();
  const redeemed = redeemEmailLink(record, token, nowMs);
  const tenantId = record?.signupId ?? null;
  if (redeemed.outcome !== 'verified' || tenantId === null) return { outcome: redeemed.outcome, tenantId };
  if (!(await spendEmailLink(platform, digest, nowMs))) return { outcome: 'already_used', tenantId };
  await recordFact(dependencies, tenantId, 'email');
  return { outcome: 'verified', tenantId };
}

/**
 * Stores one verified fact; when it completes a pending sign-up the trial starts now (the tenant's trial
 * end moves there), or, when the phone already had its trial, billing starts now.
 */
async function recordFact(
  dependencies: ApiDependencies,
  tenantId: string,
  fact: 'phone' | 'email',
): Promise<void> {
  const platform = dependencies.databases.platform;
  const signup = await signupOf(dependencies, tenantId);
  const nowMs = dependencies.clock.now();
  if (signup.activatedAtMs !== null) {
    // Registered through the API (trial already running): only the fact is recorded.
    await updateSignupState(platform, tenantId, {
      ...signup,
      phoneVerifiedAtMs: fact === 'phone' ? (signup.phoneVerifiedAtMs ?? nowMs) : signup.phoneVerifiedAtMs,
      emailVerifiedAtMs: fact === 'email' ? (signup.emailVerifiedAtMs ?? nowMs) : signup.emailVerifiedAtMs,
    });
    return;
  }
  const trials = await countTrialsOfPhone(platform, signup.phone, tenantId);
  const transition = recordVerification(signup, fact, nowMs, trials);
  if (!(await updateSignupState(platform, tenantId, transition.state))) return;
  if (transition.isActivated)
    await setTenantTrialEnd(platform, tenantId, transition.state.trialEndsAtMs ?? nowMs, nowMs);
}

export interface SignupProgress {
  phone: string;
  email: string;
  verification: { phone: 'pending' | 'verified'; email: 'pending' | 'verified' };
  isActivated: boolean;
  isAbandoned: boolean;
}

/** What /signup/verify shows; null when the tenant has no sign-up (made by the operator or the seed). */
export async function signupProgress(
  dependencies: ApiDependencies,
  tenantId: string,
): Promise<SignupProgress | null> {
  const signup = await findSignup(dependencies.databases.platform, tenantId);
  if (!signup) return null;
  return {
    phone: signup.phone,
    email: await ownerEmailOf(dependencies.databases.platform, signup.ownerId),
    verification: verificationSummary(signup),
    isActivated: signup.activatedAtMs !== null,
    isAbandoned: isSignupAbandoned(signup, dependencies.clock.now()),
  };
}

/** The job: sign-ups never verified within SIGNUP_PENDING_LIFETIME_MS give their slug and email back. */
export async function releaseAbandonedSignups(dependencies: ApiDependencies): Promise<{ released: number }> {
  const platform = dependencies.databases.platform;
  const nowMs = dependencies.clock.now();
  const ids = await abandonedSignupIds(
    platform,
    nowMs - SIGNUP_PENDING_LIFETIME_MS,
    ABANDONED_SIGNUPS_PER_RUN,
  );
  for (const tenantId of ids) await releaseAbandonedSignup(platform, tenantId, nowMs);
  return { released: ids.length };
}
