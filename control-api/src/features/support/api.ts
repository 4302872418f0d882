// Support chat over the API (issue 14). ISP side under /api/v1/support/conversations (permission
// support.use, only the ISP's own conversations); platform side under /api/v1/platform/support
// (platform_support.manage): the queue, assign, close/reopen, replies and canned replies.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import { type CheckedAttachment, checkAttachment } from '../../kernel/attachments';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { type RouteAccess, routeGroup } from '../../kernel/route';
import { tenantIdOf } from '../../kernel/tenant-access';
import { isJsonRequest, parseJsonBody, parseWith } from '../../kernel/validation';
import {
  ATTACHMENT_FIELD,
  assertConversationReachable,
  assignConversation,
  assignSchema,
  cannedReplyInputSchema,
  cannedReplyViewSchema,
  changeCannedReply,
  changeConversationStatus,
  conversationDetailSchema,
  conversationListQuerySchema,
  conversationPageSchema,
  conversationViewSchema,
  createCannedReply,
  listCannedReplyViews,
  listConversationPage,
  listSupportAgents,
  messageViewSchema,
  openConversation,
  openConversationSchema,
  postMessage,
  postMessageSchema,
  queueQuerySchema,
  readAttachment,
  readConversation,
  removeCannedReply,
  type SupportActor,
  supportAgentSchema,
} from './service';

/** Ids are ours (`spc_…`, `spa_…`, `scr_…`); anything longer is not one. */
const ID_CHARS_MAX = 60;
const conversationParams = z.object({ id: z.string().min(1).max(ID_CHARS_MAX) });
const attachmentParams = conversationParams.extend({ attachmentId: z.string().min(1).max(ID_CHARS_MAX) });

function ispActorOf(context: Context<AppEnv>): SupportActor {
  const principal = context.get('principal');
  return { side: 'isp', userId: principal.id, email: principal.email, tenantId: tenantIdOf(context) };
}

function platformActorOf(context: Context<AppEnv>): SupportActor {
  const principal = context.get('principal');
  if (principal.tenantId !== null)
    throw new KiungaError('forbidden', 'Platform support is for platform accounts.');
  return { side: 'platform', userId: principal.id, email: principal.email, tenantId: null };
}

/**
 * The contract has `GET /api/v1/support/conversations/<id>` and its `/messages` "on both sides":
 * on that path an ISP account needs support.use (its own conversations only), a platform account
 * platform_support.manage (every conversation, answering as support).
 */
function eitherSideActorOf(context: Context<AppEnv>): SupportActor {
  const principal = context.get('principal');
  const isPlatform = principal.tenantId === null;
  const permission = isPlatform ? 'platform_support.manage' : 'support.use';
  if (!principal.permissions.has(permission))
    throw new KiungaError('forbidden', `This needs the ${permission} permission.`);
  return isPlatform ? platformActorOf(context) : ispActorOf(context);
}

/** A browser's file input left empty still sends a part: no name and no bytes means no attachment. */
function isChosenFile(value: unknown): value is File {
  return value instanceof File && (value.size > 0 || value.name !== '');
}

/**
 * A reply's input: JSON `{body}`, or a multipart form (fields `body`, `cannedReplyId` and the file in
 * `file`) whose file is checked from its bytes (kernel/attachments.ts: 413 over 2 MB, 415 not an
 * image or PDF).
 */
async function replyInputOf(context: Context<AppEnv>) {
  const contentType = context.req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    const body = isJsonRequest(contentType) ? await parseJsonBody(context, postMessageSchema) : undefined;
    if (!body)
      throw new KiungaError('unsupported_media_type', 'Send JSON {body} or a multipart form with a file.');
    return { input: body, attachment: null };
  }
  const form = await context.req.parseBody();
  const input = parseWith(postMessageSchema, {
    body: typeof form.body === 'string' ? form.body : '',
    ...(typeof form.cannedReplyId === 'string' && form.cannedReplyId !== ''
      ? { cannedReplyId: form.cannedReplyId }
      : {}),
  });
  const file = form[ATTACHMENT_FIELD];
  const attachment: CheckedAttachment | null = isChosenFile(file)
    ? await checkAttachment(file.name, new Uint8Array(await file.arrayBuffer()))
    : null;
  return { input, attachment };
}

/**
 * An attachment as it goes back: the type its bytes showed, never sniffed, a PDF always downloaded
 * (RFC 6266 section 4: `attachment` with the UTF-8 `filename*` of RFC 8187), an image shown inline.
 */
function attachmentResponse(attachment: { fileName: string; mimeType: string; bytes: Uint8Array }): Response {
  const disposition = attachment.mimeType === 'application/pdf' ? 'attachment' : 'inline';
  return new Response(new Uint8Array(attachment.bytes), {
    status: 200,
    headers: {
      'content-type': attachment.mimeType,
      'content-length': String(attachment.bytes.byteLength),
      'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}

/** The routes both sides have on a conversation: read it, reply, fetch an attachment. */
function declareThreadRoutes(
  group: ReturnType<typeof routeGroup>,
  actorOf: (context: Context<AppEnv>) => SupportActor,
  permission: RouteAccess,
) {
  const checkTarget = (
    { params, dependencies }: { params: { id: string }; dependencies: ApiDependencies },
    context: Context<AppEnv>,
  ) => assertConversationReachable(dependencies, actorOf(context), params.id);

  group.declare({
    method: 'get',
    path: '/conversations/:id',
    summary: 'A support conversation with its messages (reading it marks them read for this side)',
    permission,
    params: conversationParams,
    response: conversationDetailSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(await readConversation(dependencies, actorOf(context), params.id)),
  });

  group.declare({
    method: 'post',
    path: '/conversations/:id/messages',
    summary:
      'Reply: JSON {body} or multipart/form-data (body, cannedReplyId, file: an image or PDF up to 2 MB)',
    permission,
    params: conversationParams,
    checkTarget,
    response: messageViewSchema,
    responseStatus: 201,
    handler: async ({ params, dependencies, respond }, context) => {
      const { input, attachment } = await replyInputOf(context);
      const audit = auditorOf(dependencies, context);
      return respond(await postMessage(dependencies, actorOf(context), params.id, input, attachment, audit));
    },
  });

  group.declare({
    method: 'get',
    path: '/conversations/:id/attachments/:attachmentId',
    summary: "An attachment's file, with the type its bytes showed (PDF as a download)",
    permission,
    params: attachmentParams,
    responseContentType: 'application/octet-stream',
    handler: async ({ params, dependencies }, context) =>
      attachmentResponse(
        await readAttachment(dependencies, actorOf(context), params.id, params.attachmentId),
      ),
  });
}

const ispSupport = routeGroup({ basePath: '/api/v1/support', tag: 'support' });

ispSupport.declare({
  method: 'post',
  path: '/conversations',
  summary: 'Open a conversation with platform support',
  permission: 'support.use',
  body: openConversationSchema,
  response: z.object({ id: z.string() }),
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await openConversation(dependencies, ispActorOf(context), body, auditorOf(dependencies, context)),
    ),
});

ispSupport.declare({
  method: 'get',
  path: '/conversations',
  summary: "The ISP's own support conversations, newest activity first, with unread counts",
  permission: 'support.use',
  query: conversationListQuerySchema,
  response: conversationPageSchema,
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await listConversationPage(dependencies, ispActorOf(context), query)),
});

// Signed in, then the permission of the caller's side (eitherSideActorOf).
declareThreadRoutes(ispSupport, eitherSideActorOf, 'signed-in');

const platformSupport = routeGroup({ basePath: '/api/v1/platform/support', tag: 'platform' });
const PLATFORM_PERMISSION = 'platform_support.manage';

platformSupport.declare({
  method: 'get',
  path: '/conversations',
  summary: 'The support queue: unassigned, mine or all, open or closed, with unread counts',
  permission: PLATFORM_PERMISSION,
  query: queueQuerySchema,
  response: conversationPageSchema,
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await listConversationPage(dependencies, platformActorOf(context), query)),
});

declareThreadRoutes(platformSupport, platformActorOf, PLATFORM_PERMISSION);

platformSupport.declare({
  method: 'post',
  path: '/conversations/:id/assign',
  summary: 'Assign to yourself ({}), to a platform user with the support permission ({userId}), or nobody',
  permission: PLATFORM_PERMISSION,
  params: conversationParams,
  checkTarget: ({ params, dependencies }, context) =>
    assertConversationReachable(dependencies, platformActorOf(context), params.id),
  body: assignSchema,
  response: conversationViewSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await assignConversation(
        dependencies,
        platformActorOf(context),
        params.id,
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

for (const [action, status] of [
  ['close', 'closed'],
  ['reopen', 'open'],
] as const) {
  platformSupport.declare({
    method: 'post',
    path: `/conversations/:id/${action}`,
    summary: action === 'close' ? 'Close a conversation' : 'Reopen a closed conversation',
    permission: PLATFORM_PERMISSION,
    params: conversationParams,
    response: conversationViewSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(
        await changeConversationStatus(
          dependencies,
          platformActorOf(context),
          params.id,
          status,
          auditorOf(dependencies, context),
        ),
      ),
  });
}

platformSupport.declare({
  method: 'get',
  path: '/agents',
  summary: 'Platform users with the support permission: whom a conversation may be assigned to',
  permission: PLATFORM_PERMISSION,
  response: z.object({ items: z.array(supportAgentSchema) }),
  handler: async ({ dependencies, respond }) => respond({ items: await listSupportAgents(dependencies) }),
});

platformSupport.declare({
  method: 'get',
  path: '/canned-replies',
  summary: "Support's canned replies",
  permission: PLATFORM_PERMISSION,
  response: z.object({ items: z.array(cannedReplyViewSchema) }),
  handler: async ({ dependencies, respond }) => respond({ items: await listCannedReplyViews(dependencies) }),
});

platformSupport.declare({
  method: 'post',
  path: '/canned-replies',
  summary: 'Add a canned reply',
  permission: PLATFORM_PERMISSION,
  body: cannedReplyInputSchema,
  response: cannedReplyViewSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createCannedReply(dependencies, platformActorOf(context), body, auditorOf(dependencies, context)),
    ),
});

platformSupport.declare({
  method: 'put',
  path: '/canned-replies/:id',
  summary: 'Change a canned reply',
  permission: PLATFORM_PERMISSION,
  params: conversationParams,
  body: cannedReplyInputSchema,
  response: cannedReplyViewSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(await changeCannedReply(dependencies, params.id, body, auditorOf(dependencies, context))),
});

platformSupport.declare({
  method: 'delete',
  path: '/canned-replies/:id',
  summary: 'Remove a canned reply',
  permission: PLATFORM_PERMISSION,
  params: conversationParams,
  responseStatus: 204,
  handler: async ({ params, dependencies }, context) => {
    await removeCannedReply(dependencies, params.id, auditorOf(dependencies, context));
    return context.body(null, 204);
  },
});

export const ispSupportRoutes = (dependencies: ApiDependencies) => ispSupport.mount(dependencies);
export const platformSupportRoutes = (dependencies: ApiDependencies) => platformSupport.mount(dependencies);
