// The support_* rows of the platform DB: conversations between an ISP and platform support, their
// messages, attachments, read markers, the change stream the live feed reads, and canned replies.
import type { SqlDatabase, SqlValue } from '@kiunga/schemas';

export type SupportSide = 'isp' | 'platform';
export type ConversationStatus = 'open' | 'closed';
export type SupportEventKind = 'message' | 'assigned' | 'closed' | 'reopened' | 'opened';

export interface ConversationRow {
  id: string;
  tenantId: string;
  tenantName: string | null;
  subject: string;
  status: ConversationStatus;
  assignedTo: string | null;
  assignedToEmail: string | null;
  createdBy: string;
  createdAt: number;
  lastMessageAt: number;
  closedAt: number | null;
  /** The reading side's unread messages (the other side's, after its read marker). */
  unreadCount: number;
}

export interface MessageRow {
  id: number;
  conversationId: string;
  authorSide: SupportSide;
  authorId: string;
  authorEmail: string | null;
  body: string;
  createdAt: number;
}

export interface AttachmentMeta {
  id: string;
  messageId: number;
  fileName: string;
  mimeType: string;
  byteSize: number;
}

export interface AttachmentRow extends AttachmentMeta {
  bytes: Uint8Array;
}

export interface SupportEventRow {
  id: number;
  conversationId: string;
  tenantId: string;
  kind: SupportEventKind;
}

export interface CannedReplyRow {
  id: string;
  title: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

/** The reading side's marker column, and the side whose messages it has not read. */
function readColumnOf(side: SupportSide): string {
  return side === 'isp' ? 'isp_read_message_id' : 'platform_read_message_id';
}

function otherSide(side: SupportSide): SupportSide {
  return side === 'isp' ? 'platform' : 'isp';
}

function conversationColumns(reader: SupportSide): string {
  return `c.id, c.tenant_id AS "tenantId", t.name AS "tenantName", c.subject, c.status,
    c.assigned_to AS "assignedTo", u.email AS "assignedToEmail", c.created_by AS "createdBy",
    c.created_at AS "createdAt", c.last_message_at AS "lastMessageAt", c.closed_at AS "closedAt",
    (SELECT COUNT(*) FROM support_messages m WHERE m.conversation_id = c.id
      AND m.author_side = '${otherSide(reader)}' AND m.id > c.${readColumnOf(reader)}) AS "unreadCount"`;
}

const CONVERSATION_FROM = `support_conversations c LEFT JOIN tenants t ON t.id = c.tenant_id
  LEFT JOIN users u ON u.id = c.assigned_to`;

type Stored<Row> = { [Key in keyof Row]: Row[Key] extends number ? number | string : Row[Key] };

function conversationOf(stored: Stored<ConversationRow>): ConversationRow {
  return {
    ...stored,
    createdAt: Number(stored.createdAt),
    lastMessageAt: Number(stored.lastMessageAt),
    closedAt: stored.closedAt === null ? null : Number(stored.closedAt),
    unreadCount: Number(stored.unreadCount),
  };
}

export async function insertConversation(
  platform: SqlDatabase,
  row: { id: string; tenantId: string; subject: string; createdBy: string; atMs: number },
): Promise<void> {
  await platform.run(
    `INSERT INTO support_conversations (id, tenant_id, subject, status, created_by, created_at, last_message_at)
     VALUES (?, ?, ?, 'open', ?, ?, ?)`,
    [row.id, row.tenantId, row.subject, row.createdBy, row.atMs, row.atMs],
  );
}

/** Adds a message; the author's side has read its own message (its marker moves to it). */
export async function insertMessage(platform: SqlDatabase, message: Omit<MessageRow, 'id'>): Promise<number> {
  const inserted = await platform.get<{ id: number | string }>(
    `INSERT INTO support_messages (conversation_id, author_side, author_id, author_email, body, created_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      message.conversationId,
      message.authorSide,
      message.authorId,
      message.authorEmail,
      message.body,
      message.createdAt,
    ],
  );
  const id = Number(inserted?.id);
  await platform.run(
    `UPDATE support_conversations SET last_message_at = ?, ${readColumnOf(message.authorSide)} = ? WHERE id = ?`,
    [message.createdAt, id, message.conversationId],
  );
  return id;
}

export async function insertAttachment(
  platform: SqlDatabase,
  attachment: AttachmentRow & { conversationId: string; createdAt: number },
): Promise<void> {
  await platform.run(
    `INSERT INTO support_attachments (id, message_id, conversation_id, file_name, mime_type, byte_size, bytes, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      attachment.id,
      attachment.messageId,
      attachment.conversationId,
      attachment.fileName,
      attachment.mimeType,
      attachment.byteSize,
      attachment.bytes,
      attachment.createdAt,
    ],
  );
}

export async function insertEvent(
  platform: SqlDatabase,
  event: Omit<SupportEventRow, 'id'> & { atMs: number },
): Promise<void> {
  await platform.run(
    'INSERT INTO support_events (conversation_id, tenant_id, kind, at) VALUES (?, ?, ?, ?)',
    [event.conversationId, event.tenantId, event.kind, event.atMs],
  );
}

/** A conversation as `reader` sees it; `tenantId` set: only if it is that ISP's (else undefined). */
export async function findConversation(
  platform: SqlDatabase,
  id: string,
  reader: SupportSide,
  tenantId: string | null,
): Promise<ConversationRow | undefined> {
  const params: SqlValue[] = [id];
  if (tenantId !== null) params.push(tenantId);
  const stored = await platform.get<Stored<ConversationRow>>(
    `SELECT ${conversationColumns(reader)} FROM ${CONVERSATION_FROM}
      WHERE c.id = ?${tenantId === null ? '' : ' AND c.tenant_id = ?'}`,
    params,
  );
  return stored ? conversationOf(stored) : undefined;
}

export interface ConversationFilter {
  /** The ISP's own (ISP side); null: every ISP's (platform side). */
  tenantId: string | null;
  status?: ConversationStatus;
  /** A platform user's id: assigned to them; null: unassigned; undefined: either. */
  assignedTo?: string | null;
}

/** Newest activity first; `after` is the last row of the previous page (its time and id). */
export async function listConversations(
  platform: SqlDatabase,
  reader: SupportSide,
  filter: ConversationFilter,
  after: { atMs: number; id: string } | null,
  rowsMax: number,
): Promise<ConversationRow[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.tenantId !== null) {
    conditions.push('c.tenant_id = ?');
    params.push(filter.tenantId);
  }
  if (filter.status) {
    conditions.push('c.status = ?');
    params.push(filter.status);
  }
  if (filter.assignedTo === null) conditions.push('c.assigned_to IS NULL');
  else if (filter.assignedTo !== undefined) {
    conditions.push('c.assigned_to = ?');
    params.push(filter.assignedTo);
  }
  if (after) {
    conditions.push('(c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))');
    params.push(after.atMs, after.atMs, after.id);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await platform.all<Stored<ConversationRow>>(
    `SELECT ${conversationColumns(reader)} FROM ${CONVERSATION_FROM} ${where}
      ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
    [...params, rowsMax],
  );
  return rows.map(conversationOf);
}

/** The newest `messagesMax` messages of a conversation, oldest first. */
export async function listMessages(
  platform: SqlDatabase,
  conversationId: string,
  messagesMax: number,
): Promise<MessageRow[]> {
  const rows = await platform.all<Stored<MessageRow>>(
    `SELECT id, conversation_id AS "conversationId", author_side AS "authorSide", author_id AS "authorId",
       author_email AS "authorEmail", body, created_at AS "createdAt"
       FROM support_messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`,
    [conversationId, messagesMax],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), createdAt: Number(row.createdAt) })).reverse();
}

export async function listAttachmentMetas(
  platform: SqlDatabase,
  conversationId: string,
): Promise<AttachmentMeta[]> {
  const rows = await platform.all<Stored<AttachmentMeta>>(
    `SELECT id, message_id AS "messageId", file_name AS "fileName", mime_type AS "mimeType",
       byte_size AS "byteSize" FROM support_attachments WHERE conversation_id = ? ORDER BY message_id, id`,
    [conversationId],
  );
  return rows.map((row) => ({ ...row, messageId: Number(row.messageId), byteSize: Number(row.byteSize) }));
}

export async function findAttachment(
  platform: SqlDatabase,
  conversationId: string,
  attachmentId: string,
): Promise<AttachmentRow | undefined> {
  const row = await platform.get<Stored<AttachmentMeta> & { bytes: Uint8Array }>(
    `SELECT id, message_id AS "messageId", file_name AS "fileName", mime_type AS "mimeType",
       byte_size AS "byteSize", bytes FROM support_attachments WHERE conversation_id = ? AND id = ?`,
    [conversationId, attachmentId],
  );
  return row
    ? { ...row, messageId: Number(row.messageId), byteSize: Number(row.byteSize), bytes: row.bytes }
    : undefined;
}

/** `side` has read up to `messageId` (markers only move forward). */
export async function markRead(
  platform: SqlDatabase,
  conversationId: string,
  side: SupportSide,
  messageId: number,
): Promise<void> {
  const column = readColumnOf(side);
  await platform.run(`UPDATE support_conversations SET ${column} = ? WHERE id = ? AND ${column} < ?`, [
    messageId,
    conversationId,
    messageId,
  ]);
}

export async function setAssignee(
  platform: SqlDatabase,
  conversationId: string,
  assignedTo: string | null,
): Promise<void> {
  await platform.run('UPDATE support_conversations SET assigned_to = ? WHERE id = ?', [
    assignedTo,
    conversationId,
  ]);
}

export async function setStatus(
  platform: SqlDatabase,
  conversationId: string,
  status: ConversationStatus,
  closedAtMs: number | null,
): Promise<void> {
  await platform.run('UPDATE support_conversations SET status = ?, closed_at = ? WHERE id = ?', [
    status,
    closedAtMs,
    conversationId,
  ]);
}

/** Changes after `afterId`, oldest first: what the live feeds push. */
export async function listEventsAfter(
  platform: SqlDatabase,
  afterId: number,
  rowsMax: number,
): Promise<SupportEventRow[]> {
  const rows = await platform.all<Stored<SupportEventRow>>(
    `SELECT id, conversation_id AS "conversationId", tenant_id AS "tenantId", kind
       FROM support_events WHERE id > ? ORDER BY id LIMIT ?`,
    [afterId, rowsMax],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The newest change's number (0: none yet): where a starting feed begins. */
export async function lastEventId(platform: SqlDatabase): Promise<number> {
  const row = await platform.get<{ id: number | string | null }>('SELECT MAX(id) AS id FROM support_events');
  return Number(row?.id ?? 0);
}

const CANNED_COLUMNS = `id, title, body, created_at AS "createdAt", updated_at AS "updatedAt"`;

function cannedOf(row: Stored<CannedReplyRow>): CannedReplyRow {
  return { ...row, createdAt: Number(row.createdAt), updatedAt: Number(row.updatedAt) };
}

export async function listCannedReplies(platform: SqlDatabase, rowsMax: number): Promise<CannedReplyRow[]> {
  const rows = await platform.all<Stored<CannedReplyRow>>(
    `SELECT ${CANNED_COLUMNS} FROM support_canned_replies ORDER BY title, id LIMIT ?`,
    [rowsMax],
  );
  return rows.map(cannedOf);
}

export async function findCannedReply(
  platform: SqlDatabase,
  id: string,
): Promise<CannedReplyRow | undefined> {
  const row = await platform.get<Stored<CannedReplyRow>>(
    `SELECT ${CANNED_COLUMNS} FROM support_canned_replies WHERE id = ?`,
    [id],
  );
  return row ? cannedOf(row) : undefined;
}

export async function insertCannedReply(
  platform: SqlDatabase,
  row: CannedReplyRow & { createdBy: string },
): Promise<void> {
  await platform.run(
    `INSERT INTO support_canned_replies (id, title, body, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [row.id, row.title, row.body, row.createdBy, row.createdAt, row.updatedAt],
  );
}

export async function updateCannedReply(
  platform: SqlDatabase,
  id: string,
  change: { title: string; body: string; updatedAt: number },
): Promise<boolean> {
  const result = await platform.run(
    'UPDATE support_canned_replies SET title = ?, body = ?, updated_at = ? WHERE id = ?',
    [change.title, change.body, change.updatedAt, id],
  );
  return result.changes > 0;
}

export async function deleteCannedReply(platform: SqlDatabase, id: string): Promise<boolean> {
  const result = await platform.run('DELETE FROM support_canned_replies WHERE id = ?', [id]);
  return result.changes > 0;
}

export interface PlatformAccountRow {
  id: string;
  email: string;
  kind: string;
  rolePermissions: string | null;
}

/** Active platform accounts (no ISP) with their role's permissions: who may be given a conversation. */
export async function listPlatformAccounts(platform: SqlDatabase): Promise<PlatformAccountRow[]> {
  return platform.all<PlatformAccountRow>(
    `SELECT u.id, u.email, u.kind, r.permissions AS "rolePermissions"
       FROM users u LEFT JOIN roles r ON r.id = u.role_id AND r.tenant_id IS NULL
      WHERE u.tenant_id IS NULL AND u.status = 'active' ORDER BY u.email`,
  );
}

/** Forgets changes older than `beforeMs`: the feeds read only the newest (ids keep counting on). */
export async function deleteEventsBefore(platform: SqlDatabase, beforeMs: number): Promise<number> {
  return (await platform.run('DELETE FROM support_events WHERE at < ?', [beforeMs])).changes;
}
