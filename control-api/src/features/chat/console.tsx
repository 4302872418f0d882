// /isp/chat: the ISP's client-chat inbox (open, closed, all; unread counts, live) and one
// conversation (reply with an attachment, close, reopen, assign), all through /api/v1/chat in-process.
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  can,
  formFields,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
  withQuery,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import type { conversationOutput, messageOutput } from './api';
import { textOf } from './http-parts';
import type { ConversationRow, MessageRow } from './store';
import { ConversationPage, InboxPage } from './views';

type ConversationOutput = ReturnType<typeof conversationOutput>;
type MessageOutput = ReturnType<typeof messageOutput>;

function rowOf(output: ConversationOutput): ConversationRow {
  return {
    id: output.id,
    clientKind: output.client.kind,
    clientKey: output.client.id,
    clientLabel: output.client.label,
    phone: output.hasPhone ? 'yes' : null,
    language: output.language,
    status: output.status,
    assignedTo: output.assignedTo,
    lastMessageAt: output.lastMessageAt,
    createdAt: output.createdAt,
    unreadByStaff: output.unread,
    unreadByClient: 0,
  };
}

function messageRowOf(conversationId: string, output: MessageOutput): MessageRow {
  return {
    id: output.id,
    conversationId,
    authorKind: output.author,
    authorId: output.authorId,
    body: output.body,
    createdAt: output.createdAt,
    attachment: output.attachment,
  };
}

/** The staff an ISP may assign a conversation to: everyone when the viewer manages staff, else themself. */
async function assignableStaff(context: Context<AppEnv>, fetchApp: AppFetch) {
  const principal = context.get('principal');
  const me = { id: principal.id, label: `Me (${principal.email ?? principal.id})` };
  if (!can(context, 'staff.manage')) return [me];
  const page = await callApi<{
    items: Array<{ id: string; email: string; displayName: string; status: string }>;
  }>(context, fetchApp, 'GET', withQuery('/api/v1/users', { limit: 200 }));
  const others = page.items
    .filter((user) => user.status === 'active' && user.id !== principal.id)
    .map((user) => ({ id: user.id, label: `${user.displayName} (${user.email})` }));
  return [me, ...others];
}

/**
 * `<consolePath>/chat` ('/isp' or '/tech'), in that console's shell; mount on the console's routes.
 * Replying, closing and assigning follow `chat.reply` (a role's permission), never the account's kind.
 */
export function ispChatRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
  consolePath: '/isp' | '/tech' = '/isp',
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const chatPath = `${consolePath}/chat`;
  const base = '/api/v1/chat/conversations';

  routes.get('/chat', async (context) => {
    assertPermission(context, 'chat.read');
    const query = pageQuery(context, ['status']);
    const status = query.status === 'closed' || query.status === 'all' ? query.status : 'open';
    const page = await callApi<{ items: ConversationOutput[]; nextCursor: string | null }>(
      context,
      fetchApp,
      'GET',
      withQuery(base, {
        limit: CONSOLE_PAGE_SIZE,
        cursor: query.cursor,
        status: status === 'all' ? undefined : status,
      }),
    );
    return renderHtml(
      context,
      <InboxPage
        shell={shell(context)}
        chatPath={chatPath}
        status={status}
        conversations={page.items.map(rowOf)}
        nextHref={page.nextCursor ? withQuery(chatPath, { status, cursor: page.nextCursor }) : null}
      />,
    );
  });

  routes.get('/chat/:id', async (context) => {
    assertPermission(context, 'chat.read');
    const id = context.req.param('id');
    const view = await callApi<{ conversation: ConversationOutput; messages: MessageOutput[] }>(
      context,
      fetchApp,
      'GET',
      `${base}/${encodeURIComponent(id)}`,
    );
    const canReply = can(context, 'chat.reply');
    const staff = canReply ? await assignableStaff(context, fetchApp) : [];
    return renderHtml(
      context,
      <ConversationPage
        shell={shell(context)}
        chatPath={chatPath}
        conversation={rowOf(view.conversation)}
        messages={view.messages.map((message) => messageRowOf(id, message))}
        canReply={canReply}
        staff={staff}
        staffNames={new Map(staff.map((member) => [member.id, member.label]))}
      />,
    );
  });

  const back = (context: Context<AppEnv>) =>
    `${chatPath}/${encodeURIComponent(context.req.param('id') ?? '')}`;

  routes.post('/chat/:id/messages', (context) =>
    withFormErrors(context, back(context), async () => {
      const form = await context.req.parseBody();
      const body = new FormData();
      body.set('body', textOf(form, 'body'));
      const file = form['file'];
      if (file instanceof File && file.size > 0) body.set('file', file, file.name);
      await callApi(
        context,
        fetchApp,
        'POST',
        `${base}/${encodeURIComponent(context.req.param('id'))}/messages`,
        body,
      );
      return context.redirect(back(context), 303);
    }),
  );

  for (const action of ['close', 'reopen'] as const) {
    routes.post(`/chat/:id/${action}`, (context) =>
      withFormErrors(context, back(context), async () => {
        await callApi(
          context,
          fetchApp,
          'POST',
          `${base}/${encodeURIComponent(context.req.param('id'))}/${action}`,
        );
        return redirectWithFlash(
          context,
          back(context),
          'ok',
          action === 'close' ? 'Conversation closed.' : 'Conversation reopened.',
        );
      }),
    );
  }

  routes.post('/chat/:id/assign', (context) =>
    withFormErrors(context, back(context), async () => {
      const fields = await formFields(context);
      const assignedTo = fields['assignedTo'] ? fields['assignedTo'] : null;
      await callApi(
        context,
        fetchApp,
        'POST',
        `${base}/${encodeURIComponent(context.req.param('id'))}/assign`,
        {
          assignedTo,
        },
      );
      return redirectWithFlash(context, back(context), 'ok', assignedTo ? 'Assigned.' : 'Unassigned.');
    }),
  );

  return routes;
}
