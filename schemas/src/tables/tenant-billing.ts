// Subscriber billing tables of one ISP's shard: invoices, per-subscriber billing terms, plan-change
// lines waiting for the next invoice, dunning actions carried out, the notification outbox, counters.
// ISP-wide billing settings live in tenant_settings under `billing.settings` (one JSON value).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One invoice per (subscriber, cycle); its money lives in ledger_entries, `status` is a cache of it. */
export const invoices = sqliteTable(
  'invoices',
  {
    /** inv_<subscriber>_<yyyymmdd>: derived from (subscriber, cycle), so a retried run collides. */
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    subscriberId: text('subscriber_id').notNull(),
    accountNumber: text('account_number').notNull(),
    cycleKey: text('cycle_key').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    periodStart: integer('period_start').notNull(),
    periodEnd: integer('period_end').notNull(),
    issuedAt: integer('issued_at').notNull(),
    dueAt: integer('due_at').notNull(),
    totalCents: integer('total_cents').notNull(),
    /** open | partially_paid | paid | void — re-derived from the ledger after every money change. */
    status: text('status').notNull(),
    /** The invoice lines as JSON (InvoiceLine[]): immutable once issued. */
    lines: text('lines').notNull(),
  },
  (table) => [
    uniqueIndex('invoices_number_unique').on(table.number),
    uniqueIndex('invoices_idempotency_unique').on(table.idempotencyKey),
    index('invoices_subscriber').on(table.subscriberId, table.periodEnd),
    index('invoices_status').on(table.status, table.dueAt),
    index('invoices_issued').on(table.issuedAt, table.id),
  ],
);

/** Billing terms of one subscriber; a subscriber without a row uses the ISP's rule and signs up at creation. */
export const billingSubscribers = sqliteTable('billing_subscribers', {
  subscriberId: text('subscriber_id').primaryKey(),
  /** When service started (first cycle prorated from this day); null = subscribers.created_at. */
  serviceStartAt: integer('service_start_at'),
  /** Cycle override: both null = the ISP's rule. */
  cycleLengthMonths: integer('cycle_length_months'),
  /** '1'..'28' or 'signup_day'. */
  cycleAnchorDay: text('cycle_anchor_day'),
  /** Key of the dunning action that suspended the account; null when not suspended by billing. */
  suspendedByKey: text('suspended_by_key'),
  /** A PPPoE trial (issue 13): no invoice before this instant; then billed or expired per the ISP's setting. */
  trialEndsAt: integer('trial_ends_at'),
  updatedAt: integer('updated_at').notNull(),
});

/** Plan-change proration and adjustments waiting for the subscriber's next invoice. */
export const billingPendingLines = sqliteTable(
  'billing_pending_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subscriberId: text('subscriber_id').notNull(),
    /** InvoiceLine as JSON. */
    line: text('line').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set when an invoice carried the line. */
    invoiceId: text('invoice_id'),
  },
  (table) => [index('pending_lines_subscriber').on(table.subscriberId, table.invoiceId)],
);

/** Dunning actions carried out, by their stable key: a second run (or a second node) finds them done. */
export const dunningActions = sqliteTable(
  'dunning_actions',
  {
    key: text('key').primaryKey(),
    subscriberId: text('subscriber_id').notNull(),
    /** remind | suspend | reactivate */
    action: text('action').notNull(),
    invoiceId: text('invoice_id'),
    doneAt: integer('done_at').notNull(),
  },
  (table) => [index('dunning_subscriber').on(table.subscriberId)],
);

/**
 * Outbox of messages to subscribers, one row per dedupe key; the notifications job sends them by SMS
 * (claiming a row as 'sending' first, so two runs or nodes never send one twice).
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupeKey: text('dedupe_key').notNull(),
    /** sms */
    channel: text('channel').notNull(),
    /** payment_reminder | suspension | reactivation */
    kind: text('kind').notNull(),
    subscriberId: text('subscriber_id').notNull(),
    recipient: text('recipient'),
    body: text('body').notNull(),
    /** pending | sending | sent | failed */
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** Send attempts so far (a claim counts as one). */
    attempts: integer('attempts').notNull().default(0),
    /** A pending row is not tried before this (backoff after a transient failure); null: at once. */
    nextAttemptAt: integer('next_attempt_at'),
    /** While 'sending': the claim's lease; past it, the claimer is taken to have died. */
    claimedUntil: integer('claimed_until'),
    /** Why the last attempt failed, in words an ISP can act on. */
    lastError: text('last_error'),
    /** The gateway's id of the sent message (Africa's Talking messageId). */
    providerMessageId: text('provider_message_id'),
  },
  (table) => [
    uniqueIndex('notifications_dedupe_unique').on(table.dedupeKey),
    index('notifications_status').on(table.status, table.createdAt),
  ],
);

/** Named counters: `invoice_sequence` holds the next free invoice number of the ISP. */
export const billingCounters = sqliteTable('billing_counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
