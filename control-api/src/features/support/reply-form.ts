// A console reply form (multipart: text, canned reply, file) turned into the API's multipart body, so
// the file is checked by the API exactly as for any other caller; and the route both consoles post it to.
import type { Context, Handler } from 'hono';
import { type AppFetch, callApi, redirectWithFlash, withFormErrors } from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import { ATTACHMENT_FIELD } from './service';

/** Form statuses shown back on the page as a message besides validation: too large, not an image or PDF. */
const SHOWN_STATUSES = [413, 415];

/** The reply's fields the API reads; an empty file input (nothing chosen) is left out. */
export async function replyFormOf(context: Context): Promise<FormData> {
  const fields = await context.req.parseBody();
  const form = new FormData();
  for (const name of ['body', 'cannedReplyId']) {
    const value = fields[name];
    if (typeof value === 'string') form.set(name, value);
  }
  const file = fields[ATTACHMENT_FIELD];
  if (file instanceof File && (file.size > 0 || file.name !== ''))
    form.set(ATTACHMENT_FIELD, file, file.name);
  return form;
}

/**
 * `POST <pagePath>/:id/messages`: sends the reply to `<apiConversationsPath>/:id/messages` and returns
 * to the thread, with the API's refusal (empty, too large, not an image or PDF) as the page's message.
 */
export function replyRoute(
  fetchApp: AppFetch,
  pagePath: string,
  apiConversationsPath: string,
): Handler<AppEnv> {
  return (context) => {
    const id = context.req.param('id') ?? '';
    const threadPath = `${pagePath}/${id}`;
    return withFormErrors(
      context,
      threadPath,
      async () => {
        const form = await replyFormOf(context);
        await callApi(context, fetchApp, 'POST', `${apiConversationsPath}/${id}/messages`, form);
        return redirectWithFlash(context, threadPath, 'ok', 'Sent.');
      },
      SHOWN_STATUSES,
    );
  };
}
