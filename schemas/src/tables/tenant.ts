// Tables of one ISP's shard (data/tenants/<tenant-id>.db); no row refers to another tenant.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const tenantSettings = sqliteTable('tenant_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const plans = sqliteTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** hotspot | pppoe | static */
  kind: text('kind').notNull(),
  priceCents: integer('price_cents').notNull(),
  /** Hotspot: how long a voucher lasts from its first login. */
  validitySeconds: integer('validity_seconds'),
  /** PPPoE/static: length of one billing cycle in months. */
  billingCycleMonths: integer('billing_cycle_months'),
  rateUpKbps: integer('rate_up_kbps').notNull(),
  rateDownKbps: integer('rate_down_kbps').notNull(),
  burstUpKbps: integer('burst_up_kbps'),
  burstDownKbps: integer('burst_down_kbps'),
  burstThresholdUpKbps: integer('burst_threshold_up_kbps'),
  burstThresholdDownKbps: integer('burst_threshold_down_kbps'),
  burstTimeSeconds: integer('burst_time_seconds'),
  deviceLimit: integer('device_limit').notNull().default(1),
  dataCapBytes: integer('data_cap_bytes'),
  ipPool: text('ip_pool'),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const voucherBatches = sqliteTable('voucher_batches', {
  id: text('id').primaryKey(),
  planId: text('plan_id')
    .notNull()
    .references(() => plans.id),
  count: integer('count').notNull(),
  prefix: text('prefix').notNull().default(''),
  createdBy: text('created_by'),
  createdAt: integer('created_at').notNull(),
});

/** A voucher keeps the terms it was sold with: validity, rate and limits are copied from the plan. */
export const vouchers = sqliteTable(
  'vouchers',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    batchId: text('batch_id').references(() => voucherBatches.id),
    priceCents: integer('price_cents').notNull(),
    validitySeconds: integer('validity_seconds').notNull(),
    deviceLimit: integer('device_limit').notNull(),
    rateLimit: text('rate_limit').notNull(),
    dataCapBytes: integer('data_cap_bytes'),
    /** unused | active | expired | revoked */
    status: text('status').notNull().default('unused'),
    firstUsedAt: integer('first_used_at'),
    expiresAt: integer('expires_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('vouchers_code_unique').on(table.code),
    index('vouchers_batch').on(table.batchId),
    index('vouchers_status').on(table.status),
    // The sales report counts printed vouchers at first use, over a date range.
    index('vouchers_first_used').on(table.firstUsedAt),
  ],
);

export const subscribers = sqliteTable(
  'subscribers',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    /** Sealed with the master key: CHAP and MS-CHAPv2 need the cleartext. */
    passwordSealed: text('password_sealed').notNull(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    accountNumber: text('account_number').notNull(),
    /** pppoe | static */
    kind: text('kind').notNull(),
    /** active | expired | suspended */
    status: text('status').notNull().default('active'),
    expiresAt: integer('expires_at'),
    staticIp: text('static_ip'),
    macAddress: text('mac_address'),
    fullName: text('full_name').notNull().default(''),
    phone: text('phone'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('subscribers_username_unique').on(table.username),
    uniqueIndex('subscribers_account_unique').on(table.accountNumber),
    index('subscribers_status').on(table.status),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    nasId: text('nas_id').notNull(),
    acctSessionId: text('acct_session_id').notNull(),
    username: text('username').notNull(),
    /** voucher | subscriber */
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    callingStationId: text('calling_station_id').notNull().default(''),
    framedIp: text('framed_ip'),
    nasPortId: text('nas_port_id'),
    /** open | closed */
    status: text('status').notNull().default('open'),
    startedAt: integer('started_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    stoppedAt: integer('stopped_at'),
    interimIntervalSeconds: integer('interim_interval_seconds').notNull(),
    inputOctets: integer('input_octets').notNull().default(0),
    outputOctets: integer('output_octets').notNull().default(0),
    inputPackets: integer('input_packets').notNull().default(0),
    outputPackets: integer('output_packets').notNull().default(0),
    sessionTimeSeconds: integer('session_time_seconds').notNull().default(0),
    terminateCause: text('terminate_cause'),
  },
  (table) => [
    uniqueIndex('sessions_nas_acct_unique').on(table.nasId, table.acctSessionId),
    index('sessions_status').on(table.status),
    index('sessions_subject').on(table.subjectKind, table.subjectId),
  ],
);

export const accountingLog = sqliteTable(
  'accounting_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    receivedAt: integer('received_at').notNull(),
    nasId: text('nas_id').notNull(),
    statusType: integer('status_type').notNull(),
    acctSessionId: text('acct_session_id'),
    username: text('username'),
    inputOctets: integer('input_octets'),
    outputOctets: integer('output_octets'),
    /** Acct-Session-Time as the NAS sent it; null when it sent none (Accounting-On/Off, some Starts). */
    sessionTimeSeconds: integer('session_time_seconds'),
    terminateCause: integer('terminate_cause'),
  },
  (table) => [
    index('accounting_session').on(table.nasId, table.acctSessionId),
    // One row per event however often it arrives (issue 11: a NAS retransmits to another node): the
    // session, the record type and the event's time on the NAS's own clock (Acct-Session-Time), which
    // every retransmission repeats. A null session time never conflicts, so such records are all kept.
    uniqueIndex('accounting_log_event_once').on(
      table.nasId,
      table.acctSessionId,
      table.statusType,
      table.sessionTimeSeconds,
    ),
  ],
);

export * from './tenant-billing';
// Money tables live in their own file; they belong to the same shard.
export * from './tenant-money';
