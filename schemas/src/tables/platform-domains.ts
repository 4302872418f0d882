// Table of data/platform.db for ISPs' own domains (issue 15): the domain each ISP claimed, its
// verification token and whether Kiunga found the TXT record (features/domains/core).
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per ISP: the token is made once and kept when the domain changes or is removed. */
export const customDomains = sqliteTable(
  'custom_domains',
  {
    tenantId: text('tenant_id').primaryKey(),
    /** Normalised (lower-case A-labels, no trailing dot); null after the ISP removed its domain. */
    domain: text('domain'),
    verificationToken: text('verification_token').notNull(),
    /** pending | verified */
    status: text('status').notNull().default('pending'),
    /**
     * The domain while verified, else null: unique, so one ISP only is served a domain (two may claim it,
     * the first to verify holds it). A column rather than a partial index: both dialects treat NULLs as
     * distinct in a unique index.
     */
    verifiedDomain: text('verified_domain'),
    verifiedAt: integer('verified_at'),
    lastCheckedAt: integer('last_checked_at'),
    consecutiveMisses: integer('consecutive_misses').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('custom_domains_verified_domain').on(table.verifiedDomain)],
);
