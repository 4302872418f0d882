// ISP console Support pages (/isp/support): the ISP's conversations with platform support, a form to
// open one, and each thread with its reply form (text and an image or PDF) — all through
// /api/v1/support in-process; live over /api/v1/support/live when JavaScript runs.
import { type Context, Hono } from 'hono';
import { CsrfField, Pager } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  formFields,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  withFormErrors,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { SUPPORT_LIVE_PATH } from './live-paths';
import { replyRoute } from './reply-form';
import {
  type ConversationDetail,
  type ConversationView,
  MESSAGE_CHARS_MAX,
  SUBJECT_CHARS_MAX,
} from './service';
import { ConversationTable, ReplyForm, SupportLive, Thread } from './views';

const PAGE_PATH = '/isp/support';
const API_PATH = '/api/v1/support/conversations';
/** Conversation ids are ours (`spc_…`): other paths under /isp/support are not conversations. */
const ID_PATTERN = ':id{spc_[A-Za-z0-9_-]+}';

export function ispSupportPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/support', async (context) => {
    assertPermission(context, 'support.use');
    const query = pageQuery(context, ['status']);
    const page = await callApiPage<ConversationView>(context, fetchApp, API_PATH, query);
    const draft = takeDraft(context);
    const csrfToken = context.get('csrfToken') ?? '';
    return renderHtml(
      context,
      <Layout title="Support" shell={shell(context)}>
        <h1>Support from Kiunga</h1>
        <ConversationTable
          region="list"
          conversations={page.items}
          pathOf={(row) => `${PAGE_PATH}/${row.id}`}
          columns={[]}
          empty="No conversations yet. Ask us anything below."
        />
        <Pager path={PAGE_PATH} query={query} nextCursor={page.nextCursor} />
        <form method="post" action={PAGE_PATH} class="card" id="new-conversation">
          <h2>New conversation</h2>
          <CsrfField token={csrfToken} />
          <label for="subject">Subject</label>
          <input
            id="subject"
            name="subject"
            required
            maxlength={SUBJECT_CHARS_MAX}
            value={draft?.subject ?? ''}
          />
          <label for="message">Message</label>
          <textarea id="message" name="message" rows={5} required maxlength={MESSAGE_CHARS_MAX}>
            {draft?.message ?? ''}
          </textarea>
          <button type="submit">Send to support</button>
        </form>
        <SupportLive path={SUPPORT_LIVE_PATH} />
      </Layout>,
    );
  });

  routes.post('/support', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      const created = await callApi<{ id: string }>(context, fetchApp, 'POST', API_PATH, {
        subject: fields.subject ?? '',
        message: fields.message ?? '',
      });
      return redirectWithFlash(
        context,
        `${PAGE_PATH}/${created.id}`,
        'ok',
        'Sent: support will answer here.',
      );
    }),
  );

  routes.get(`/support/${ID_PATTERN}`, async (context) => {
    assertPermission(context, 'support.use');
    const id = context.req.param('id');
    const conversation = await callApi<ConversationDetail>(context, fetchApp, 'GET', `${API_PATH}/${id}`);
    const csrfToken = context.get('csrfToken') ?? '';
    return renderHtml(
      context,
      <Layout title={conversation.subject} shell={shell(context)}>
        <p>
          <a href={PAGE_PATH}>← All conversations</a>
        </p>
        <h1>{conversation.subject}</h1>
        <Thread conversation={conversation} reader="isp" />
        <ReplyForm action={`${PAGE_PATH}/${id}/messages`} csrfToken={csrfToken} />
        <SupportLive path={SUPPORT_LIVE_PATH} />
      </Layout>,
    );
  });

  routes.post(`/support/${ID_PATTERN}/messages`, replyRoute(fetchApp, PAGE_PATH, API_PATH));

  return routes;
}
