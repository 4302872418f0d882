// Support chat between an ISP's staff and platform support (issue 14): opening conversations, replies
// with attachments, read markers, the platform queue (assign, close, reopen) and canned replies. Every
// change is audited and written with a support_events row, which the live feeds push (live-feed.ts).
import { KiungaError, newId, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { builtInPermissions, type PrincipalKind } from '../../identity/permissions';
import { loadUserPrincipal, parsePermissionList } from '../../identity/principals';
import type { CheckedAttachment } from '../../kernel/attachments';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { decodeTimeCursor, type Page, pageOf, pageQuerySchema, timeCursorKey } from '../../kernel/pagination';
import {
  type AttachmentMeta,
  type AttachmentRow,
  type CannedReplyRow,
  type ConversationFilter,
  type ConversationRow,
  deleteCannedReply,
  findAttachment,
  findCannedReply,
  findConversation,
  insertAttachment,
  insertCannedReply,
  insertConversation,
  insertEvent,
  insertMessage,
  listAttachmentMetas,
  listCannedReplies,
  listConversations,
  listMessages,
  listPlatformAccounts,
  type MessageRow,
  markRead,
  type SupportEventKind,
  type SupportSide,
  setAssignee,
  setStatus,
  updateCannedReply,
} from './store';

export type { SupportSide } from './store';

/** A subject is a line, as in an email. */
export const SUBJECT_CHARS_MAX = 200;
/** A message is a few paragraphs; also keeps a console form well under its 64 KiB body limit. */
export const MESSAGE_CHARS_MAX = 5_000;
/** The form field of a message's attached file (multipart/form-data). */
export const ATTACHMENT_FIELD = 'file';
/** A thread shows its newest messages; older ones stay stored (a conversation this long is rare). */
const THREAD_MESSAGES_MAX = 500;
/** Canned replies: a short name to pick by, and the text put into the reply. */
const CANNED_TITLE_CHARS_MAX = 100;
/** A support team keeps a handful of canned replies; one list holds them all. */
const CANNED_REPLIES_MAX = 200;

export type SupportDependencies = Pick<ApiDependencies, 'databases' | 'clock'>;

/** Who acts: a signed-in user of one side (ISP staff of `tenantId`, or a platform user). */
export interface SupportActor {
  side: SupportSide;
  userId: string;
  email: string | null;
  /** The ISP the actor belongs to (ISP side); null on the platform side, which sees every ISP. */
  tenantId: string | null;
}

export const openConversationSchema = z.object({
  subject: z.string().trim().min(1).max(SUBJECT_CHARS_MAX),
  message: z.string().trim().min(1).max(MESSAGE_CHARS_MAX),
});

export const postMessageSchema = z.object({
  body: z.string().trim().max(MESSAGE_CHARS_MAX).default(''),
  /** Platform side: a canned reply's text, used when `body` is empty. */
  cannedReplyId: z.string().max(60).optional(),
});
export type PostMessageInput = z.infer<typeof postMessageSchema>;

export const conversationListQuerySchema = pageQuerySchema.extend({
  status: z.enum(['open', 'closed']).optional(),
});

export const queueQuerySchema = conversationListQuerySchema.extend({
  view: z.enum(['unassigned', 'mine', 'all']).default('all'),
});

export const assignSchema = z.object({
  /** A platform user holding platform_support.manage; omitted: the caller; null: unassign. */
  userId: z.string().max(60).nullable().optional(),
});

export const cannedReplyInputSchema = z.object({
  title: z.string().trim().min(1).max(CANNED_TITLE_CHARS_MAX),
  body: z.string().trim().min(1).max(MESSAGE_CHARS_MAX),
});

export const attachmentViewSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mimeType: z.string(),
  byteSize: z.number().int(),
  /** Where the file is served (to the two sides only). */
  url: z.string(),
});

export const messageViewSchema = z.object({
  id: z.number().int(),
  side: z.enum(['isp', 'platform']),
  authorEmail: z.string().nullable(),
  body: z.string(),
  createdAt: z.number().int(),
  attachments: z.array(attachmentViewSchema),
});
export type MessageView = z.infer<typeof messageViewSchema>;

export const conversationViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantName: z.string().nullable(),
  subject: z.string(),
  status: z.enum(['open', 'closed']),
  assignedTo: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  createdAt: z.number().int(),
  lastMessageAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  /** Messages from the other side this side has not read yet. */
  unreadCount: z.number().int(),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;

export const conversationDetailSchema = conversationViewSchema.extend({
  messages: z.array(messageViewSchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const conversationPageSchema = z.object({
  items: z.array(conversationViewSchema),
  nextCursor: z.string().nullable(),
});

export const cannedReplyViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type CannedReplyView = z.infer<typeof cannedReplyViewSchema>;

/** Where each side reaches a conversation in the API (attachment links are built from it). */
export function conversationsPathOf(side: SupportSide): string {
  return side === 'isp' ? '/api/v1/support/conversations' : '/api/v1/platform/support/conversations';
}

function conversationViewOf(row: ConversationRow): ConversationView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    subject: row.subject,
    status: row.status,
    assignedTo: row.assignedTo === null ? null : { id: row.assignedTo, email: row.assignedToEmail },
    createdAt: row.createdAt,
    lastMessageAt: row.lastMessageAt,
    closedAt: row.closedAt,
    unreadCount: row.unreadCount,
  };
}

function messageViewOf(
  message: MessageRow,
  attachments: readonly AttachmentMeta[],
  side: SupportSide,
): MessageView {
  const base = `${conversationsPathOf(side)}/${message.conversationId}/attachments`;
  return {
    id: message.id,
    side: message.authorSide,
    authorEmail: message.authorEmail,
    body: message.body,
    createdAt: message.createdAt,
    attachments: attachments
      .filter((attachment) => attachment.messageId === message.id)
      .map((attachment) => ({
        id: attachment.id,
        fileName: attachment.fileName,
        mimeType: attachment.mimeType,
        byteSize: attachment.byteSize,
        url: `${base}/${attachment.id}`,
      })),
  };
}

/**
 * The conversation `actor` may reach, or 404: an ISP only ever finds its own (another ISP's id is
 * answered exactly like an id that does not exist).
 */
async function reachableConversation(
  platform: SqlDatabase,
  actor: Pick<SupportActor, 'side' | 'tenantId'>,
  conversationId: string,
): Promise<ConversationRow> {
  const row = await findConversation(platform, conversationId, actor.side, actor.tenantId);
  if (!row) throw new KiungaError('not_found', 'No such conversation.');
  return row;
}

/** The 404 check of routes under a conversation, before their input is parsed. */
export async function assertConversationReachable(
  dependencies: SupportDependencies,
  actor: Pick<SupportActor, 'side' | 'tenantId'>,
  conversationId: string,
): Promise<void> {
  await reachableConversation(dependencies.databases.platform, actor, conversationId);
}

async function recordEvent(
  platform: SqlDatabase,
  conversation: Pick<ConversationRow, 'id' | 'tenantId'>,
  kind: SupportEventKind,
  atMs: number,
): Promise<void> {
  await insertEvent(platform, {
    conversationId: conversation.id,
    tenantId: conversation.tenantId,
    kind,
    atMs,
  });
}

export async function openConversation(
  dependencies: SupportDependencies,
  actor: SupportActor,
  input: z.infer<typeof openConversationSchema>,
  audit: Auditor,
): Promise<{ id: string }> {
  if (actor.tenantId === null)
    throw new KiungaError('forbidden', 'Support conversations are opened by ISPs.');
  const tenantId = actor.tenantId;
  const id = newId('supportConversation');
  const atMs = dependencies.clock.now();
  await dependencies.databases.platform.transaction(async (platform) => {
    await insertConversation(platform, {
      id,
      tenantId,
      subject: input.subject,
      createdBy: actor.userId,
      atMs,
    });
    await insertMessage(platform, {
      conversationId: id,
      authorSide: 'isp',
      authorId: actor.userId,
      authorEmail: actor.email,
      body: input.message,
      createdAt: atMs,
    });
    await recordEvent(platform, { id, tenantId }, 'opened', atMs);
  });
  await audit({ action: 'support.conversation.opened', target: id, detail: { subject: input.subject } });
  return { id };
}

export async function listConversationPage(
  dependencies: SupportDependencies,
  actor: SupportActor,
  query: { limit: number; cursor?: string; status?: 'open' | 'closed'; view?: 'unassigned' | 'mine' | 'all' },
): Promise<Page<ConversationView>> {
  const filter: ConversationFilter = { tenantId: actor.side === 'isp' ? actor.tenantId : null };
  if (actor.side === 'isp' && actor.tenantId === null) throw new KiungaError('forbidden');
  if (query.status) filter.status = query.status;
  if (query.view === 'unassigned') filter.assignedTo = null;
  if (query.view === 'mine') filter.assignedTo = actor.userId;
  const rows = await listConversations(
    dependencies.databases.platform,
    actor.side,
    filter,
    decodeTimeCursor(query.cursor),
    query.limit + 1,
  );
  const page = pageOf(rows, query.limit, (row) => timeCursorKey(row.lastMessageAt, row.id));
  return { items: page.items.map(conversationViewOf), nextCursor: page.nextCursor };
}

/** The conversation with its messages; reading it moves the reader's side's marker to the newest. */
export async function readConversation(
  dependencies: SupportDependencies,
  actor: SupportActor,
  conversationId: string,
): Promise<ConversationDetail> {
  const platform = dependencies.databases.platform;
  const row = await reachableConversation(platform, actor, conversationId);
  const messages = await listMessages(platform, conversationId, THREAD_MESSAGES_MAX);
  const attachments = await listAttachmentMetas(platform, conversationId);
  const newest = messages[messages.length - 1];
  if (newest) await markRead(platform, conversationId, actor.side, newest.id);
  return {
    ...conversationViewOf({ ...row, unreadCount: 0 }),
    messages: messages.map((message) => messageViewOf(message, attachments, actor.side)),
  };
}

/**
 * Adds a reply (text, an attachment, or both). A reply to a closed conversation reopens it: the other
 * side wrote again, so it needs an answer.
 */
export async function postMessage(
  dependencies: SupportDependencies,
  actor: SupportActor,
  conversationId: string,
  input: PostMessageInput,
  attachment: CheckedAttachment | null,
  audit: Auditor,
): Promise<MessageView> {
  const platform = dependencies.databases.platform;
  const conversation = await reachableConversation(platform, actor, conversationId);
  let body = input.body;
  if (body === '' && input.cannedReplyId !== undefined) {
    if (actor.side !== 'platform')
      throw new KiungaError('validation_failed', 'Canned replies are for support.');
    const canned = await findCannedReply(platform, input.cannedReplyId);
    if (!canned) throw new KiungaError('validation_failed', 'No such canned reply.');
    body = canned.body;
  }
  if (body === '' && attachment === null) {
    throw new KiungaError('validation_failed', 'Write a message or attach a file.');
  }
  const atMs = dependencies.clock.now();
  const attachmentId = attachment ? newId('supportAttachment') : null;
  const message: Omit<MessageRow, 'id'> = {
    conversationId,
    authorSide: actor.side,
    authorId: actor.userId,
    authorEmail: actor.email,
    body,
    createdAt: atMs,
  };
  const messageId = await platform.transaction(async (transaction) => {
    const id = await insertMessage(transaction, message);
    if (attachment && attachmentId) {
      await insertAttachment(transaction, {
        id: attachmentId,
        messageId: id,
        conversationId,
        fileName: attachment.fileName,
        mimeType: attachment.mimeType,
        byteSize: attachment.bytes.byteLength,
        bytes: attachment.bytes,
        createdAt: atMs,
      });
    }
    if (conversation.status === 'closed') {
      await setStatus(transaction, conversationId, 'open', null);
      await recordEvent(transaction, conversation, 'reopened', atMs);
    }
    await recordEvent(transaction, conversation, 'message', atMs);
    return id;
  });
  await audit({
    action: 'support.message.posted',
    target: conversationId,
    detail: { messageId, side: actor.side, ...(attachment ? { attachment: attachment.mimeType } : {}) },
  });
  const metas: AttachmentMeta[] =
    attachment && attachmentId
      ? [
          {
            id: attachmentId,
            messageId,
            fileName: attachment.fileName,
            mimeType: attachment.mimeType,
            byteSize: attachment.bytes.byteLength,
          },
        ]
      : [];
  return messageViewOf({ id: messageId, ...message }, metas, actor.side);
}

/** An attachment's bytes, for either side of its conversation only (404 for anyone else). */
export async function readAttachment(
  dependencies: SupportDependencies,
  actor: Pick<SupportActor, 'side' | 'tenantId'>,
  conversationId: string,
  attachmentId: string,
): Promise<AttachmentRow> {
  const platform = dependencies.databases.platform;
  await reachableConversation(platform, actor, conversationId);
  const attachment = await findAttachment(platform, conversationId, attachmentId);
  if (!attachment) throw new KiungaError('not_found', 'No such attachment.');
  return attachment;
}

/** Whether `userId` is a platform account allowed to answer support (the assignee rule). */
async function isSupportAgent(platform: SqlDatabase, userId: string): Promise<boolean> {
  const principal = await loadUserPrincipal(platform, userId);
  return (
    principal !== null && principal.tenantId === null && principal.permissions.has('platform_support.manage')
  );
}

export async function assignConversation(
  dependencies: SupportDependencies,
  actor: SupportActor,
  conversationId: string,
  input: z.infer<typeof assignSchema>,
  audit: Auditor,
): Promise<ConversationView> {
  const platform = dependencies.databases.platform;
  const conversation = await reachableConversation(platform, actor, conversationId);
  const assignee = input.userId === undefined ? actor.userId : input.userId;
  if (assignee !== null && !(await isSupportAgent(platform, assignee))) {
    throw new KiungaError('validation_failed', 'Assign to a platform user who has the support permission.');
  }
  await platform.transaction(async (transaction) => {
    await setAssignee(transaction, conversationId, assignee);
    await recordEvent(transaction, conversation, 'assigned', dependencies.clock.now());
  });
  await audit({ action: 'support.conversation.assigned', target: conversationId, detail: { assignee } });
  return conversationViewOf(await reachableConversation(platform, actor, conversationId));
}

export async function changeConversationStatus(
  dependencies: SupportDependencies,
  actor: SupportActor,
  conversationId: string,
  status: 'open' | 'closed',
  audit: Auditor,
): Promise<ConversationView> {
  const platform = dependencies.databases.platform;
  const conversation = await reachableConversation(platform, actor, conversationId);
  if (conversation.status !== status) {
    const atMs = dependencies.clock.now();
    await platform.transaction(async (transaction) => {
      await setStatus(transaction, conversationId, status, status === 'closed' ? atMs : null);
      await recordEvent(transaction, conversation, status === 'closed' ? 'closed' : 'reopened', atMs);
    });
    await audit({
      action: status === 'closed' ? 'support.conversation.closed' : 'support.conversation.reopened',
      target: conversationId,
    });
  }
  return conversationViewOf(await reachableConversation(platform, actor, conversationId));
}

function cannedViewOf(row: CannedReplyRow): CannedReplyView {
  return { id: row.id, title: row.title, body: row.body, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export async function listCannedReplyViews(dependencies: SupportDependencies): Promise<CannedReplyView[]> {
  return (await listCannedReplies(dependencies.databases.platform, CANNED_REPLIES_MAX)).map(cannedViewOf);
}

export async function createCannedReply(
  dependencies: SupportDependencies,
  actor: SupportActor,
  input: z.infer<typeof cannedReplyInputSchema>,
  audit: Auditor,
): Promise<CannedReplyView> {
  const atMs = dependencies.clock.now();
  const row: CannedReplyRow = { id: newId('supportCannedReply'), ...input, createdAt: atMs, updatedAt: atMs };
  await insertCannedReply(dependencies.databases.platform, { ...row, createdBy: actor.userId });
  await audit({ action: 'support.canned_reply.created', target: row.id, detail: { title: row.title } });
  return cannedViewOf(row);
}

export async function changeCannedReply(
  dependencies: SupportDependencies,
  id: string,
  input: z.infer<typeof cannedReplyInputSchema>,
  audit: Auditor,
): Promise<CannedReplyView> {
  const platform = dependencies.databases.platform;
  if (!(await updateCannedReply(platform, id, { ...input, updatedAt: dependencies.clock.now() }))) {
    throw new KiungaError('not_found', 'No such canned reply.');
  }
  await audit({ action: 'support.canned_reply.updated', target: id, detail: { title: input.title } });
  const row = await findCannedReply(platform, id);
  if (!row) throw new KiungaError('not_found', 'No such canned reply.');
  return cannedViewOf(row);
}

export async function removeCannedReply(dependencies: SupportDependencies, id: string, audit: Auditor) {
  if (!(await deleteCannedReply(dependencies.databases.platform, id))) {
    throw new KiungaError('not_found', 'No such canned reply.');
  }
  await audit({ action: 'support.canned_reply.deleted', target: id });
}

export const supportAgentSchema = z.object({ id: z.string(), email: z.string() });
export type SupportAgent = z.infer<typeof supportAgentSchema>;

/** Platform accounts holding platform_support.manage: whom a conversation may be assigned to. */
export async function listSupportAgents(dependencies: SupportDependencies): Promise<SupportAgent[]> {
  const accounts = await listPlatformAccounts(dependencies.databases.platform);
  return accounts
    .filter((account) => {
      const permissions =
        account.kind === 'platform_staff'
          ? parsePermissionList(account.rolePermissions, 'platform')
          : [...builtInPermissions(account.kind as PrincipalKind)];
      return permissions.includes('platform_support.manage');
    })
    .map((account) => ({ id: account.id, email: account.email }));
}
