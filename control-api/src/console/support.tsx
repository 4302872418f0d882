// Helpers shared by the console page routes: HTML rendering, flash messages, form fields, the
// branded shell of an ISP page, and the error handler that turns failures into pages.
import { type Branding, type ErrorCode, KiungaError } from '@kiunga/schemas';
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { readBranding, readTenantProfile, type TenantProfile } from '../features/branding/service';
import { authenticateConsole, CSRF_HEADER_NAME, consoleHomePath } from '../identity/console-sessions';
import type { Permission, Principal } from '../identity/permissions';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { type Feature, tenantFeatures } from '../kernel/middleware/require-feature';
import type { Page } from '../kernel/pagination';
import { tenantDatabaseOf } from '../kernel/tenant-access';
import type { FlashMessage } from './components';
import { ErrorPage } from './error';
import type { TenantNavItem } from './isp-nav';
import type { ConsoleShell, PlatformBanner } from './layout';
import { themeCss } from './styles';

export const FLASH_COOKIE_NAME = 'kiunga_flash';
/** A flash message lives until the next page shows it, or a minute at most. */
const FLASH_MAX_AGE_SECONDS = 60;
const FLASH_TEXT_LENGTH_MAX = 500;
/** Rows on one console page: a phone screen or two of a table. */
export const CONSOLE_PAGE_SIZE = 25;

type PageElement = unknown;

/** Renders a JSX page as a complete HTML document. */
export async function renderHtml(context: Context, element: PageElement, status = 200): Promise<Response> {
  const text = String(await (element as Promise<string> | string));
  return context.html(`<!DOCTYPE html>${text}`, status as 200);
}

export function setFlash(context: Context, flash: FlashMessage): void {
  const text = flash.text.slice(0, FLASH_TEXT_LENGTH_MAX);
  setCookie(context, FLASH_COOKIE_NAME, JSON.stringify({ kind: flash.kind, text }), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: FLASH_MAX_AGE_SECONDS,
  });
}

/** The pending flash message, cleared so it shows once. */
export function takeFlash(context: Context): FlashMessage | null {
  const value = getCookie(context, FLASH_COOKIE_NAME);
  if (!value) return null;
  deleteCookie(context, FLASH_COOKIE_NAME, { path: '/' });
  try {
    const parsed = JSON.parse(value) as { kind?: unknown; text?: unknown };
    if ((parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string')
      return { kind: parsed.kind, text: parsed.text.slice(0, FLASH_TEXT_LENGTH_MAX) };
  } catch {
    // A mangled cookie is simply no message.
  }
  return null;
}

/** Post/redirect/get: the next page shows the message. */
export function redirectWithFlash(context: Context, path: string, kind: FlashMessage['kind'], text: string) {
  setFlash(context, { kind, text });
  return context.redirect(path, 303);
}

/** The submitted form's text fields (the body was parsed and cached by the CSRF check). */
export async function formFields(context: Context): Promise<Record<string, string>> {
  const body = await context.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

/** Every value of a repeated field (checkboxes of one name), e.g. the chosen permissions. */
export async function formValues(context: Context, name: string): Promise<string[]> {
  const value = (await context.req.parseBody({ all: true }))[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((item): item is string => typeof item === 'string');
}

/** A trimmed field, or undefined when left empty. */
export function optionalText(fields: Record<string, string>, name: string): string | undefined {
  const value = fields[name]?.trim();
  return value ? value : undefined;
}

/** A number field, or undefined when empty; a non-number is passed on for zod to reject by name. */
export function optionalNumber(fields: Record<string, string>, name: string): number | undefined {
  const value = optionalText(fields, name);
  return value === undefined ? undefined : Number(value);
}

/** Shillings as people type them: "1500", "1,500", "49.5" or "49.50" (no sign, at most two decimals). */
const SHILLINGS_PATTERN = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** A list page's query: its cursor and the named filters, trimmed, blank ones left out. */
export function pageQuery(context: Context, names: readonly string[]): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = { cursor: context.req.query('cursor') };
  for (const name of names) query[name] = context.req.query(name)?.trim() || undefined;
  return query;
}

/**
 * Shillings typed into a money form into integer cents, by the digits rather than through a float
 * (so "0.29" is 29 cents, never 28.999…); anything else is a validation error naming the field.
 */
export function shillingsToCents(text: string | undefined, label: string): number {
  const match = SHILLINGS_PATTERN.exec((text ?? '').trim().replace(/[,\s]/g, ''));
  if (!match)
    throw new KiungaError('validation_failed', `${label}: type an amount in shillings, e.g. 1500 or 49.50.`);
  const [, shillings = '0', fraction = ''] = match;
  return Number(shillings) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Shillings as typed (e.g. "50" or "49.50") into cents. */
export function optionalCents(fields: Record<string, string>, name: string): number | undefined {
  const typed = fields[name]?.trim();
  return typed ? shillingsToCents(typed, name[0]!.toUpperCase() + name.slice(1)) : undefined;
}

/** What the user typed, kept for the page they return to after a form error (passwords never kept). */
const DRAFT_COOKIE_NAME = 'kiunga_draft';
/** A cookie holds about 4 KB; a bigger draft is simply not kept. */
const DRAFT_LENGTH_MAX = 3_000;

function saveDraft(context: Context, backPath: string, fields: Record<string, string>): void {
  const kept = Object.fromEntries(
    Object.entries(fields).filter(([name]) => name !== '_csrf' && !/password|secret|code/i.test(name)),
  );
  const value = JSON.stringify({ path: backPath.split('?')[0], fields: kept });
  if (value.length > DRAFT_LENGTH_MAX) return;
  setCookie(context, DRAFT_COOKIE_NAME, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: FLASH_MAX_AGE_SECONDS,
  });
}

/** The submitted fields; a repeated field (checkboxes) becomes its values joined by commas. */
async function draftFieldsOf(context: Context): Promise<Record<string, string>> {
  try {
    const body = await context.req.parseBody({ all: true });
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      const values = (Array.isArray(value) ? value : [value]).filter((item) => typeof item === 'string');
      if (values.length > 0) fields[name] = values.join(',');
    }
    return fields;
  } catch {
    return {};
  }
}

/** The fields typed into this page's form before a validation error, or null; shown once. */
export function takeDraft(context: Context): Record<string, string> | null {
  const value = getCookie(context, DRAFT_COOKIE_NAME);
  if (!value) return null;
  deleteCookie(context, DRAFT_COOKIE_NAME, { path: '/' });
  try {
    const parsed = JSON.parse(value) as { path?: unknown; fields?: unknown };
    if (parsed.path !== context.req.path || typeof parsed.fields !== 'object' || parsed.fields === null)
      return null;
    return Object.fromEntries(
      Object.entries(parsed.fields).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return null;
  }
}

/**
 * Runs a form action; a problem the user can fix (invalid input, conflict, not found, an unpaid Kiunga
 * subscription (402, the console is read-only), and any
 * `alsoShownStatuses`) returns them to `backPath` with the message and their typed values.
 * Forbidden and CSRF failures go on to the error page.
 */
export async function withFormErrors(
  context: Context,
  backPath: string,
  action: () => Promise<Response> | Response,
  alsoShownStatuses: number[] = [],
): Promise<Response> {
  try {
    return await action();
  } catch (error) {
    if (
      error instanceof KiungaError &&
      [400, 402, 404, 409, ...alsoShownStatuses].includes(error.httpStatus) &&
      error.code !== 'csrf_failed'
    ) {
      if (error.httpStatus !== 404) saveDraft(context, backPath, await draftFieldsOf(context));
      return redirectWithFlash(context, backPath, 'error', error.message);
    }
    throw error;
  }
}

/** The app's own fetch: console pages act through the JSON API in-process, with the visitor's session. */
export type AppFetch = (request: Request, env: unknown) => Response | Promise<Response>;

const INTERNAL_ORIGIN = 'http://console.internal';

/**
 * Calls the REST API as the signed-in visitor (same cookie, session CSRF token), so a console
 * action gets exactly the API's validation, permissions, feature flags, audit and CoA.
 * An API error is thrown as the KiungaError it was.
 */
export async function callApi<Result>(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Result> {
  const headers = new Headers({ accept: 'application/json', cookie: context.req.header('cookie') ?? '' });
  if (method !== 'GET') headers.set(CSRF_HEADER_NAME, context.get('csrfToken') ?? '');
  // A FormData body (a file upload) goes as multipart, with the boundary fetch writes itself.
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers.set('content-type', 'application/json');
  const request = new Request(`${INTERNAL_ORIGIN}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
  });
  const response = await fetchApp(request, context.env);
  const contentType = response.headers.get('content-type') ?? '';
  const payload: unknown = contentType.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    throw new KiungaError(
      (error?.code ?? 'internal_error') as ErrorCode,
      error?.message ?? 'The request failed.',
      response.status,
    );
  }
  return payload as Result;
}

/** `path?query` without empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]): [string, string] => [name, String(value)]);
  return entries.length === 0 ? path : `${path}?${new URLSearchParams(entries).toString()}`;
}

/** One console page of an API collection: the page's query (cursor, filters) at the console's page size. */
export function callApiPage<Item>(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
  path: string,
  query: Record<string, string | number | undefined>,
): Promise<Page<Item>> {
  return callApi<Page<Item>>(
    context,
    fetchApp,
    'GET',
    withQuery(path, { ...query, limit: CONSOLE_PAGE_SIZE }),
  );
}

/** A same-site path to return to after sign-in, or null. */
export function safeNextPath(value: string | undefined): string | null {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  return value;
}

/** Console pages: a cookie session, then the given check of who may use this console. */
export function consoleAccess(
  dependencies: ApiDependencies,
  isAllowed: (principal: Principal) => boolean,
): MiddlewareHandler<AppEnv>[] {
  return [
    authenticateConsole(dependencies, { loginPath: '/login' }),
    async (context, next) => {
      const principal = context.get('principal');
      if (!isAllowed(principal)) return context.redirect(consoleHomePath(principal), 303);
      await loadTenantShellFacts(context, dependencies);
      await next();
    },
  ];
}

/** The principal lacks this permission: 403 page (the server enforces what the page hides). */
export function assertPermission(context: Context<AppEnv>, permission: Permission): void {
  if (!context.get('principal').permissions.has(permission))
    throw new KiungaError('forbidden', `You need the '${permission}' permission to do this.`);
}

export function can(context: Context<AppEnv>, permission: Permission): boolean {
  return context.get('principal').permissions.has(permission);
}

/**
 * The platform-account banner of this request, set once by the ISP console's middleware
 * (setPlatformBanner) and read by every shell built for the request: one status read per page.
 */
const platformBanners = new WeakMap<Request, PlatformBanner>();

export function setPlatformBanner(context: Context, banner: PlatformBanner | null): void {
  if (banner) platformBanners.set(context.req.raw, banner);
}

/** What the shell of an ISP page shows of the ISP: its branding, name and the features of its plan. */
interface TenantShellFacts {
  branding: Branding;
  profile: TenantProfile;
  hasFeature: (feature: Feature) => boolean;
}

/** Read once per request by the console's middleware (loadTenantShellFacts), before the page is built. */
const tenantShellFactsOfRequest = new WeakMap<Request, TenantShellFacts>();

/**
 * Reads what every shell of this request shows of a signed-in ISP account's ISP, so that building a
 * shell (tenantShell) needs no database call; nothing for platform accounts.
 */
export async function loadTenantShellFacts(
  context: Context<AppEnv>,
  dependencies: ApiDependencies,
): Promise<void> {
  const tenantId = context.get('principal').tenantId;
  if (tenantId === null) return;
  const platform = dependencies.databases.platform;
  tenantShellFactsOfRequest.set(context.req.raw, {
    branding: await readBranding(tenantDatabaseOf(context, dependencies)),
    profile: await readTenantProfile(platform, tenantId),
    hasFeature: await tenantFeatures(platform, tenantId),
  });
}

/** The shell of an ISP page (console or technician panel), in the ISP's own name, logo and colours. */
export function tenantShell(
  context: Context<AppEnv>,
  _dependencies: ApiDependencies,
  nav: TenantNavItem[],
): ConsoleShell {
  const principal = context.get('principal');
  const facts = tenantShellFactsOfRequest.get(context.req.raw);
  if (!facts) throw new Error('tenantShell before loadTenantShellFacts: mount the page behind consoleAccess');
  const { branding, profile, hasFeature } = facts;
  return {
    brandName: branding.displayName ?? profile.name,
    logo: branding.logo,
    themeCss: themeCss(branding),
    nav: nav
      .filter((item) => !item.permission || principal.permissions.has(item.permission))
      .filter((item) => !item.feature || hasFeature(item.feature))
      .filter((item) => !item.isOwnerOnly || principal.kind === 'isp_owner')
      .map(({ href, label }) => ({ href, label })),
    currentPath: context.req.path,
    csrfToken: context.get('csrfToken') ?? '',
    flash: takeFlash(context),
    accountEmail: principal.email,
    banner: platformBanners.get(context.req.raw) ?? null,
  };
}

/** Console failures as pages: sign-in again, 403 forbidden, 404, expired form, or 500. */
export function consoleErrorHandler(dependencies: ApiDependencies): ErrorHandler<AppEnv> {
  return async (error, context) => {
    const principal = context.get('principal') as Principal | undefined;
    const homePath = principal ? consoleHomePath(principal) : '/login';
    if (error instanceof KiungaError) {
      if (error.httpStatus === 401) return context.redirect('/login', 303);
      const title =
        error.code === 'csrf_failed'
          ? 'Form expired'
          : error.httpStatus === 403
            ? 'Not allowed'
            : error.httpStatus === 404
              ? 'Not found'
              : 'Could not do that';
      return renderHtml(
        context,
        <ErrorPage status={error.httpStatus} title={title} message={error.message} homePath={homePath} />,
        error.httpStatus,
      );
    }
    dependencies.logger.error({ err: error, path: context.req.path }, 'console page failed');
    return renderHtml(
      context,
      <ErrorPage
        status={500}
        title="Something went wrong"
        message="Something went wrong on our side."
        homePath={homePath}
      />,
      500,
    );
  };
}
