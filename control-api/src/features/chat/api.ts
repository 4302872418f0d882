// /api/v1/chat/conversations[...]: the ISP staff's side of client chat (inbox with unread counts, one
// conversation with its messages, reply with an optional attachment, close, reopen, assign).
import { KiungaError } from '@kiunga/schemas';
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody } from '../../kernel/validation';
import { attachmentResponse, textOf, uploadOf } from './http-parts';
import {
  assignConversation,
  changeConversationStatus,
  conversationOrThrow,
  listStaffConversations,
  MESSAGE_BODY_CHARS_MAX,
  markStaffConversationRead,
  postStaffMessage,
  staffConversationView,
} from './service';
import { type ConversationRow, findAttachment, type MessageRow, unreadConversationCount } from './store';

export const CHAT_API_BASE = '/api/v1/chat/conversations';

const conversationOutputSchema = z.object({
  id: z.string(),
  client: z.object({ kind: z.enum(['subscriber', 'voucher', 'phone']), id: z.string(), label: z.string() }),
  hasPhone: z.boolean(),
  language: z.string(),
  status: z.enum(['open', 'closed']),
  assignedTo: z.string().nullable(),
  /** Client messages no staff member has seen yet. */
  unread: z.number().int(),
  lastMessageAt: z.number().int(),
  createdAt: z.number().int(),
});

const messageOutputSchema = z.object({
  id: z.number().int(),
  author: z.enum(['client', 'staff']),
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: z.number().int(),
  attachment: z
    .object({
      id: z.string(),
      fileName: z.string(),
      mimeType: z.string(),
      byteCount: z.number().int(),
      url: z.string(),
    })
    .nullable(),
});

export function conversationOutput(row: ConversationRow): z.infer<typeof conversationOutputSchema> {
  return {
    id: row.id,
    client: { kind: row.clientKind, id: row.clientKey, label: row.clientLabel },
    hasPhone: row.phone !== null,
    language: row.language,
    status: row.status,
    assignedTo: row.assignedTo,
    unread: row.unreadByStaff,
    lastMessageAt: row.lastMessageAt,
    createdAt: row.createdAt,
  };
}

export function messageOutput(row: MessageRow): z.infer<typeof messageOutputSchema> {
  return {
    id: row.id,
    author: row.authorKind,
    authorId: row.authorId,
    body: row.body,
    createdAt: row.createdAt,
    attachment:
      row.attachment === null
        ? null
        : {
            ...row.attachment,
            url: `${CHAT_API_BASE}/${row.conversationId}/attachments/${row.attachment.id}`,
          },
  };
}

const idParams = z.object({ id: z.string().min(1).max(64) });
const replySchema = z.object({ body: z.string().max(MESSAGE_BODY_CHARS_MAX) });

const chat = routeGroup({ basePath: CHAT_API_BASE, tag: 'chat' });

chat.declare({
  method: 'get',
  path: '/',
  summary:
    'Client conversations, newest activity first, each with its unread count (client messages no staff member has seen)',
  permission: 'chat.read',
  query: pageQuerySchema.extend({
    status: z.enum(['open', 'closed']).optional(),
    /** `me`, or a staff account id. */
    assignedTo: z.string().min(1).max(64).optional(),
  }),
  response: z.object({
    items: z.array(conversationOutputSchema),
    nextCursor: z.string().nullable(),
    unreadConversations: z.number().int(),
  }),
  handler: async ({ query, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const assignedTo = query.assignedTo === 'me' ? context.get('principal').id : query.assignedTo;
    const page = await listStaffConversations(database, { ...query, assignedTo });
    return respond({
      items: page.items.map(conversationOutput),
      nextCursor: page.nextCursor,
      unreadConversations: await unreadConversationCount(database),
    });
  },
});

chat.declare({
  method: 'get',
  path: '/:id',
  summary:
    'One conversation with its last 200 messages (oldest first); reading it marks the client messages seen',
  permission: 'chat.read',
  params: idParams,
  response: z.object({ conversation: conversationOutputSchema, messages: z.array(messageOutputSchema) }),
  handler: async ({ params, dependencies, respond }, context) => {
    const view = await staffConversationView(tenantDatabaseOf(context, dependencies), params.id);
    return respond({
      conversation: conversationOutput(view.conversation),
      messages: view.messages.map(messageOutput),
    });
  },
});

chat.declare({
  method: 'post',
  path: '/:id/read',
  summary:
    "Read marker: the staff's open page showed the client messages up to `upTo` (a message id), so they no longer count as unread; later ones still do",
  permission: 'chat.read',
  params: idParams,
  body: z.object({ upTo: z.number().int().nonnegative() }),
  response: conversationOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      conversationOutput(
        await markStaffConversationRead(tenantDatabaseOf(context, dependencies), params.id, body.upTo),
      ),
    ),
});

chat.declare({
  method: 'post',
  path: '/:id/messages',
  summary:
    'Reply: JSON {body}, or multipart/form-data with `body` and a `file` (image or PDF up to 2 MB, type decided from the bytes); an SMS tells an offline client with a phone (Tier 2), once per waiting batch',
  permission: 'chat.reply',
  params: idParams,
  response: z.object({ id: z.number().int(), smsQueued: z.boolean() }),
  responseStatus: 201,
  checkTarget: async ({ params, dependencies }, context) =>
    conversationOrThrow(tenantDatabaseOf(context, dependencies), params.id),
  handler: async ({ params, dependencies, respond }, context) => {
    const contentType = context.req.header('content-type') ?? '';
    let message: { body: string; upload: Awaited<ReturnType<typeof uploadOf>> };
    if (contentType.startsWith('multipart/form-data')) {
      const form = await context.req.parseBody();
      message = { body: textOf(form, 'body'), upload: await uploadOf(form) };
    } else {
      message = { body: (await parseJsonBody(context, replySchema)).body, upload: null };
    }
    const result = await postStaffMessage(
      dependencies,
      { id: tenantIdOf(context), database: tenantDatabaseOf(context, dependencies) },
      params.id,
      { id: context.get('principal').id, audit: auditorOf(dependencies, context) },
      message,
    );
    return respond({ id: result.messageId, smsQueued: result.isSmsQueued });
  },
});

for (const [action, status] of [
  ['close', 'closed'],
  ['reopen', 'open'],
] as const) {
  chat.declare({
    method: 'post',
    path: `/:id/${action}`,
    summary:
      action === 'close'
        ? 'Close a conversation (a client writing again reopens it)'
        : 'Reopen a conversation',
    permission: 'chat.reply',
    params: idParams,
    response: conversationOutputSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(
        conversationOutput(
          await changeConversationStatus(
            tenantDatabaseOf(context, dependencies),
            params.id,
            status,
            auditorOf(dependencies, context),
          ),
        ),
      ),
  });
}

chat.declare({
  method: 'post',
  path: '/:id/assign',
  summary: 'Assign a conversation to a staff account of this ISP (`me` for oneself), or unassign with null',
  permission: 'chat.reply',
  params: idParams,
  body: z.object({ assignedTo: z.string().min(1).max(64).nullable() }),
  response: conversationOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) => {
    const assignee = body.assignedTo === 'me' ? context.get('principal').id : body.assignedTo;
    return respond(
      conversationOutput(
        await assignConversation(
          dependencies,
          { id: tenantIdOf(context), database: tenantDatabaseOf(context, dependencies) },
          params.id,
          assignee,
          auditorOf(dependencies, context),
        ),
      ),
    );
  },
});

chat.declare({
  method: 'get',
  path: '/:id/attachments/:attachmentId',
  summary: 'An attachment of the conversation (images inline, PDF as a download; nosniff)',
  permission: 'chat.read',
  params: idParams.extend({ attachmentId: z.string().min(1).max(64) }),
  responseContentType: 'application/octet-stream',
  handler: async ({ params, dependencies }, context) => {
    const attachment = await findAttachment(
      tenantDatabaseOf(context, dependencies),
      params.id,
      params.attachmentId,
    );
    if (attachment === null) throw new KiungaError('not_found', 'No such attachment.');
    return attachmentResponse(attachment);
  },
});

export const chatRoutes = (dependencies: ApiDependencies) => chat.mount(dependencies);
