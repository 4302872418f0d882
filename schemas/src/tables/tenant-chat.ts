// Client ↔ ISP chat (issue 14) in one ISP's shard: one conversation per client (a subscriber, a
// voucher holder or a verified phone), its messages and attachments, and the one-time SMS codes a
// hotspot client proves a phone with.
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const chatConversations = sqliteTable(
  'chat_conversations',
  {
    id: text('id').primaryKey(),
    /** subscriber | voucher | phone: how the client proved who they are. */
    clientKind: text('client_kind').notNull(),
    /** The subscriber id, the voucher id, or the phone (+2547XXXXXXXX). */
    clientKey: text('client_key').notNull(),
    /** What the inbox shows: a username, a voucher code's last characters, a phone. */
    clientLabel: text('client_label').notNull(),
    /** Where a waiting reply is announced by SMS (Tier 2); null when the client has none. */
    phone: text('phone'),
    /** en | sw: the language the client last wrote in, for the reply SMS. */
    language: text('language').notNull().default('en'),
    /** open | closed */
    status: text('status').notNull(),
    /** The staff user (or owner) answering; null while unassigned. */
    assignedTo: text('assigned_to'),
    lastMessageAt: integer('last_message_at').notNull(),
    /** The last message the ISP's staff have seen (chat_messages.id); unread = client messages after it. */
    staffReadMessageId: integer('staff_read_message_id').notNull().default(0),
    /** The last message the client has seen; unread = staff messages after it. */
    clientReadMessageId: integer('client_read_message_id').notNull().default(0),
    /** Until when a socket of the client counts as connected (kept fresh by the live feed's pings). */
    clientOnlineUntil: integer('client_online_until').notNull().default(0),
    /** The staff message an offline-reply SMS was last sent for: once per waiting batch. */
    replySmsMessageId: integer('reply_sms_message_id').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('chat_conversations_client').on(table.clientKind, table.clientKey),
    index('chat_conversations_recent').on(table.status, table.lastMessageAt),
  ],
);

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    /** Numbered by the database: the live feed reads "everything after the last id it sent". */
    id: integer('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => chatConversations.id),
    /** client | staff */
    authorKind: text('author_kind').notNull(),
    /** The staff user's id; null for the client. */
    authorId: text('author_id'),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('chat_messages_conversation').on(table.conversationId, table.id)],
);

export const chatAttachments = sqliteTable(
  'chat_attachments',
  {
    id: text('id').primaryKey(),
    messageId: integer('message_id')
      .notNull()
      .references(() => chatMessages.id),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => chatConversations.id),
    fileName: text('file_name').notNull(),
    /** The type the bytes show (kernel/attachments.ts), never the one the browser claimed. */
    mimeType: text('mime_type').notNull(),
    byteCount: integer('byte_count').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('chat_attachments_message').on(table.messageId)],
);

export const chatPhoneCodes = sqliteTable(
  'chat_phone_codes',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    /** SHA-256 of the code with the row id: the code itself is only in the SMS. */
    codeHash: text('code_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Wrong tries against this code; it is spent at the limit. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('chat_phone_codes_phone').on(table.phone, table.createdAt)],
);
