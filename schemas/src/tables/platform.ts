// Tables of data/platform.db: tenants, platform users, the NAS registry, audit log, settings.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** trial | active | suspended | archived */
    status: text('status').notNull().default('trial'),
    /** trial | tier1 | tier2 — billing rules come with platform billing. */
    tier: text('tier').notNull().default('trial'),
    /** For tier 1: hotspot | pppoe (PPPoE and static). Null means all features. */
    featureChoice: text('feature_choice'),
    trialEndsAt: integer('trial_ends_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('tenants_slug_unique').on(table.slug)],
);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull().default(''),
    /** super_admin | platform_staff | isp_owner | isp_staff | technician */
    kind: text('kind').notNull(),
    /** Null for platform accounts; the ISP for everyone else. */
    tenantId: text('tenant_id').references(() => tenants.id),
    status: text('status').notNull().default('active'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('users_email_unique').on(table.email), index('users_tenant').on(table.tenantId)],
);

export const nasDevices = sqliteTable(
  'nas_devices',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    /** Source address the NAS sends from; null for a NAS behind NAT known by identifier. */
    ipAddress: text('ip_address'),
    /** NAS-Identifier; a NAS found this way must sign with Message-Authenticator. */
    identifier: text('identifier'),
    secretSealed: text('secret_sealed').notNull(),
    requireMessageAuthenticator: integer('require_message_authenticator', { mode: 'boolean' })
      .notNull()
      .default(true),
    coaPort: integer('coa_port').notNull().default(3799),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('nas_ip_unique').on(table.ipAddress),
    uniqueIndex('nas_identifier_unique').on(table.identifier),
    index('nas_tenant').on(table.tenantId),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: text('actor_id'),
    tenantId: text('tenant_id'),
    action: text('action').notNull(),
    target: text('target'),
    detail: text('detail'),
    sourceAddress: text('source_address'),
  },
  (table) => [index('audit_tenant_at').on(table.tenantId, table.at)],
);

export const platformSettings = sqliteTable('platform_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});
