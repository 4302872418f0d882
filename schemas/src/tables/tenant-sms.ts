// SMS to clients (issue 13, Tier 2) in one ISP's shard: message templates, campaigns with their sending
// run, each campaign message and its state, delivery reports as the gateway posted them, numbers that
// sent STOP, and the ISP's own tags on subscribers (a campaign segment filter).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const smsTemplates = sqliteTable('sms_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The template source with {{variables}}, parsed when saved. */
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const smsCampaigns = sqliteTable(
  'sms_campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The template source the messages were rendered from. */
    template: text('template').notNull(),
    /** The segment as JSON (features/sms-campaigns/core/segments.ts). */
    segment: text('segment').notNull(),
    /** draft | sending | paused | completed | cancelled (core/campaign-run.ts). */
    status: text('status').notNull(),
    ratePerSecond: integer('rate_per_second').notNull(),
    nextBatchAt: integer('next_batch_at').notNull().default(0),
    consecutiveGatewayFailures: integer('consecutive_gateway_failures').notNull().default(0),
    /** by_isp | gateway_credentials | gateway_balance | gateway_unavailable; null unless paused. */
    pauseReason: text('pause_reason'),
    /** What one SMS part cost when the campaign was made (the preview's figure). */
    partPriceCents: integer('part_price_cents').notNull(),
    recipientCount: integer('recipient_count').notNull(),
    skippedCount: integer('skipped_count').notNull(),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('sms_campaigns_status').on(table.status, table.createdAt)],
);

export const smsCampaignMessages = sqliteTable(
  'sms_campaign_messages',
  {
    /** `<campaign id>.<position, zero-padded>`: ids sort in the queue's order. */
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => smsCampaigns.id),
    /** The subscriber the message was rendered for. */
    recipientId: text('recipient_id').notNull(),
    /** `+2547XXXXXXXX` */
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    parts: integer('parts').notNull(),
    /** queued | sending | sent | delivered | undelivered | failed | unknown | cancelled (core/messages.ts). */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    claimedAt: integer('claimed_at'),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    index('sms_campaign_messages_queue').on(table.campaignId, table.status, table.nextAttemptAt),
    uniqueIndex('sms_campaign_messages_provider_unique').on(table.providerMessageId),
  ],
);

/** Every delivery report as posted, applied when its message is (or later becomes) sent. */
export const smsDeliveryReports = sqliteTable(
  'sms_delivery_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The report's id (the send answer's messageId); null when the body was unreadable. */
    providerMessageId: text('provider_message_id'),
    /** Sent | Submitted | Buffered | Rejected | Success | Failed; null when unreadable. */
    status: text('status'),
    failureReason: text('failure_reason'),
    body: text('body').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (table) => [index('sms_delivery_reports_provider').on(table.providerMessageId)],
);

/** Numbers (normalised, `2547…`) that asked for no more campaign or reminder messages. */
export const smsOptOuts = sqliteTable('sms_opt_outs', {
  phone: text('phone').primaryKey(),
  /** keyword (an inbound STOP) | gateway (Africa's Talking's bulk opt-out notification) | isp */
  source: text('source').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const subscriberTags = sqliteTable(
  'subscriber_tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subscriberId: text('subscriber_id').notNull(),
    tag: text('tag').notNull(),
  },
  (table) => [
    uniqueIndex('subscriber_tags_unique').on(table.subscriberId, table.tag),
    index('subscriber_tags_tag').on(table.tag),
  ],
);
