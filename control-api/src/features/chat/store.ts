// The SQL of client ↔ ISP chat in one ISP's shard: conversations (one per client), their messages
// and attachments, unread counts on both sides, the client's presence and the phone codes.
import { newId, type SqlDatabase } from '@kiunga/schemas';

export type ClientKind = 'subscriber' | 'voucher' | 'phone';
export type AuthorKind = 'client' | 'staff';
export type ConversationStatus = 'open' | 'closed';

/** Who a conversation belongs to, as the client proved it (never taken from request input). */
export interface ChatClient {
  kind: ClientKind;
  /** The subscriber id, the voucher id, or the phone. */
  key: string;
  label: string;
  phone: string | null;
}

export interface ConversationRow {
  id: string;
  clientKind: ClientKind;
  clientKey: string;
  clientLabel: string;
  phone: string | null;
  language: string;
  status: ConversationStatus;
  assignedTo: string | null;
  lastMessageAt: number;
  createdAt: number;
  /** Client messages the ISP's staff have not seen. */
  unreadByStaff: number;
  /** Staff messages the client has not seen. */
  unreadByClient: number;
}

export interface AttachmentMeta {
  id: string;
  fileName: string;
  mimeType: string;
  byteCount: number;
}

export interface MessageRow {
  id: number;
  conversationId: string;
  authorKind: AuthorKind;
  authorId: string | null;
  body: string;
  createdAt: number;
  attachment: AttachmentMeta | null;
}

const CONVERSATION_COLUMNS = `c.id, c.client_kind AS "clientKind", c.client_key AS "clientKey",
  c.client_label AS "clientLabel", c.phone, c.language, c.status, c.assigned_to AS "assignedTo",
  c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt",
  (SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id AND m.author_kind = 'client'
      AND m.id > c.staff_read_message_id) AS "unreadByStaff",
  (SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id AND m.author_kind = 'staff'
      AND m.id > c.client_read_message_id) AS "unreadByClient"`;

const MESSAGE_COLUMNS = `m.id, m.conversation_id AS "conversationId", m.author_kind AS "authorKind",
  m.author_id AS "authorId", m.body, m.created_at AS "createdAt", a.id AS "attachmentId",
  a.file_name AS "fileName", a.mime_type AS "mimeType", a.byte_count AS "byteCount"`;

interface MessageJoinRow extends Omit<MessageRow, 'attachment'> {
  attachmentId: string | null;
  fileName: string | null;
  mimeType: string | null;
  byteCount: number | null;
}

function messageOf(row: MessageJoinRow): MessageRow {
  const { attachmentId, fileName, mimeType, byteCount, ...message } = row;
  return {
    ...message,
    id: Number(message.id),
    attachment:
      attachmentId === null
        ? null
        : {
            id: attachmentId,
            fileName: fileName ?? '',
            mimeType: mimeType ?? '',
            byteCount: Number(byteCount),
          },
  };
}

function conversationOf(row: ConversationRow): ConversationRow {
  return { ...row, unreadByStaff: Number(row.unreadByStaff), unreadByClient: Number(row.unreadByClient) };
}

export async function findConversation(database: SqlDatabase, id: string): Promise<ConversationRow | null> {
  const row = await database.get<ConversationRow>(
    `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations c WHERE c.id = ?`,
    [id],
  );
  return row ? conversationOf(row) : null;
}

export async function findClientConversation(
  database: SqlDatabase,
  client: Pick<ChatClient, 'kind' | 'key'>,
): Promise<ConversationRow | null> {
  const row = await database.get<ConversationRow>(
    `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations c WHERE c.client_kind = ? AND c.client_key = ?`,
    [client.kind, client.key],
  );
  return row ? conversationOf(row) : null;
}

/** The client's conversation, made on first use (one per client; a closed one is reopened by writing). */
export async function ensureClientConversation(
  database: SqlDatabase,
  client: ChatClient,
  language: string,
  nowMs: number,
): Promise<string> {
  await database.run(
    `INSERT INTO chat_conversations (id, client_kind, client_key, client_label, phone, language, status,
       last_message_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
     ON CONFLICT (client_kind, client_key) DO NOTHING`,
    [newId('chatConversation'), client.kind, client.key, client.label, client.phone, language, nowMs, nowMs],
  );
  const id = await database.get<{ id: string }>(
    'SELECT id FROM chat_conversations WHERE client_kind = ? AND client_key = ?',
    [client.kind, client.key],
  );
  if (!id) throw new Error('chat conversation vanished after insert');
  return id.id;
}

export interface ConversationFilter {
  status: ConversationStatus | null;
  /** Only conversations assigned to this staff id. */
  assignedTo: string | null;
  before: { atMs: number; id: string } | null;
  limit: number;
}

/** Newest activity first, `limit + 1` rows (the caller pages). */
export async function listConversations(
  database: SqlDatabase,
  filter: ConversationFilter,
): Promise<ConversationRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status !== null) {
    where.push('c.status = ?');
    params.push(filter.status);
  }
  if (filter.assignedTo !== null) {
    where.push('c.assigned_to = ?');
    params.push(filter.assignedTo);
  }
  if (filter.before !== null) {
    where.push('(c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))');
    params.push(filter.before.atMs, filter.before.atMs, filter.before.id);
  }
  const rows = await database.all<ConversationRow>(
    `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations c
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
    [...params, filter.limit + 1],
  );
  return rows.map(conversationOf);
}

/** Conversations with client messages the staff have not seen (the console's badge). */
export async function unreadConversationCount(database: SqlDatabase): Promise<number> {
  const row = await database.get<{ count: number }>(
    `SELECT COUNT(*) AS count FROM chat_conversations c WHERE EXISTS (SELECT 1 FROM chat_messages m
       WHERE m.conversation_id = c.id AND m.author_kind = 'client' AND m.id > c.staff_read_message_id)`,
  );
  return Number(row?.count ?? 0);
}

/** The last `limit` messages of a conversation, oldest first. */
export async function conversationMessages(
  database: SqlDatabase,
  conversationId: string,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await database.all<MessageJoinRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m LEFT JOIN chat_attachments a ON a.message_id = m.id
      WHERE m.conversation_id = ? ORDER BY m.id DESC LIMIT ?`,
    [conversationId, limit],
  );
  return rows.map(messageOf).reverse();
}

/** Messages written after `afterId` (the live feed's cursor), oldest first, at most `limit`. */
export async function messagesAfter(
  database: SqlDatabase,
  afterId: number,
  limit: number,
): Promise<MessageRow[]> {
  const rows = await database.all<MessageJoinRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m LEFT JOIN chat_attachments a ON a.message_id = m.id
      WHERE m.id > ? ORDER BY m.id LIMIT ?`,
    [afterId, limit],
  );
  return rows.map(messageOf);
}

export async function lastMessageId(database: SqlDatabase): Promise<number> {
  const row = await database.get<{ id: number | null }>('SELECT MAX(id) AS id FROM chat_messages');
  return Number(row?.id ?? 0);
}

export interface NewMessage {
  conversationId: string;
  authorKind: AuthorKind;
  authorId: string | null;
  body: string;
  attachment: { fileName: string; mimeType: string; bytes: Uint8Array } | null;
}

/**
 * Writes a message (and its attachment) and moves the conversation: the writer has read everything so
 * far, and a client writing reopens a closed conversation. Call inside a transaction.
 */
export async function insertMessage(transaction: SqlDatabase, message: NewMessage, nowMs: number) {
  const inserted = await transaction.get<{ id: number }>(
    `INSERT INTO chat_messages (conversation_id, author_kind, author_id, body, created_at)
     VALUES (?, ?, ?, ?, ?) RETURNING id`,
    [message.conversationId, message.authorKind, message.authorId, message.body, nowMs],
  );
  if (!inserted) throw new Error('chat message insert returned no id');
  const id = Number(inserted.id);
  if (message.attachment !== null) {
    await transaction.run(
      `INSERT INTO chat_attachments (id, message_id, conversation_id, file_name, mime_type, byte_count, bytes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        newId('chatAttachment'),
        id,
        message.conversationId,
        message.attachment.fileName,
        message.attachment.mimeType,
        message.attachment.bytes.byteLength,
        message.attachment.bytes,
        nowMs,
      ],
    );
  }
  const readColumn = message.authorKind === 'client' ? 'client_read_message_id' : 'staff_read_message_id';
  const reopen = message.authorKind === 'client' ? ", status = 'open'" : '';
  await transaction.run(
    `UPDATE chat_conversations SET last_message_at = ?, ${readColumn} = ?${reopen} WHERE id = ?`,
    [nowMs, id, message.conversationId],
  );
  return id;
}

/** Marks everything up to now as seen by one side. */
export async function markRead(
  database: SqlDatabase,
  conversationId: string,
  side: AuthorKind,
): Promise<void> {
  const column = side === 'client' ? 'client_read_message_id' : 'staff_read_message_id';
  await database.run(
    `UPDATE chat_conversations SET ${column} = COALESCE((SELECT MAX(id) FROM chat_messages
       WHERE conversation_id = ?), 0) WHERE id = ?`,
    [conversationId, conversationId],
  );
}

/**
 * Marks the staff side read up to `upToId` (a message the staff's open page showed): never past the
 * conversation's own newest message, never backwards.
 */
export async function markStaffReadUpTo(
  database: SqlDatabase,
  conversationId: string,
  upToId: number,
): Promise<void> {
  await database.run(
    `UPDATE chat_conversations SET staff_read_message_id = COALESCE((SELECT MAX(id) FROM chat_messages
       WHERE conversation_id = ? AND id <= ?), 0)
     WHERE id = ? AND staff_read_message_id < COALESCE((SELECT MAX(id) FROM chat_messages
       WHERE conversation_id = ? AND id <= ?), 0)`,
    [conversationId, upToId, conversationId, conversationId, upToId],
  );
}

export async function setStatus(database: SqlDatabase, id: string, status: ConversationStatus) {
  return (await database.run('UPDATE chat_conversations SET status = ? WHERE id = ?', [status, id])).changes;
}

export async function setAssignee(database: SqlDatabase, id: string, assignedTo: string | null) {
  return (await database.run('UPDATE chat_conversations SET assigned_to = ? WHERE id = ?', [assignedTo, id]))
    .changes;
}

export async function setClientLanguage(database: SqlDatabase, id: string, language: string) {
  await database.run('UPDATE chat_conversations SET language = ? WHERE id = ?', [language, id]);
}

/** The client's sockets count as connected until `untilMs` (0: gone). */
export async function setClientOnlineUntil(database: SqlDatabase, id: string, untilMs: number) {
  await database.run('UPDATE chat_conversations SET client_online_until = ? WHERE id = ?', [untilMs, id]);
}

/**
 * Claims the offline-reply SMS for the staff message `messageId`: true once per waiting batch, i.e.
 * when no SMS was sent since the client last read or wrote, and the client is not connected.
 */
export async function claimReplySms(
  transaction: SqlDatabase,
  conversationId: string,
  messageId: number,
  nowMs: number,
): Promise<boolean> {
  const { changes } = await transaction.run(
    `UPDATE chat_conversations SET reply_sms_message_id = ?
      WHERE id = ? AND phone IS NOT NULL AND client_online_until <= ?
        AND reply_sms_message_id <= client_read_message_id`,
    [messageId, conversationId, nowMs],
  );
  return changes > 0;
}

export async function findAttachment(database: SqlDatabase, conversationId: string, attachmentId: string) {
  const row = await database.get<{ fileName: string; mimeType: string; bytes: Uint8Array }>(
    `SELECT file_name AS "fileName", mime_type AS "mimeType", bytes FROM chat_attachments
      WHERE id = ? AND conversation_id = ?`,
    [attachmentId, conversationId],
  );
  return row ?? null;
}

// One-time SMS codes for a hotspot client's phone.

export async function insertPhoneCode(
  database: SqlDatabase,
  code: { id: string; phone: string; codeHash: string; expiresAt: number },
  nowMs: number,
): Promise<void> {
  await database.run(
    'INSERT INTO chat_phone_codes (id, phone, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)',
    [code.id, code.phone, code.codeHash, code.expiresAt, nowMs],
  );
}

export async function phoneCodesSince(
  database: SqlDatabase,
  phone: string,
  sinceMs: number,
): Promise<number> {
  const row = await database.get<{ count: number }>(
    'SELECT COUNT(*) AS count FROM chat_phone_codes WHERE phone = ? AND created_at >= ?',
    [phone, sinceMs],
  );
  return Number(row?.count ?? 0);
}

export interface PhoneCodeRow {
  id: string;
  codeHash: string;
  expiresAt: number;
  failedAttempts: number;
}

/** The phone's newest code not used yet. */
export async function latestPhoneCode(database: SqlDatabase, phone: string): Promise<PhoneCodeRow | null> {
  const row = await database.get<PhoneCodeRow>(
    `SELECT id, code_hash AS "codeHash", expires_at AS "expiresAt", failed_attempts AS "failedAttempts"
       FROM chat_phone_codes WHERE phone = ? AND used_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
    [phone],
  );
  return row ?? null;
}

export async function countPhoneCodeFailure(database: SqlDatabase, id: string): Promise<void> {
  await database.run('UPDATE chat_phone_codes SET failed_attempts = failed_attempts + 1 WHERE id = ?', [id]);
}

/** Spends a code; false when it was spent meanwhile (two tabs). */
export async function usePhoneCode(database: SqlDatabase, id: string, nowMs: number): Promise<boolean> {
  const { changes } = await database.run(
    'UPDATE chat_phone_codes SET used_at = ? WHERE id = ? AND used_at IS NULL',
    [nowMs, id],
  );
  return changes > 0;
}

export async function queueChatSms(
  transaction: SqlDatabase,
  sms: { dedupeKey: string; kind: string; subjectId: string; recipient: string; body: string },
  nowMs: number,
): Promise<void> {
  await transaction.run(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', ?, ?, ?, ?, 'pending', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [sms.dedupeKey, sms.kind, sms.subjectId, sms.recipient, sms.body, nowMs],
  );
}
