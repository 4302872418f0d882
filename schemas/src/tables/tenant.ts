// Tables of one ISP's shard (data/tenants/<tenant-id>.db); no row refers to another tenant.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
  /** Fair use (issue 12): past this many bytes in a cycle, sessions run at the fup rates. */
  fupThresholdBytes: integer('fup_threshold_bytes'),
  fupRateUpKbps: integer('fup_rate_up_kbps'),
  fupRateDownKbps: integer('fup_rate_down_kbps'),
  /** Usage rating: bytes per cycle included in the price; beyond them each GB costs pricePerGigabyteCents. */
  includedBytes: integer('included_bytes'),
  pricePerGigabyteCents: integer('price_per_gigabyte_cents'),
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
    /** The serial number of the subscriber's CPE (TR-069, issue 14): binds it in GenieACS. */
    cpeSerialNumber: text('cpe_serial_number'),
    /** 'en' | 'sw': the language the subscriber last chose on the customer portal (their SMS; issue 14). */
    language: text('language'),
    /** Where invoices and "forgot password" links go (issue 14); optional, not unique (a family shares one). */
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('subscribers_username_unique').on(table.username),
    uniqueIndex('subscribers_account_unique').on(table.accountNumber),
    index('subscribers_status').on(table.status),
    index('subscribers_email').on(table.email),
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
    // No index of its own on (nas_id, acct_session_id): this unique index starts with those columns and
    // serves such lookups, while a second index cost every accounting record one more B-tree insert
    // (issue 8 item 15). One row per event however often it arrives (issue 11: a NAS retransmits to
    // another node): the session, the record type and the event's time on the NAS's own clock
    // (Acct-Session-Time), which every retransmission repeats. A null session time never conflicts, so such records are all kept.
    uniqueIndex('accounting_log_event_once').on(
      table.nasId,
      table.acctSessionId,
      table.statusType,
      table.sessionTimeSeconds,
    ),
  ],
);

export * from './tenant-accounting';
export * from './tenant-billing';
// Client ↔ ISP chat (issue 14).
export * from './tenant-chat';
// Email to subscribers (issue 14).
export * from './tenant-email';
// Guest passes and referrals (issue 13).
export * from './tenant-growth';
// Webhooks (issue 14) in their own file; same shard.
export * from './tenant-integrations';
// Money tables live in their own file; they belong to the same shard.
export * from './tenant-money';
export * from './tenant-monitoring';
// Report totals (issue 12 "Measure") live in their own file too.
export * from './tenant-reports';
export * from './tenant-resellers';
// SMS campaigns (issue 13) too.
export * from './tenant-sms';
// What the billing run rated per subscriber and period (issue 12), for usage metered after the run.
export * from './tenant-usage-rating';

/**
 * Access-Request decisions for "why is this client offline?" (issue 12): written in batches off the
 * AAA hot path, at most the last 50 per login name and 30 days (trimmed by the writer and a job).
 */
export const accessDecisions = sqliteTable(
  'access_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    decidedAt: integer('decided_at').notNull(),
    /** The login name as sent (voucher code or subscriber username, without a DOMAIN\ prefix). */
    username: text('username').notNull(),
    nasId: text('nas_id').notNull(),
    /** Calling-Station-Id normalised (aa:bb:cc:dd:ee:ff), '' when the NAS sent none. */
    macAddress: text('mac_address').notNull().default(''),
    /** accept | reject */
    result: text('result').notNull(),
    /** The catalogue's reject code; null for an accept. */
    reasonCode: text('reason_code'),
    /**
     * How many equal decisions this row stands for: the AAA server coalesces a repeat of the subject's
     * latest decision (same NAS, MAC, result and reason, within 10 minutes of its first) into it.
     */
    repeatCount: integer('repeat_count').notNull().default(1),
    /** When the last of those decisions was taken (decided_at is the first); retention goes by it. */
    lastAt: integer('last_at').notNull().default(0),
  },
  (table) => [
    index('access_decisions_username').on(table.username, table.decidedAt),
    index('access_decisions_mac').on(table.macAddress),
    index('access_decisions_last').on(table.lastAt),
  ],
);

/** Usage per subscriber/voucher, plan and NAS, per hour and per local day (features/usage/core). */
export const usageRollups = sqliteTable(
  'usage_rollups',
  {
    /** hour | day */
    granularity: text('granularity').notNull(),
    /** subscriber | voucher | plan | nas */
    dimension: text('dimension').notNull(),
    dimensionId: text('dimension_id').notNull(),
    /** Epoch ms: the hour, or the local (Nairobi) midnight. */
    bucketStart: integer('bucket_start').notNull(),
    inputOctets: integer('input_octets').notNull(),
    outputOctets: integer('output_octets').notNull(),
    sessionSeconds: integer('session_seconds').notNull(),
  },
  (table) => [
    primaryKey({
      name: 'usage_rollups_pkey',
      columns: [table.dimension, table.dimensionId, table.granularity, table.bucketStart],
    }),
  ],
);

/** The meter's state per session key (NAS + Acct-Session-Id), JSON of SessionMeterState. */
export const usageMeterSessions = sqliteTable(
  'usage_meter_sessions',
  {
    sessionKey: text('session_key').primaryKey(),
    state: text('state').notNull(),
    lastEventAt: integer('last_event_at').notNull(),
  },
  (table) => [index('usage_meter_sessions_last_event').on(table.lastEventAt)],
);

/**
 * Where metering stands in accounting_log (the last id metered) and the fair-use state last
 * applied per subject; one row per name, moved in the same transaction as the rollups.
 */
export const usageMeterCursor = sqliteTable('usage_meter_cursor', {
  name: text('name').primaryKey(),
  lastLogId: integer('last_log_id').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The fair-use state last applied to a subject's sessions and read by the AAA policy at login. */
export const fairUseStates = sqliteTable('fair_use_states', {
  /** subscriber | voucher */
  subjectKind: text('subject_kind').notNull(),
  subjectId: text('subject_id').primaryKey(),
  /** normal | throttled | capped */
  state: text('state').notNull(),
  /** The Mikrotik-Rate-Limit to reply with while throttled; null otherwise. */
  rateLimit: text('rate_limit'),
  /** Start of the cycle the state belongs to (epoch ms): a new cycle starts normal. */
  cycleStart: integer('cycle_start').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
