// Guest passes on the captive portal: `POST /portal/<slug>/api/guest-passes {mac, phone?}` → 201
// {username, password, expiresAt} (issue 13's contract; a refusal is 429 with Retry-After), and the same
// without JavaScript — a form post answered by a page that logs the device in through the router.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { errorMessage, isClientErrorCode, type Language, t } from '../../i18n';
import { requestLanguage } from '../../i18n/request-language';
import { setRetryAfter } from '../../identity/login-limits';
import type { ApiDependencies } from '../../kernel/dependencies';
import { parseJsonBody, parseWith } from '../../kernel/validation';
import { MessagePage, RouterFields, RouterLogin } from '../../portal/page';
import type { RouterContext } from '../../portal/router-login';
import { ispBranding } from '../branding/service';
import { nairobiWhenParts } from '../shared/nairobi-time';
import { type GuestPassRefusal, guestPassRequestSchema, phoneCodeRequestSchema } from './core/index';
import { sendGuestPassPhoneCode } from './phone-codes';
import { GuestPassCodeForm } from './portal-section';
import { GuestPassRefused, issueGuestPass } from './service';

/** What the portal's own routes already know how to find. */
export interface PortalLookups {
  tenantAndDatabase(
    slug: string,
  ): Promise<{ tenant: { id: string; slug: string; name: string }; database: SqlDatabase }>;
  routerContext(tenantId: string, values: Record<string, unknown>): Promise<RouterContext>;
  clientAddress(context: Context): string;
}

const REFUSAL_KEYS = {
  device: 'portal.guestPass.refusedDevice',
  phone: 'portal.guestPass.refusedPhone',
  daily_cap: 'portal.guestPass.refusedDailyCap',
} as const;

const WHEN_KEYS = {
  today: 'portal.guestPass.whenToday',
  tomorrow: 'portal.guestPass.whenTomorrow',
  date: 'portal.guestPass.whenDate',
} as const;

/** A refusal in the client's language: the limit and when to try again, or the code's own message. */
function refusalMessage(language: Language, refusal: GuestPassRefusal, nowMs: number): string {
  if (refusal.limit === null || refusal.retryAtMs === null) return errorMessage(language, refusal.code);
  const when = nairobiWhenParts(refusal.retryAtMs, nowMs);
  return t(language, REFUSAL_KEYS[refusal.limit], {
    when: t(language, WHEN_KEYS[when.day], { time: when.time, date: when.date }),
  });
}

/** The error as the client reads it (its language); Retry-After set from a refusal's `retryAtMs`. */
function clientError(
  context: Context,
  dependencies: ApiDependencies,
  language: Language,
  error: unknown,
): unknown {
  if (!(error instanceof KiungaError)) return error;
  const nowMs = dependencies.clock.now();
  if (error instanceof GuestPassRefused) {
    if (error.refusal.retryAtMs !== null) setRetryAfter(context, error.refusal.retryAtMs - nowMs);
    return new KiungaError(error.code, refusalMessage(language, error.refusal, nowMs), error.httpStatus);
  }
  if (!isClientErrorCode(error.code)) return error;
  return new KiungaError(error.code, errorMessage(language, error.code), error.httpStatus, error.details);
}

export function guestPassPortalRoutes(dependencies: ApiDependencies, portal: PortalLookups): Hono {
  const routes = new Hono();

  routes.post('/:slug/api/guest-passes', async (context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug'));
    const request = await parseJsonBody(context, guestPassRequestSchema);
    const { language } = await requestLanguage(context, database);
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
      throw clientError(context, dependencies, language, error);
    }
  });

  routes.post('/:slug/api/guest-passes/codes', async (context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug'));
    const request = await parseJsonBody(context, phoneCodeRequestSchema);
    const { language } = await requestLanguage(context, database);
    try {
      const sent = await sendGuestPassPhoneCode(dependencies, tenant.id, database, {
        phone: request.phone,
        address: portal.clientAddress(context),
        language,
      });
      return context.json(sent, 202);
    } catch (error) {
      const retryAtMs = (error as KiungaError).details as { retryAtMs?: number } | undefined;
      if (retryAtMs?.retryAtMs !== undefined) {
        setRetryAfter(context, retryAtMs.retryAtMs - dependencies.clock.now());
      }
      throw clientError(context, dependencies, language, error);
    }
  });

  routes.post('/:slug/guest-pass', async (context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = await portal.routerContext(tenant.id, form);
    const branding = await ispBranding(database, tenant.name);
    const pageLanguage = await requestLanguage(context, database);
    const { language } = pageLanguage;
    const page = (
      kind: 'ok' | 'error',
      message: string,
      login?: { username: string; password: string },
      next?: Child,
    ) => (
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
        {next}
      </MessagePage>
    );
    const typed = (name: string) => {
      const value = form[name];
      return typeof value === 'string' && value.trim() !== '' ? value : undefined;
    };
    try {
      if (router.mac === null) throw new KiungaError('validation_failed');
      const phone = typed('phone');
      if (phone !== undefined && typed('code') === undefined) {
        // The phone check's first step: the code goes by SMS, the page asks for it.
        const { phone: normalised } = parseWith(phoneCodeRequestSchema, { phone });
        await sendGuestPassPhoneCode(dependencies, tenant.id, database, {
          phone: normalised,
          address: portal.clientAddress(context),
          language,
        });
        const codeForm = (
          <GuestPassCodeForm
            language={language}
            action={`/portal/${tenant.slug}/guest-pass`}
            phone={normalised}
            routerFields={<RouterFields router={router} />}
          />
        );
        return context.html(
          page(
            'ok',
            t(language, 'portal.guestPass.codeSent', { phone: `+${normalised}` }),
            undefined,
            codeForm,
          ),
        );
      }
      const request = parseWith(guestPassRequestSchema, {
        mac: router.mac,
        ...(phone === undefined ? {} : { phone }),
        ...(typed('code') === undefined ? {} : { code: typed('code') }),
      });
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
        const message =
          router.mac === null
            ? t(language, 'portal.guestPass.openFromLogin')
            : errorMessage(language, error.code);
        return context.html(page('error', message), 400);
      }
      const refused = clientError(context, dependencies, language, error) as KiungaError;
      return context.html(page('error', refused.message), refused.httpStatus as 429);
    }
  });

  return routes;
}
