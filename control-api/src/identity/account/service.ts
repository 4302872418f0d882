// The signed-in account's own sign-in settings: two-factor enrolment and its own password. A change
// needs the current password (checked like a sign-in), ends the account's other sessions and is audited.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { type AuditEntry, recordAudit, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { SESSION_COOKIE_NAME } from '../console-sessions';
import { identityLimiters, throwRateLimited } from '../login-limits';
import { hashPassword, verifyPassword } from '../passwords';
import type { Principal, PrincipalKind } from '../permissions';
import { issueTokenPair, revokeAllSessionsOf, type TokenPair } from '../refresh-tokens';
import { sha256Hex } from '../secrets';
import { createTotpSecret, totpEnrolmentUrl, verifyTotpCode } from '../totp';
import {
  clearTotpBeforeStep,
  findSignInSecrets,
  isTotpEnabled,
  markTotpEnabled,
  type SignInSecrets,
  storeOwnPassword,
  storeTotpSecretWhileOff,
} from './store';

/** TOTP is offered to the accounts that can do the most damage: platform staff and ISP owners. */
const TOTP_KINDS: ReadonlySet<PrincipalKind> = new Set(['super_admin', 'platform_staff', 'isp_owner']);

export function isTotpOffered(kind: PrincipalKind): boolean {
  return TOTP_KINDS.has(kind);
}

/** Whether two-factor sign-in is on for the account (its own "My account" page shows it). */
export function isOwnTotpEnabled(dependencies: ApiDependencies, userId: string): Promise<boolean> {
  return isTotpEnabled(dependencies.databases.platform, userId);
}

/** A code from the authenticator app and the current password: a session alone changes nothing. */
export interface TotpChange {
  code: string;
  currentPassword: string;
}

/** What a change answers: new tokens for a token caller (its refresh token ended with the others). */
export interface SessionsAfterChange {
  tokens?: TokenPair;
}

async function signInSecretsOf(dependencies: ApiDependencies, userId: string): Promise<SignInSecrets> {
  const row = await findSignInSecrets(dependencies.databases.platform, userId);
  if (!row) throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
  return row;
}

/** A new secret and its otpauth URL, while two-factor sign-in is off (an enabled one is never replaced). */
export async function startTotpEnrolment(
  dependencies: ApiDependencies,
  principal: Principal,
): Promise<{ secret: string; otpauthUrl: string }> {
  if (!isTotpOffered(principal.kind))
    throw new KiungaError('forbidden', 'Two-factor sign-in is for platform accounts and ISP owners.');
  const secret = createTotpSecret();
  const sealed = dependencies.secretBox.seal(secret);
  if (
    !(await storeTotpSecretWhileOff(
      dependencies.databases.platform,
      principal.id,
      sealed,
      dependencies.clock.now(),
    ))
  )
    throw new KiungaError('conflict', 'Two-factor sign-in is already on; turn it off first.');
  return { secret, otpauthUrl: totpEnrolmentUrl(secret, principal.email ?? principal.id) };
}

/**
 * The current password, checked like a sign-in (a wrong one counts against the account from this
 * address, so a stolen session cannot be used to guess it), else 403 or 429.
 */
async function assertCurrentPassword(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  secrets: SignInSecrets,
  password: string,
): Promise<void> {
  const principal = context.get('principal');
  const throttle = identityLimiters(dependencies).signIn;
  const account = principal.email ?? principal.id;
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const nowMs = dependencies.clock.now();
  const refusal = await throttle.check(account, address, nowMs);
  if (refusal) throwRateLimited(context, refusal);
  if (!(await verifyPassword(secrets.passwordHash, password))) {
    await throttle.recordFailure(account, address, nowMs);
    throw new KiungaError('forbidden', 'The current password is wrong.');
  }
}

/**
 * After a change to how the account signs in, whoever else holds a session of it (someone who
 * knew a superior-set or leaked password, or a stolen session) is signed out. The caller goes on:
 * its console session stays; a token caller, whose refresh token ended too, gets a new pair. Then
 * the change is audited.
 */
async function endOtherSessionsAndAudit(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  audited: AuditEntry,
): Promise<SessionsAfterChange> {
  const principal = context.get('principal');
  const isCookieCaller = context.get('authMethod') === 'cookie';
  const cookieToken = isCookieCaller ? getCookie(context, SESSION_COOKIE_NAME) : undefined;
  await revokeAllSessionsOf(dependencies, principal.id, cookieToken ? sha256Hex(cookieToken) : null);
  const sessions = isCookieCaller ? {} : { tokens: await issueTokenPair(dependencies, principal.id) };
  await recordAudit(dependencies, context, audited);
  return sessions;
}

/**
 * The checks both TOTP changes make, in order: the state they start from (else 409 `refusal`), the
 * current password, then the code (a step after `lastStep` when given); answers the step it matched.
 */
async function verifyTotpChange(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  change: TotpChange,
  expected: { isEnabled: boolean; refusal: string },
): Promise<{ secretSealed: string; step: number; nowMs: number }> {
  const secrets = await signInSecretsOf(dependencies, context.get('principal').id);
  const secretSealed = secrets.totpSecretSealed;
  if (secretSealed === null || (secrets.totpEnabledAt !== null) !== expected.isEnabled)
    throw new KiungaError('conflict', expected.refusal);
  await assertCurrentPassword(dependencies, context, secrets, change.currentPassword);
  const nowMs = dependencies.clock.now();
  const lastStep = expected.isEnabled ? secrets.totpLastStep : null;
  const step = verifyTotpCode(dependencies.secretBox.open(secretSealed), change.code, nowMs, lastStep);
  if (step === null) throw new KiungaError('invalid_totp', undefined, 400);
  return { secretSealed, step, nowMs };
}

const START_WITH_SETUP = 'Start with /auth/totp/setup.';

export async function enableTotp(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  change: TotpChange,
): Promise<SessionsAfterChange> {
  const principal = context.get('principal');
  const checked = await verifyTotpChange(dependencies, context, change, {
    isEnabled: false,
    refusal: START_WITH_SETUP,
  });
  // Only the secret this code was checked against (a new setup meanwhile would need its own code).
  const platform = dependencies.databases.platform;
  if (!(await markTotpEnabled(platform, principal.id, checked.secretSealed, checked.step, checked.nowMs)))
    throw new KiungaError('conflict', START_WITH_SETUP);
  return endOtherSessionsAndAudit(dependencies, context, {
    action: 'auth.totp_enabled',
    target: principal.id,
  });
}

export async function disableTotp(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  change: TotpChange,
): Promise<SessionsAfterChange> {
  const principal = context.get('principal');
  const checked = await verifyTotpChange(dependencies, context, change, {
    isEnabled: true,
    refusal: 'Two-factor sign-in is not on.',
  });
  // A code is good once: not if a sign-in took this step (or a later one) meanwhile.
  if (
    !(await clearTotpBeforeStep(dependencies.databases.platform, principal.id, checked.step, checked.nowMs))
  )
    throw new KiungaError('invalid_totp', undefined, 400);
  return endOtherSessionsAndAudit(dependencies, context, {
    action: 'auth.totp_disabled',
    target: principal.id,
  });
}

export async function changeOwnPassword(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  change: { currentPassword: string; newPassword: string },
): Promise<SessionsAfterChange> {
  const principal = context.get('principal');
  const secrets = await signInSecretsOf(dependencies, principal.id);
  await assertCurrentPassword(dependencies, context, secrets, change.currentPassword);
  if (change.newPassword === change.currentPassword)
    throw new KiungaError(
      'validation_failed',
      'newPassword: choose a password different from the current one.',
    );
  const wasRequired = principal.mustChangePassword === true;
  const passwordHash = await hashPassword(change.newPassword);
  await storeOwnPassword(
    dependencies.databases.platform,
    principal.id,
    passwordHash,
    dependencies.clock.now(),
  );
  return endOtherSessionsAndAudit(dependencies, context, {
    action: 'auth.password_change',
    target: principal.id,
    detail: { wasRequired },
  });
}
