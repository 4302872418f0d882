// Who is at /account/<slug>: the ISP from the slug, the subscriber from a signed session cookie
// (ended by a new password), and signing in by username or account number under the sign-in limits.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecretBox, SqlDatabase } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { IspBranding } from '../console/branded-page';
import { ispBranding } from '../features/branding/service';
import { type Language, t } from '../i18n';
import { sourceAddressOf } from '../kernel/audit';
import type { ApiDependencies } from '../kernel/dependencies';
import { type PublicTenant, publicTenantBySlug } from '../kernel/tenant-access';
import { customerSignInThrottle, loginLimitMessage } from './login-limits';
import { passwordFingerprint, readCustomerSession, startCustomerSession } from './session';
import { findLoginCandidate, findSubscriberProfile, type SubscriberProfile } from './store';

/** The ISP whose self-service this is, its database and its colours. */
export interface SelfServiceIsp {
  tenant: PublicTenant;
  database: SqlDatabase;
  branding: IspBranding;
}

export async function selfServiceIspOf(dependencies: ApiDependencies, slug: string): Promise<SelfServiceIsp> {
  const tenant = await publicTenantBySlug(dependencies.databases.platform, slug);
  const database = dependencies.databases.forTenant(tenant.id);
  return { tenant, database, branding: await ispBranding(database, tenant.name) };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compared as digests, so the time taken says nothing about the password's length or prefix. */
function isSamePassword(expected: string, given: string): boolean {
  return timingSafeEqual(sha256(expected), sha256(given));
}

/**
 * The subscriber when the password matches, or null. An unknown login still does the same
 * comparison work, so timing does not reveal which logins exist.
 */
export async function authenticateSubscriber(
  database: SqlDatabase,
  secretBox: SecretBox,
  subscriberId: string | null,
  password: string,
): Promise<SubscriberProfile | null> {
  const profile = subscriberId ? await findSubscriberProfile(database, subscriberId) : null;
  let stored = '';
  if (profile) {
    try {
      stored = secretBox.open(profile.passwordSealed);
    } catch {
      stored = '';
    }
  }
  const isMatch = isSamePassword(stored, password);
  return profile && stored.length > 0 && password.length > 0 && isMatch ? profile : null;
}

export type SignInOutcome =
  | { isSignedIn: true }
  | { isSignedIn: false; status: 401 | 429; message: string; retryAfterMs?: number };

/**
 * Checks the credentials (null when the form did not parse: refused like a wrong password) and on
 * success sets the session cookie. `typedLogin` is what was typed, for the limit on unknown names.
 */
export async function signInSubscriber(
  dependencies: ApiDependencies,
  context: Context,
  isp: SelfServiceIsp,
  typedLogin: string,
  credentials: { login: string; password: string } | null,
  /** The sign-in page's language: a refusal is said in it. */
  language: Language,
): Promise<SignInOutcome> {
  const throttle = customerSignInThrottle(dependencies);
  const nowMs = dependencies.clock.now();
  // Per account whichever way it is named (username or account number); unknown names by text,
  // within this ISP (another ISP's subscriber of the same name is another account).
  const candidateId = credentials ? await findLoginCandidate(isp.database, credentials.login) : null;
  const accountKey = `${isp.tenant.id}:${candidateId ?? `login:${typedLogin.trim().toLowerCase()}`}`;
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const refusal = await throttle.check(accountKey, address, nowMs);
  if (refusal)
    return {
      isSignedIn: false,
      status: 429,
      message: loginLimitMessage(refusal.retryAfterMs, language),
      retryAfterMs: refusal.retryAfterMs,
    };
  const password = credentials?.password ?? '';
  const profile = await authenticateSubscriber(isp.database, dependencies.secretBox, candidateId, password);
  if (!profile) {
    await throttle.recordFailure(accountKey, address, nowMs);
    // The same words for an unknown login and a wrong password: neither says which logins exist.
    return { isSignedIn: false, status: 401, message: t(language, 'account.login.wrong') };
  }
  await throttle.recordSuccess(accountKey, address, nowMs);
  startCustomerSession(dependencies, context, isp.tenant.slug, {
    tenantId: isp.tenant.id,
    subscriberId: profile.id,
    passwordSealed: profile.passwordSealed,
  });
  return { isSignedIn: true };
}

/** The signed-in subscriber of this ISP and the session's CSRF token, or null (no, expired or stale session). */
export async function signedSubscriberOf(
  dependencies: ApiDependencies,
  context: Context,
  isp: SelfServiceIsp,
): Promise<{ profile: SubscriberProfile; csrfToken: string } | null> {
  const session = readCustomerSession(dependencies, context, isp.tenant.id);
  const profile = session ? await findSubscriberProfile(isp.database, session.subscriberId) : null;
  if (!session || !profile || passwordFingerprint(profile.passwordSealed) !== session.passwordFingerprint)
    return null;
  return { profile, csrfToken: session.csrfToken };
}
