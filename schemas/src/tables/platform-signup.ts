// Tables of data/platform.db for the front door (issue 15) and email (issue 14): the mail outbox, the
// password-reset tokens, and the web sign-up's state, SMS codes and email links.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Mail waiting to go out by SMTP: written by requests, sent by the leased email job (never inline). */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    /** password_reset | signup_email | payment_receipt (what the log and tests look for). */
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    /** The text and HTML bodies, sealed with the master key: they can hold single-use links. */
    bodySealed: text('body_sealed').notNull(),
    /** pending | sending | sent | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: integer('next_attempt_at'),
    /** While 'sending': past this the sender is taken to have died and the row is tried again. */
    claimExpiresAt: integer('claim_expires_at'),
    providerMessageId: text('provider_message_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (table) => [index('mail_outbox_due').on(table.status, table.nextAttemptAt)],
);

/** A "forgot password" link: only the sha256 of its token is kept; good once, until expires_at. */
export const passwordResetTokens = sqliteTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('password_reset_tokens_user').on(table.userId)],
);

/** One ISP signed up on the web: pending until its phone and email are verified (features/signup/core). */
export const signups = sqliteTable(
  'signups',
  {
    tenantId: text('tenant_id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    /** The phone the code goes to, normalised (2547XXXXXXXX): what trials per phone are counted by. */
    phone: text('phone').notNull(),
    createdAt: integer('created_at').notNull(),
    phoneVerifiedAt: integer('phone_verified_at'),
    emailVerifiedAt: integer('email_verified_at'),
    activatedAt: integer('activated_at'),
    trialEndsAt: integer('trial_ends_at'),
  },
  (table) => [index('signups_phone').on(table.phone), index('signups_pending').on(table.activatedAt)],
);

/** A sign-up SMS code sent: its digest (never the code), tries and use; the rows are also the send history. */
export const signupSmsCodes = sqliteTable(
  'signup_sms_codes',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    phone: text('phone').notNull(),
    /** The address that asked for it (per-address send limits). */
    address: text('address').notNull(),
    digest: text('digest').notNull(),
    sentAt: integer('sent_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: integer('used_at'),
  },
  (table) => [
    index('signup_sms_codes_phone').on(table.phone, table.sentAt),
    index('signup_sms_codes_address').on(table.address, table.sentAt),
    index('signup_sms_codes_tenant').on(table.tenantId, table.sentAt),
  ],
);

/** A sign-up's email link: the sha256 of its token, good once until expires_at. */
export const signupEmailLinks = sqliteTable(
  'signup_email_links',
  {
    digest: text('digest').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (table) => [index('signup_email_links_tenant').on(table.tenantId)],
);
