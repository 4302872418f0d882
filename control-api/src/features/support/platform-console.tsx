// Platform console Support pages (/platform/support): the queue (unassigned, mine, all; open or
// closed), each thread with assign, close/reopen and a reply form with canned replies, and the canned
// replies themselves — through /api/v1/platform/support in-process; live when JavaScript runs.
import { type Context, Hono } from 'hono';
import { CsrfField, Pager, PostButton } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { DataTable } from '../../console/list-page';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  formFields,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  withFormErrors,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { PLATFORM_SUPPORT_LIVE_PATH } from './live-paths';
import { replyRoute } from './reply-form';
import {
  type CannedReplyView,
  type ConversationDetail,
  type ConversationView,
  MESSAGE_CHARS_MAX,
  type SupportAgent,
} from './service';
import { ConversationTable, ReplyForm, SupportLive, Thread } from './views';

const PAGE_PATH = '/platform/support';
const CANNED_PATH = `${PAGE_PATH}/canned-replies`;
const API_PATH = '/api/v1/platform/support';
/** Conversation ids are ours (`spc_…`): /platform/support/canned-replies is not one. */
const ID_PATTERN = ':id{spc_[A-Za-z0-9_-]+}';
const CANNED_ID_PATTERN = ':id{scr_[A-Za-z0-9_-]+}';
const PERMISSION = 'platform_support.manage';

const VIEWS = [
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'mine', label: 'Mine' },
  { view: 'all', label: 'All' },
] as const;
const STATUSES = ['open', 'closed'] as const;

function queueQueryOf(context: Context<AppEnv>) {
  const view = VIEWS.find((item) => item.view === context.req.query('view'))?.view ?? 'unassigned';
  const status = STATUSES.find((item) => item === context.req.query('status')) ?? 'open';
  const cursor = context.req.query('cursor');
  return { view, status, ...(cursor ? { cursor } : {}) };
}

export function platformSupportPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/support', async (context) => {
    assertPermission(context, PERMISSION);
    const query = queueQueryOf(context);
    const page = await callApiPage<ConversationView>(context, fetchApp, `${API_PATH}/conversations`, query);
    return renderHtml(
      context,
      <Layout title="Support" shell={shell(context)}>
        <h1>Support queue</h1>
        <nav class="subnav" aria-label="Queue">
          {VIEWS.map((item) => (
            <a
              href={`${PAGE_PATH}?view=${item.view}&status=${query.status}`}
              aria-current={item.view === query.view ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
          {STATUSES.map((status) => (
            <a
              href={`${PAGE_PATH}?view=${query.view}&status=${status}`}
              aria-current={status === query.status ? 'page' : undefined}
            >
              {status === 'open' ? 'Open' : 'Closed'}
            </a>
          ))}
          <a href={CANNED_PATH}>Canned replies</a>
        </nav>
        <ConversationTable
          region="queue"
          conversations={page.items}
          pathOf={(row) => `${PAGE_PATH}/${row.id}`}
          columns={[
            { header: 'ISP', cell: (row) => row.tenantName ?? row.tenantId },
            { header: 'Assigned', cell: (row) => row.assignedTo?.email ?? '—' },
          ]}
          empty="Nothing here."
        />
        <Pager path={PAGE_PATH} query={query} nextCursor={page.nextCursor} />
        <SupportLive path={PLATFORM_SUPPORT_LIVE_PATH} />
      </Layout>,
    );
  });

  routes.get('/support/canned-replies', async (context) => {
    assertPermission(context, PERMISSION);
    const canned = await callApi<{ items: CannedReplyView[] }>(
      context,
      fetchApp,
      'GET',
      `${API_PATH}/canned-replies`,
    );
    const draft = takeDraft(context);
    const csrfToken = context.get('csrfToken') ?? '';
    return renderHtml(
      context,
      <Layout title="Canned replies" shell={shell(context)}>
        <p>
          <a href={PAGE_PATH}>← Support queue</a>
        </p>
        <h1>Canned replies</h1>
        <DataTable
          rows={canned.items}
          rowAttributes={(row) => ({ 'data-canned-reply': row.title })}
          columns={[
            { header: 'Title', cell: (row) => row.title },
            { header: 'Text', cell: (row) => row.body },
            {
              header: '',
              cell: (row) => (
                <PostButton
                  action={`${CANNED_PATH}/${row.id}/delete`}
                  csrfToken={csrfToken}
                  label="Delete"
                  confirm={`Delete the canned reply "${row.title}"?`}
                />
              ),
            },
          ]}
        />
        <form method="post" action={CANNED_PATH} class="card" id="new-canned-reply">
          <h2>New canned reply</h2>
          <CsrfField token={csrfToken} />
          <label for="title">Title</label>
          <input id="title" name="title" required maxlength={100} value={draft?.title ?? ''} />
          <label for="body">Text</label>
          <textarea id="body" name="body" rows={4} required maxlength={MESSAGE_CHARS_MAX}>
            {draft?.body ?? ''}
          </textarea>
          <button type="submit">Add</button>
        </form>
      </Layout>,
    );
  });

  routes.post('/support/canned-replies', (context) =>
    withFormErrors(context, CANNED_PATH, async () => {
      const fields = await formFields(context);
      await callApi(context, fetchApp, 'POST', `${API_PATH}/canned-replies`, {
        title: fields.title ?? '',
        body: fields.body ?? '',
      });
      return redirectWithFlash(context, CANNED_PATH, 'ok', 'Canned reply added.');
    }),
  );

  routes.post(`/support/canned-replies/${CANNED_ID_PATTERN}/delete`, (context) =>
    withFormErrors(context, CANNED_PATH, async () => {
      await callApi(context, fetchApp, 'DELETE', `${API_PATH}/canned-replies/${context.req.param('id')}`);
      return redirectWithFlash(context, CANNED_PATH, 'ok', 'Canned reply deleted.');
    }),
  );

  routes.get(`/support/${ID_PATTERN}`, async (context) => {
    assertPermission(context, PERMISSION);
    const id = context.req.param('id');
    const conversation = await callApi<ConversationDetail>(
      context,
      fetchApp,
      'GET',
      `${API_PATH}/conversations/${id}`,
    );
    const agents = await callApi<{ items: SupportAgent[] }>(context, fetchApp, 'GET', `${API_PATH}/agents`);
    const canned = await callApi<{ items: CannedReplyView[] }>(
      context,
      fetchApp,
      'GET',
      `${API_PATH}/canned-replies`,
    );
    const csrfToken = context.get('csrfToken') ?? '';
    const threadPath = `${PAGE_PATH}/${id}`;
    return renderHtml(
      context,
      <Layout title={conversation.subject} shell={shell(context)}>
        <p>
          <a href={PAGE_PATH}>← Support queue</a>
        </p>
        <h1>{conversation.subject}</h1>
        <Thread conversation={conversation} reader="platform" />
        <ReplyForm
          action={`${threadPath}/messages`}
          csrfToken={csrfToken}
          extra={
            canned.items.length > 0 ? (
              <>
                <label for="canned-reply">Canned reply (used when the message is left empty)</label>
                <select id="canned-reply" name="cannedReplyId">
                  <option value="">—</option>
                  {canned.items.map((item) => (
                    <option value={item.id}>{item.title}</option>
                  ))}
                </select>
              </>
            ) : null
          }
        />
        <section class="card" id="conversation-actions">
          <form method="post" action={`${threadPath}/assign`}>
            <CsrfField token={csrfToken} />
            <label for="assignee">Assign to</label>
            <select id="assignee" name="userId">
              <option value="">Me</option>
              {agents.items.map((agent) => (
                <option value={agent.id} selected={conversation.assignedTo?.id === agent.id}>
                  {agent.email}
                </option>
              ))}
            </select>
            <button type="submit">Assign</button>
          </form>
          <PostButton
            action={`${threadPath}/${conversation.status === 'open' ? 'close' : 'reopen'}`}
            csrfToken={csrfToken}
            label={conversation.status === 'open' ? 'Close conversation' : 'Reopen conversation'}
          />
        </section>
        <SupportLive path={PLATFORM_SUPPORT_LIVE_PATH} />
      </Layout>,
    );
  });

  routes.post(
    `/support/${ID_PATTERN}/messages`,
    replyRoute(fetchApp, PAGE_PATH, `${API_PATH}/conversations`),
  );

  routes.post(`/support/${ID_PATTERN}/assign`, (context) => {
    const threadPath = `${PAGE_PATH}/${context.req.param('id')}`;
    return withFormErrors(context, threadPath, async () => {
      const fields = await formFields(context);
      const body = fields.userId ? { userId: fields.userId } : {};
      await callApi(
        context,
        fetchApp,
        'POST',
        `${API_PATH}/conversations/${context.req.param('id')}/assign`,
        body,
      );
      return redirectWithFlash(context, threadPath, 'ok', 'Assigned.');
    });
  });

  for (const action of ['close', 'reopen'] as const) {
    routes.post(`/support/${ID_PATTERN}/${action}`, (context) => {
      const threadPath = `${PAGE_PATH}/${context.req.param('id')}`;
      return withFormErrors(context, threadPath, async () => {
        await callApi(
          context,
          fetchApp,
          'POST',
          `${API_PATH}/conversations/${context.req.param('id')}/${action}`,
        );
        return redirectWithFlash(context, threadPath, 'ok', action === 'close' ? 'Closed.' : 'Reopened.');
      });
    });
  }

  return routes;
}
