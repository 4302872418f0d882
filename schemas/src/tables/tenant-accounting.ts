// Accounting-software sync tables of one ISP's shard (issue 14): the connection to QuickBooks Online
// or Xero (tokens sealed with the master key), the OAuth states of connects in progress, and the sync
// log that makes a rerun create nothing twice (features/accounting-sync).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per vendor the ISP has connected or is connecting. */
export const accountingConnections = sqliteTable('accounting_connections', {
  /** quickbooks | xero */
  vendor: text('vendor').primaryKey(),
  /** connected | reconnect_needed */
  status: text('status').notNull(),
  /** QuickBooks realmId / Xero tenantId of the connected company or organisation. */
  externalId: text('external_id').notNull(),
  /** The token set (JSON), sealed with the master key; never read back through the API. */
  tokensSealed: text('tokens_sealed').notNull(),
  /** Vendor settings (JSON): item and account ids for QuickBooks, account codes for Xero. */
  settings: text('settings').notNull(),
  /** Records from this instant on are synced (epoch ms). */
  syncFrom: integer('sync_from').notNull(),
  connectedAt: integer('connected_at').notNull(),
  /** Set while a run holds the connection (a run on another node waits); stale after a while. */
  runClaimedAt: integer('run_claimed_at'),
  lastRunAt: integer('last_run_at'),
  /** The last run's report (JSON: created, alreadyDone, failed, deferred, stoppedBecause). */
  lastRunReport: text('last_run_report'),
  updatedAt: integer('updated_at').notNull(),
});

/** Connects begun and not yet come back: the state's digest, single use, short-lived. */
export const accountingOauthStates = sqliteTable('accounting_oauth_states', {
  stateDigest: text('state_digest').primaryKey(),
  vendor: text('vendor').notNull(),
  /** The vendor settings and sync start given with the connect (JSON), applied on the way back. */
  request: text('request').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** One entry per (vendor, operation key): features/accounting-sync/core/executor.ts SyncLogEntry. */
export const accountingSyncLog = sqliteTable(
  'accounting_sync_log',
  {
    vendor: text('vendor').notNull(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    /** ok | failed | retry | blocked */
    status: text('status').notNull(),
    vendorRecordId: text('vendor_record_id'),
    attempts: integer('attempts').notNull(),
    generation: integer('generation').notNull(),
    nextAttemptAt: integer('next_attempt_at'),
    errorFailure: text('error_failure'),
    errorMessage: text('error_message'),
    errorVendorCode: text('error_vendor_code'),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    // Named as PostgreSQL names a primary key, so both dialects show the same schema (schema-parity).
    primaryKey({ name: 'accounting_sync_log_pkey', columns: [table.vendor, table.key] }),
    index('accounting_sync_log_recent').on(table.vendor, table.updatedAt),
    index('accounting_sync_log_status').on(table.vendor, table.status),
  ],
);
