// Tables of data/platform.db for support chat between ISPs and the platform (issue 14): conversations,
// their messages and attachments, the change stream the live feed polls, and the canned replies.
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One conversation an ISP's staff opened with platform support. */
export const supportConversations = sqliteTable(
  'support_conversations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    subject: text('subject').notNull(),
    /** open | closed */
    status: text('status').notNull().default('open'),
    /** The platform user answering it; null while unassigned. */
    assignedTo: text('assigned_to'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    lastMessageAt: integer('last_message_at').notNull(),
    closedAt: integer('closed_at'),
    /** Read markers: the last message id each side has seen (unread = the other side's messages after it). */
    ispReadMessageId: integer('isp_read_message_id').notNull().default(0),
    platformReadMessageId: integer('platform_read_message_id').notNull().default(0),
  },
  (table) => [
    index('support_conversations_tenant').on(table.tenantId, table.lastMessageAt),
    index('support_conversations_status').on(table.status, table.lastMessageAt),
    index('support_conversations_assigned').on(table.assignedTo, table.lastMessageAt),
  ],
);

/** A message in a conversation; its numbered id orders the thread and backs the read markers. */
export const supportMessages = sqliteTable(
  'support_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    /** isp | platform */
    authorSide: text('author_side').notNull(),
    authorId: text('author_id').notNull(),
    authorEmail: text('author_email'),
    body: text('body').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('support_messages_conversation').on(table.conversationId, table.id)],
);

/** A file attached to a message: its bytes kept here, its type the one its bytes show (kernel/attachments.ts). */
export const supportAttachments = sqliteTable(
  'support_attachments',
  {
    id: text('id').primaryKey(),
    messageId: integer('message_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('support_attachments_conversation').on(table.conversationId, table.messageId)],
);

/**
 * What changed in which conversation (message, assigned, closed, reopened), numbered: every API node's
 * live feed reads the rows after the last it saw, so a change written on one node is pushed by all.
 */
export const supportEvents = sqliteTable('support_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: text('conversation_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  kind: text('kind').notNull(),
  at: integer('at').notNull(),
});

/** Answers platform support reuses (shared by the support team). */
export const supportCannedReplies = sqliteTable('support_canned_replies', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
