// The customer portal's email pages (issue 14): the subscriber's own email address (where invoices and
// reset links go), and "forgot password" without signing in — ask for a link by the address, then choose
// a new password on the link's page. Plain forms, no JavaScript; the words in the page's language.
import { KiungaError, subscriberEmailSchema } from '@kiunga/schemas';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { getSubscriber, updateSubscriber } from '../features/subscribers/service';
import { t } from '../i18n';
import { requestLanguage } from '../i18n/request-language';
import {
  confirmPasswordReset,
  RESET_TOKEN_LIFETIME_MS,
  requestPasswordReset,
} from '../identity/password-reset/service';
import { recordAuditAs } from '../kernel/audit';
import type { ApiDependencies } from '../kernel/dependencies';
import type { SignedSubscriber } from './account-changes';
import { type SelfServiceIsp, selfServiceIspOf } from './service';
import { CustomerLayout, type PageFrame } from './views';

/** As on the password page: PPPoE passwords, 8 to 64 characters a router takes. */
const PASSWORD_LENGTH_MIN = 8;
const PASSWORD_LENGTH_MAX = 64;
/** A reset token is 43 base64url characters; a longer query value is no token. */
const TOKEN_LENGTH_MAX = 256;

function textField(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

function EmailPage(props: PageFrame & { email: string; error?: string | null; saved?: boolean }) {
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.email.title')}>
      <section>
        <h2>{t(language, 'account.email.title')}</h2>
        {props.saved ? (
          <p class="ok" role="status">
            {t(language, 'account.email.saved')}
          </p>
        ) : null}
        {props.error ? <p class="error">{props.error}</p> : null}
        <p class="note">{t(language, 'account.email.note')}</p>
        <form method="post" action={`/account/${props.slug}/email`}>
          <input type="hidden" name="_csrf" value={props.session?.csrfToken ?? ''} />
          <label>
            {t(language, 'account.email.label')}
            <input type="email" name="email" value={props.email} maxlength={254} autocomplete="email" />
          </label>
          <button type="submit">{t(language, 'account.email.save')}</button>
        </form>
      </section>
    </CustomerLayout>
  );
}

function ForgotPage(props: PageFrame & { sent?: boolean }) {
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.forgot.title')}>
      <section>
        <h2>{t(language, 'account.forgot.title')}</h2>
        {props.sent ? (
          <p class="ok" role="status">
            {t(language, 'account.forgot.sent')}
          </p>
        ) : null}
        <p class="note">
          {t(language, 'account.forgot.note', { minutes: RESET_TOKEN_LIFETIME_MS / 60_000 })}
        </p>
        <form method="post" action={`/account/${props.slug}/forgot-password`}>
          <label>
            {t(language, 'account.email.title')}
            <input type="email" name="email" required maxlength={254} autocomplete="email" />
          </label>
          <button type="submit">{t(language, 'account.forgot.send')}</button>
        </form>
      </section>
    </CustomerLayout>
  );
}

function ResetPage(props: PageFrame & { token: string; error?: string | null; done?: boolean }) {
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.reset.title')}>
      <section>
        <h2>{t(language, 'account.reset.title')}</h2>
        {props.error ? <p class="error">{props.error}</p> : null}
        {props.done ? (
          <p class="ok" role="status">
            {t(language, 'account.reset.done')}{' '}
            <a href={`/account/${props.slug}/login`}>{t(language, 'account.login.button')}</a>
          </p>
        ) : (
          <form method="post" action={`/account/${props.slug}/reset-password`}>
            <input type="hidden" name="token" value={props.token} />
            <label>
              {t(language, 'account.password.newLabel', {
                min: PASSWORD_LENGTH_MIN,
                max: PASSWORD_LENGTH_MAX,
              })}
              <input
                type="password"
                name="password"
                required
                minlength={PASSWORD_LENGTH_MIN}
                maxlength={PASSWORD_LENGTH_MAX}
                autocomplete="new-password"
              />
            </label>
            <button type="submit">{t(language, 'account.reset.save')}</button>
          </form>
        )}
      </section>
    </CustomerLayout>
  );
}

const resetFormSchema = z.object({
  token: z.string().min(1).max(TOKEN_LENGTH_MAX),
  password: z.string().min(PASSWORD_LENGTH_MIN).max(PASSWORD_LENGTH_MAX),
});

/** "Forgot password" and its link's page: before the session middleware, they need no sign-in. */
export function mountPasswordResetPages(
  routes: Hono<{ Variables: { signed: SignedSubscriber } }>,
  dependencies: ApiDependencies,
): void {
  const frameOf = async (context: Context, isp: SelfServiceIsp): Promise<PageFrame> => ({
    branding: isp.branding,
    page: await requestLanguage(context, isp.database),
    slug: isp.tenant.slug,
  });

  routes.get('/:slug/forgot-password', async (context) => {
    const isp = await selfServiceIspOf(dependencies, context.req.param('slug'));
    return context.html(
      <ForgotPage {...(await frameOf(context, isp))} sent={context.req.query('sent') === '1'} />,
    );
  });

  routes.post('/:slug/forgot-password', async (context) => {
    const isp = await selfServiceIspOf(dependencies, context.req.param('slug'));
    const form = await context.req.parseBody();
    const email = subscriberEmailSchema.safeParse(textField(form, 'email'));
    // A malformed address is answered like an unknown one: the page never says which exist.
    if (email.success) await requestPasswordReset(dependencies, context, email.data, isp.tenant.slug);
    return context.redirect(`/account/${isp.tenant.slug}/forgot-password?sent=1`, 303);
  });

  routes.get('/:slug/reset-password', async (context) => {
    const isp = await selfServiceIspOf(dependencies, context.req.param('slug'));
    const token = (context.req.query('token') ?? '').slice(0, TOKEN_LENGTH_MAX);
    return context.html(<ResetPage {...(await frameOf(context, isp))} token={token} />);
  });

  routes.post('/:slug/reset-password', async (context) => {
    const isp = await selfServiceIspOf(dependencies, context.req.param('slug'));
    const frame = await frameOf(context, isp);
    const { language } = frame.page;
    const form = await context.req.parseBody();
    const parsed = resetFormSchema.safeParse({
      token: textField(form, 'token'),
      password: textField(form, 'password'),
    });
    const token = textField(form, 'token').slice(0, TOKEN_LENGTH_MAX);
    if (!parsed.success) {
      const error = t(language, 'account.password.tooShort', { min: PASSWORD_LENGTH_MIN });
      return context.html(<ResetPage {...frame} token={token} error={error} />, 400);
    }
    try {
      await confirmPasswordReset(dependencies, context, parsed.data);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      const message =
        error.code === 'validation_failed' ? t(language, 'account.reset.invalid') : error.message;
      return context.html(<ResetPage {...frame} token={token} error={message} />, 400);
    }
    return context.html(<ResetPage {...frame} token="" done />);
  });
}

/** The signed-in subscriber's own email address. */
export function mountEmailPage(
  routes: Hono<{ Variables: { signed: SignedSubscriber } }>,
  dependencies: ApiDependencies,
  frame: (signed: SignedSubscriber, current: 'email') => PageFrame,
): void {
  routes.get('/:slug/email', async (context) => {
    const signed = context.get('signed');
    const { email } = await getSubscriber(signed.database, signed.profile.id);
    return context.html(
      <EmailPage
        {...frame(signed, 'email')}
        email={email ?? ''}
        saved={context.req.query('saved') === '1'}
      />,
    );
  });

  routes.post('/:slug/email', async (context) => {
    const signed = context.get('signed');
    const form = await context.req.parseBody();
    const typed = textField(form, 'email').trim();
    const parsed =
      typed === '' ? { success: true as const, data: null } : subscriberEmailSchema.safeParse(typed);
    if (!parsed.success) {
      return context.html(
        <EmailPage
          {...frame(signed, 'email')}
          email={typed.slice(0, 254)}
          error={t(signed.page.language, 'account.email.invalid')}
        />,
        400,
      );
    }
    const actor = { id: signed.profile.id, tenantId: signed.tenant.id };
    await updateSubscriber(
      signed.database,
      dependencies.secretBox,
      signed.profile.id,
      { email: parsed.data },
      dependencies.clock.now(),
      (entry) =>
        recordAuditAs(dependencies, context, actor, { ...entry, action: 'self_service.email_change' }),
    );
    return context.redirect(`/account/${signed.tenant.slug}/email?saved=1`, 303);
  });
}
