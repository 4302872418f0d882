// Sign-in and sign-out of the web consoles: GET/POST /login, POST /logout.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { FlashMessage } from '../../console/components';
import { formFields, redirectWithFlash, renderHtml, safeNextPath, takeFlash } from '../../console/support';
import { ispBranding } from '../../features/branding/service';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { publicTenantBySlug } from '../../kernel/tenant-access';
import {
  consoleHomePath,
  cookieSessionPrincipal,
  endCookieSession,
  hasValidCsrfToken,
  PASSWORD_CHANGE_PATH,
  startCookieSession,
} from '../console-sessions';
import { verifyLogin } from '../login';
import { isSameSecret, randomSecret } from '../secrets';
import { LoginPage, type LoginPageProps } from './views';

/** Login CSRF (double submit): the form's token must match this cookie, so no site can sign you in as someone else. */
const LOGIN_CSRF_COOKIE_NAME = 'kiunga_login_csrf';
const LOGIN_CSRF_MAX_AGE_SECONDS = 3_600;
const EMAIL_LENGTH_MAX = 254;
const PASSWORD_LENGTH_MAX = 1024;

/** The console a path belongs to, so `next` never lands an account on another kind's console. */
function consoleOfPath(path: string): string {
  return `/${path.split('/')[1] ?? ''}`;
}

export function pageRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const renderLogin = async (
    context: Context<AppEnv>,
    options: {
      email?: string;
      next?: string;
      flash: FlashMessage | null;
      isTotpRequested?: boolean;
      status?: number;
      isp?: LoginPageProps['isp'];
    },
  ) => {
    const csrfToken = getCookie(context, LOGIN_CSRF_COOKIE_NAME) ?? randomSecret(24);
    setCookie(context, LOGIN_CSRF_COOKIE_NAME, csrfToken, {
      path: '/login',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: LOGIN_CSRF_MAX_AGE_SECONDS,
    });
    return renderHtml(
      context,
      <LoginPage
        csrfToken={csrfToken}
        email={options.email ?? ''}
        next={options.next ?? ''}
        flash={options.flash}
        isTotpRequested={options.isTotpRequested ?? false}
        isp={options.isp}
      />,
      options.status ?? 200,
    );
  };

  // `/login/<slug>`: the same sign-in in the ISP's name and colours (an unknown slug is 404).
  const brandingOfSlug = async (slug: string | undefined): Promise<LoginPageProps['isp']> => {
    if (slug === undefined) return undefined;
    const tenant = await publicTenantBySlug(dependencies.databases.platform, slug);
    return {
      slug: tenant.slug,
      branding: await ispBranding(dependencies.databases.forTenant(tenant.id), tenant.name),
    };
  };

  const showLogin = async (context: Context<AppEnv>) => {
    const isp = await brandingOfSlug(context.req.param('slug'));
    const session = await cookieSessionPrincipal(dependencies, context);
    if (session) return context.redirect(consoleHomePath(session.principal), 303);
    const next = safeNextPath(context.req.query('next')) ?? '';
    return renderLogin(context, { next, flash: takeFlash(context), isp });
  };
  routes.get('/login', showLogin);
  routes.get('/login/:slug', showLogin);

  const submitLogin = async (context: Context<AppEnv>) => {
    const isp = await brandingOfSlug(context.req.param('slug'));
    const fields = await formFields(context);
    const expected = getCookie(context, LOGIN_CSRF_COOKIE_NAME);
    const email = (fields.email ?? '').trim().slice(0, EMAIL_LENGTH_MAX);
    const next = safeNextPath(fields.next) ?? '';
    if (!expected || !isSameSecret(expected, fields._csrf ?? '')) {
      return renderLogin(context, {
        email,
        next,
        isp,
        status: 403,
        flash: { kind: 'error', text: 'The sign-in form had expired. Please try again.' },
      });
    }
    const password = (fields.password ?? '').slice(0, PASSWORD_LENGTH_MAX);
    if (!email || !password)
      return renderLogin(context, {
        email,
        next,
        isp,
        status: 400,
        flash: { kind: 'error', text: 'Enter your email and password.' },
      });
    try {
      const principal = await verifyLogin(dependencies, context, {
        email,
        password,
        totp: fields.totp?.replace(/\s/g, '') || undefined,
      });
      await startCookieSession(dependencies, context, principal.id);
      if (principal.mustChangePassword) return context.redirect(PASSWORD_CHANGE_PATH, 303);
      const home = consoleHomePath(principal);
      const target = next && consoleOfPath(next) === home ? next : home;
      return context.redirect(target, 303);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      return renderLogin(context, {
        email,
        next,
        isp,
        status: error.httpStatus,
        isTotpRequested: error.code === 'totp_required' || error.code === 'invalid_totp',
        flash: { kind: 'error', text: error.message },
      });
    }
  };
  routes.post('/login', submitLogin);
  routes.post('/login/:slug', submitLogin);

  routes.post('/logout', async (context) => {
    const session = await cookieSessionPrincipal(dependencies, context);
    // Without a valid CSRF token a third-party page could sign people out; ignore such posts.
    if (session && (await hasValidCsrfToken(context, session.csrfToken)))
      await endCookieSession(dependencies, context);
    else if (session) return context.redirect(consoleHomePath(session.principal), 303);
    return redirectWithFlash(context, '/login', 'ok', 'You are signed out.');
  });

  return routes;
}
