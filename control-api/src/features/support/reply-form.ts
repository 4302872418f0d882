// A console reply form (multipart: text, canned reply, file) turned into the API's multipart body, so
// the file is checked by the API exactly as for any other caller.
import type { Context } from 'hono';
import { ATTACHMENT_FIELD } from './service';

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
