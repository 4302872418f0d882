// "Forgot password" for every kind of account (issue 14): a request always answers the same (202), and
// when the email is an active account's, a single-use link valid RESET_TOKEN_LIFETIME_MS goes out through
// the mail outbox; confirming sets the password once, ends every session, and spends the account's links.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { queueEmail } from '../../features/email/outbox';
import { passwordResetMessage, passwordResetUrl } from '../../integrations/email/messages';
import { recordAuditAs, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { rateLimitsOf } from '../../kernel/rate-limits';
import { storeOwnPassword } from '../account/store';
import { assertNotLimited } from '../login-limits';
import { hashPassword } from '../passwords';
import type { RateLimit } from '../rate-limiter';
import { revokeAllSessionsOf } from '../refresh-tokens';
import { randomSecret, sha256Hex } from '../secrets';
import {
  findActiveAccountByEmail,
  insertResetToken,
  spendOtherResetTokens,
  spendResetToken,
  tenantOfAccount,
} from './store';
import { confirmSubscriberPasswordReset, requestSubscriberPasswordReset } from './subscribers';

const MINUTE_MS = 60_000;
/** Half an hour: time to open the mail on another device, short enough that an old inbox is no key. */
export const RESET_TOKEN_LIFETIME_MS = 30 * MINUTE_MS;
/** Ten requests per address per 15 minutes: a person needs one or two; more is probing or mail-bombing. */
export const RESET_REQUESTS_PER_ADDRESS: RateLimit = {
  name: 'password_reset_requests_per_address',
  attemptsMax: 10,
  windowMs: 15 * MINUTE_MS,
};
/** Three mails per email address per hour, from anywhere: nobody's inbox is flooded with reset links. */
export const RESET_REQUESTS_PER_EMAIL: RateLimit = {
  name: 'password_reset_requests_per_email',
  attemptsMax: 3,
  windowMs: 60 * MINUTE_MS,
};
/** Ten confirmations per address per 15 minutes: a 256-bit token is not guessable, this only stops floods. */
export const RESET_CONFIRMATIONS_PER_ADDRESS: RateLimit = {
  name: 'password_reset_confirmations_per_address',
  attemptsMax: 10,
  windowMs: 15 * MINUTE_MS,
};

const INVALID_LINK_MESSAGE = 'This reset link is not valid any more: ask for a new one.';

function limiters(dependencies: ApiDependencies) {
  const backend = rateLimitsOf(dependencies);
  return {
    perAddress: backend.limiter(RESET_REQUESTS_PER_ADDRESS),
    perEmail: backend.limiter(RESET_REQUESTS_PER_EMAIL),
    confirmations: backend.limiter(RESET_CONFIRMATIONS_PER_ADDRESS),
  };
}

const limitersByApp = new WeakMap<ApiDependencies, ReturnType<typeof limiters>>();

function resetLimiters(dependencies: ApiDependencies): ReturnType<typeof limiters> {
  let found = limitersByApp.get(dependencies);
  if (!found) {
    found = limiters(dependencies);
    limitersByApp.set(dependencies, found);
  }
  return found;
}

/**
 * Queues the reset mail when `email` is an active account's and email is on; answers nothing either
 * way, so the caller answers 202 alike. Counted per address and per email whether or not it exists.
 */
export async function requestPasswordReset(
  dependencies: ApiDependencies,
  context: Context,
  email: string,
  /** The ISP's slug: the subscribers of its customer portal (issue 14); staff accounts without it. */
  ispSlug?: string,
): Promise<void> {
  const { perAddress, perEmail } = resetLimiters(dependencies);
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const nowMs = dependencies.clock.now();
  await assertNotLimited(context, perAddress, address, nowMs);
  await assertNotLimited(context, perEmail, email, nowMs);
  await perAddress.record(address, nowMs);
  await perEmail.record(email, nowMs);
  if (!dependencies.email) return;
  if (ispSlug !== undefined) {
    await requestSubscriberPasswordReset(dependencies, ispSlug, email, RESET_TOKEN_LIFETIME_MS);
    return;
  }
  const platform = dependencies.databases.platform;
  const account = await findActiveAccountByEmail(platform, email);
  if (account === null) return;
  const token = randomSecret();
  await insertResetToken(
    platform,
    { tokenHash: sha256Hex(token), userId: account.id, expiresAtMs: nowMs + RESET_TOKEN_LIFETIME_MS },
    nowMs,
  );
  const message = passwordResetMessage({
    to: account.email,
    resetUrl: passwordResetUrl(dependencies.publicUrl, token),
    validMinutes: RESET_TOKEN_LIFETIME_MS / MINUTE_MS,
    productName: 'Kiunga',
  });
  await queueEmail(platform, dependencies.secretBox, 'password_reset', message, nowMs);
  await recordAuditAs(
    dependencies,
    context,
    { id: account.id, tenantId: account.tenantId },
    { action: 'auth.password_reset_requested', target: account.id, detail: {} },
  );
}

/** Sets the new password once per token; throws 400 validation_failed for a spent, expired or unknown one. */
export async function confirmPasswordReset(
  dependencies: ApiDependencies,
  context: Context,
  input: { token: string; password: string },
): Promise<void> {
  const { confirmations } = resetLimiters(dependencies);
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const nowMs = dependencies.clock.now();
  await assertNotLimited(context, confirmations, address, nowMs);
  await confirmations.record(address, nowMs);
  const platform = dependencies.databases.platform;
  // Hashed before the token is spent: a slow hash after it would leave a spent link and no password.
  const passwordHash = await hashPassword(input.password);
  const userId = await spendResetToken(platform, sha256Hex(input.token), nowMs);
  if (userId === null) {
    // Not a staff link: a subscriber's from the customer portal, or none.
    if (await confirmSubscriberPasswordReset(dependencies, context, input)) return;
    throw new KiungaError('validation_failed', INVALID_LINK_MESSAGE);
  }
  await storeOwnPassword(platform, userId, passwordHash, nowMs);
  await spendOtherResetTokens(platform, userId, nowMs);
  await revokeAllSessionsOf(dependencies, userId);
  const tenantId = await tenantOfAccount(platform, userId);
  await recordAuditAs(
    dependencies,
    context,
    { id: userId, tenantId },
    { action: 'auth.password_reset', target: userId, detail: {} },
  );
}
