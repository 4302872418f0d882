// Tables of data/platform.db for email to subscribers (issue 14): the customer portal's "forgot password"
// links, kept beside the staff ones (password_reset_tokens) because a link names its ISP and subscriber.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A subscriber's "forgot password" link: only the sha256 of its token is kept; good once, until expires_at. */
export const subscriberPasswordResetTokens = sqliteTable(
  'subscriber_password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    subscriberId: text('subscriber_id').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('subscriber_password_reset_tokens_subscriber').on(table.tenantId, table.subscriberId)],
);
