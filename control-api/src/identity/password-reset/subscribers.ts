// "Forgot password" for subscribers of the customer portal (issue 14): by the email address on their
// account, within one ISP (the portal's slug: addresses are not unique across ISPs, nor within one — a
// family shares one, and then each of its accounts gets its own link). The same rules as for staff: a
// single-use link valid RESET_TOKEN_LIFETIME_MS, only its sha256 kept (platform DB), the answer the same
// whether or not the address is known. Confirming sets the subscriber's password, which is also their
// PPPoE password: their live sessions end, and their portal sessions with it (the cookie names it).
import { KiungaError, type SqlDatabase, SUBSCRIBER_PASSWORD_LENGTH_MAX } from '@kiunga/schemas';
import type { Context } from 'hono';
import { ispBranding } from '../../features/branding/service';
import { queueEmail } from '../../features/email/outbox';
import { passwordResetWording, subscriberLanguageOf } from '../../features/email/subscriber-mail';
import { disconnectSubjectSessions } from '../../features/sessions/service';
import { updateSubscriber } from '../../features/subscribers/service';
import { passwordResetMessage } from '../../integrations/email/messages';
import { recordAuditAs } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { publicTenantBySlug } from '../../kernel/tenant-access';
import { randomSecret, sha256Hex } from '../secrets';

/** Accounts of one ISP sharing an address that get a link per request: a household, not a list to mail. */
export const SUBSCRIBER_RESETS_PER_REQUEST_MAX = 5;

interface ResettableSubscriber {
  id: string;
  username: string;
  accountNumber: string;
  email: string;
  language: string | null;
}

function activeSubscribersByEmail(database: SqlDatabase, email: string): Promise<ResettableSubscriber[]> {
  return database.all<ResettableSubscriber>(
    `SELECT id, username, account_number AS "accountNumber", email, language FROM subscribers
      WHERE email = ? AND status <> 'suspended' ORDER BY created_at, id LIMIT ?`,
    [email, SUBSCRIBER_RESETS_PER_REQUEST_MAX],
  );
}

/** `<public URL>/account/<slug>/reset-password?token=…`: the customer portal's own page, in its brand. */
export function subscriberResetUrl(publicUrl: string, slug: string, token: string): string {
  const url = new URL(`/account/${encodeURIComponent(slug)}/reset-password`, publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/** Queues a link for each active account of the ISP `slug` with this address; nothing for an unknown one. */
export async function requestSubscriberPasswordReset(
  dependencies: ApiDependencies,
  slug: string,
  email: string,
  lifetimeMs: number,
): Promise<void> {
  const platform = dependencies.databases.platform;
  let tenant: { id: string; slug: string; name: string };
  try {
    tenant = await publicTenantBySlug(platform, slug);
  } catch (error) {
    // An unknown ISP answers like an unknown address: 202, nothing sent.
    if (error instanceof KiungaError && error.code === 'tenant_not_found') return;
    throw error;
  }
  const database = dependencies.databases.forTenant(tenant.id);
  const accounts = await activeSubscribersByEmail(database, email);
  if (accounts.length === 0) return;
  const branding = await ispBranding(database, tenant.name);
  const nowMs = dependencies.clock.now();
  for (const account of accounts) {
    const token = randomSecret();
    await platform.run(
      `INSERT INTO subscriber_password_reset_tokens (token_hash, tenant_id, subscriber_id, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?)`,
      [sha256Hex(token), tenant.id, account.id, nowMs + lifetimeMs, nowMs],
    );
    const language = await subscriberLanguageOf(database, account.language);
    const message = passwordResetMessage({
      to: account.email,
      resetUrl: subscriberResetUrl(dependencies.publicUrl, tenant.slug, token),
      validMinutes: Math.round(lifetimeMs / 60_000),
      productName: branding.name,
      accountName: `${account.username}, ${account.accountNumber}`,
      wording: passwordResetWording(language),
    });
    await queueEmail(platform, dependencies.secretBox, 'password_reset', message, nowMs);
  }
}

/** The subscriber a token is for when it is unused and unexpired, spent in the same statement; else null. */
async function spendSubscriberResetToken(
  platform: SqlDatabase,
  tokenHash: string,
  nowMs: number,
): Promise<{ tenantId: string; subscriberId: string } | null> {
  const row = await platform.get<{ tenantId: string; subscriberId: string }>(
    `UPDATE subscriber_password_reset_tokens SET used_at = ?
      WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
      RETURNING tenant_id AS "tenantId", subscriber_id AS "subscriberId"`,
    [nowMs, tokenHash, nowMs],
  );
  return row ?? null;
}

/**
 * Sets the subscriber's password with a reset token; false when the token is not a subscriber's live one
 * (the caller then says the link is not valid). The account's other links are spent with it.
 */
export async function confirmSubscriberPasswordReset(
  dependencies: ApiDependencies,
  context: Context,
  input: { token: string; password: string },
): Promise<boolean> {
  const platform = dependencies.databases.platform;
  const nowMs = dependencies.clock.now();
  const tokenHash = sha256Hex(input.token);
  if (input.password.length > SUBSCRIBER_PASSWORD_LENGTH_MAX) {
    // Said before the link is spent, so the subscriber can try a shorter one with the same link.
    const isSubscriberToken = await platform.get(
      'SELECT 1 AS found FROM subscriber_password_reset_tokens WHERE token_hash = ? AND used_at IS NULL',
      [tokenHash],
    );
    if (!isSubscriberToken) return false;
    throw new KiungaError(
      'validation_failed',
      `A connection password has at most ${SUBSCRIBER_PASSWORD_LENGTH_MAX} characters.`,
    );
  }
  const spent = await spendSubscriberResetToken(platform, tokenHash, nowMs);
  if (spent === null) return false;
  await platform.run(
    `UPDATE subscriber_password_reset_tokens SET used_at = ?
      WHERE tenant_id = ? AND subscriber_id = ? AND used_at IS NULL`,
    [nowMs, spent.tenantId, spent.subscriberId],
  );
  const actor = { id: spent.subscriberId, tenantId: spent.tenantId };
  await updateSubscriber(
    dependencies.databases.forTenant(spent.tenantId),
    dependencies.secretBox,
    spent.subscriberId,
    { password: input.password },
    nowMs,
    (entry) =>
      recordAuditAs(dependencies, context, actor, { ...entry, action: 'self_service.password_reset' }),
  );
  // The old password ends here: the router asks again with the new one.
  await disconnectSubjectSessions(
    dependencies.aaa,
    spent.tenantId,
    'subscriber',
    new Set([spent.subscriberId]),
  );
  return true;
}
