// Guest passes on the captive portal: `POST /portal/<slug>/api/guest-passes {mac, phone?}` → 201
// {username, password, expiresAt} (issue 13's contract; a refusal is 429 with Retry-After), and the same
// without JavaScript — a form post answered by a page that logs the device in through the router.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { type Language, t } from '../../i18n';
import { requestLanguage } from '../../i18n/request-language';
import { setRetryAfter } from '../../identity/login-limits';
import type { ApiDependencies } from '../../kernel/dependencies';
import { parseJsonBody, parseWith } from '../../kernel/validation';
import { MessagePage, RouterLogin } from '../../portal/page';
import type { RouterContext } from '../../portal/router-login';
import { ispBranding } from '../branding/service';
import { guestPassRequestSchema } from './core/index';
import { guestPassRefusalMessage, inLanguage } from './refusal-words';
import { GuestPassRefused, issueGuestPass } from './service';

/** What the portal's own routes already know how to find. */
export interface PortalLookups {
  tenantAndDatabase(
    slug: string,
  ): Promise<{ tenant: { id: string; slug: string; name: string }; database: SqlDatabase }>;
  routerContext(tenantId: string, values: Record<string, unknown>): Promise<RouterContext>;
  clientAddress(context: Context): string;
}

/** Sets Retry-After from a refusal's `retryAtMs` before the error is rendered in the client's language. */
function withRetryAfter(
  context: Context,
  dependencies: ApiDependencies,
  language: Language,
  error: unknown,
): never {
  if (error instanceof GuestPassRefused && error.refusal.retryAtMs !== null) {
    setRetryAfter(context, error.refusal.retryAtMs - dependencies.clock.now());
  }
  if (error instanceof KiungaError && error.code !== 'validation_failed')
    throw inLanguage(language, error, dependencies.clock.now());
  throw error;
}

export function guestPassPortalRoutes(dependencies: ApiDependencies, portal: PortalLookups): Hono {
  const routes = new Hono();

  routes.post('/:slug/api/guest-passes', async (context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug'));
    const request = await parseJsonBody(context, guestPassRequestSchema);
    try {
      const pass = await issueGuestPass(
        dependencies,
        tenant.id,
        database,
        request,
        portal.clientAddress(context),
      );
      return context.json(pass, 201);
    } catch (error) {
      const { language } = await requestLanguage(context, database);
      return withRetryAfter(context, dependencies, language, error);
    }
  });

  routes.post('/:slug/guest-pass', async (context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = await portal.routerContext(tenant.id, form);
    const branding = await ispBranding(database, tenant.name);
    const pageLanguage = await requestLanguage(context, database);
    const { language } = pageLanguage;
    const page = (kind: 'ok' | 'error', message: string, login?: { username: string; password: string }) => (
      <MessagePage
        branding={branding}
        page={pageLanguage}
        slug={tenant.slug}
        title={t(language, 'portal.guestPass.title')}
        kind={kind}
        message={message}
      >
        {login ? (
          <RouterLogin router={router} code={login.username} password={login.password} language={language} />
        ) : null}
      </MessagePage>
    );
    try {
      const request = parseWith(guestPassRequestSchema, { mac: router.mac ?? '---' });
      const pass = await issueGuestPass(
        dependencies,
        tenant.id,
        database,
        request,
        portal.clientAddress(context),
      );
      return context.html(page('ok', t(language, 'portal.guestPass.ready'), pass));
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      if (error.code === 'validation_failed') {
        return context.html(page('error', t(language, 'portal.guestPass.openFromLogin')), 400);
      }
      if (error instanceof GuestPassRefused && error.refusal.retryAtMs !== null) {
        setRetryAfter(context, error.refusal.retryAtMs - dependencies.clock.now());
      }
      return context.html(
        page('error', guestPassRefusalMessage(language, error, dependencies.clock.now())),
        error.httpStatus as 429,
      );
    }
  });

  return routes;
}
