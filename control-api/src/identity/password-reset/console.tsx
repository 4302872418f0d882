// The "forgot password" pages: GET/POST /forgot-password (ask for a link) and GET/POST /reset-password
// (the mail's link, then the new password). Cross-site posts are refused by require-same-origin; the
// reset form's proof is the mail's single-use token itself.
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { formFields, redirectWithFlash, renderHtml, takeFlash } from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { passwordResetConfirmSchema, passwordResetRequestSchema } from './api';
import { confirmPasswordReset, requestPasswordReset } from './service';
import { ForgotPasswordPage, ResetPasswordPage } from './views';

const SENT_MESSAGE =
  'If that email is an account’s, a link is on its way. It works once, for 30 minutes. Check your spam folder too.';

export function passwordResetPages(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/forgot-password', (context) =>
    renderHtml(context, <ForgotPasswordPage email="" flash={takeFlash(context)} />),
  );

  routes.post('/forgot-password', async (context) => {
    const fields = await formFields(context);
    const parsed = passwordResetRequestSchema.safeParse({ email: fields.email ?? '' });
    if (!parsed.success) {
      return renderHtml(
        context,
        <ForgotPasswordPage
          email={(fields.email ?? '').slice(0, 254)}
          flash={{ kind: 'error', text: 'Type a valid email address.' }}
        />,
        400,
      );
    }
    try {
      await requestPasswordReset(dependencies, context, parsed.data.email);
    } catch (error) {
      if (!(error instanceof KiungaError) || error.httpStatus !== 429) throw error;
      return renderHtml(
        context,
        <ForgotPasswordPage email={parsed.data.email} flash={{ kind: 'error', text: error.message }} />,
        429,
      );
    }
    return redirectWithFlash(context, '/login', 'ok', SENT_MESSAGE);
  });

  routes.get('/reset-password', (context) =>
    renderHtml(
      context,
      <ResetPasswordPage token={context.req.query('token') ?? ''} flash={takeFlash(context)} />,
    ),
  );

  routes.post('/reset-password', async (context) => {
    const fields = await formFields(context);
    const token = (fields.token ?? '').slice(0, 256);
    const parsed = passwordResetConfirmSchema.safeParse({ token, password: fields.password ?? '' });
    if (!parsed.success) {
      const text = parsed.error.issues.some((issue) => issue.path[0] === 'password')
        ? 'Choose a password of at least 8 characters.'
        : 'This reset link is not valid any more: ask for a new one.';
      return renderHtml(context, <ResetPasswordPage token={token} flash={{ kind: 'error', text }} />, 400);
    }
    try {
      await confirmPasswordReset(dependencies, context, parsed.data);
    } catch (error) {
      if (!(error instanceof KiungaError) || error.httpStatus >= 500) throw error;
      return renderHtml(
        context,
        <ResetPasswordPage token={token} flash={{ kind: 'error', text: error.message }} />,
        error.httpStatus === 429 ? 429 : 400,
      );
    }
    return redirectWithFlash(context, '/login', 'ok', 'Your password is changed: sign in with it.');
  });

  return routes;
}
