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
    /** Contact phone given at registration (E.164 without '+', e.g. 2547XXXXXXXX). */
    contactPhone: text('contact_phone'),
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
    /** Staff, technicians and sub-admins get their permissions from this role. */
    roleId: text('role_id'),
    /** TOTP secret (sealed with the master key); enabled once confirmed with a code. */
    totpSecretSealed: text('totp_secret_sealed'),
    totpEnabledAt: integer('totp_enabled_at'),
    /** Last accepted TOTP time step: a code is good once (no replay inside its window). */
    totpLastStep: integer('totp_last_step'),
    /** Set when a superior chose or generated the password: the user must pick their own first. */
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
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
    /** The hotspot's DNS name (`/ip hotspot profile dns-name`): the portal posts logins only to it or a private IP. */
    hotspotDnsName: text('hotspot_dns_name'),
    /** The router serves its hotspot login page over HTTPS (login-by=https, needs a certificate for the DNS name). */
    isHotspotHttps: integer('is_hotspot_https', { mode: 'boolean' }).notNull().default(false),
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

/** RBAC as data: a named set of permission names. tenant_id null = a platform role. */
export const roles = sqliteTable(
  'roles',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').references(() => tenants.id),
    name: text('name').notNull(),
    /** JSON array of permission names from control-api's catalogue. */
    permissions: text('permissions').notNull().default('[]'),
    isBuiltIn: integer('is_built_in', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('roles_tenant').on(table.tenantId, table.name)],
);

/** Refresh tokens, stored as sha256; rotated on use, a reused one revokes its whole family. */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    familyId: text('family_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    revokedAt: integer('revoked_at'),
  },
  (table) => [
    uniqueIndex('refresh_tokens_hash_unique').on(table.tokenHash),
    index('refresh_tokens_family').on(table.familyId),
    index('refresh_tokens_user').on(table.userId),
  ],
);

/** Cookie sessions of the web consoles; the cookie carries a random token stored as sha256. */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** Synchronizer CSRF token: forms and fetch calls echo it back on unsafe methods. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (table) => [
    uniqueIndex('console_sessions_hash_unique').on(table.tokenHash),
    index('console_sessions_user').on(table.userId),
  ],
);

/** Per-ISP API keys for integrations, scoped by a permission list; the secret is stored as sha256. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** JSON array of permission names, a subset of the creator's at creation. */
    permissions: text('permissions').notNull().default('[]'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (table) => [index('api_keys_tenant').on(table.tenantId)],
);
export * from './platform-billing';
export * from './platform-domains';
export * from './platform-email';
export * from './platform-monitoring';
export * from './platform-signup';
export * from './platform-support';
