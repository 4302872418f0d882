// The language of one portal request (captive portal, customer pages): `?lang=` (remembered in a cookie),
// the cookie, Accept-Language, the ISP's default; and the link that switches to the other language.
import { readTenantRadiusSettings, type SqlDatabase } from '@kiunga/schemas';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { chooseLanguage, isLanguage, type Language, t } from './translate';

/** The cookie that keeps a client's own choice; both portals read it. */
export const LANGUAGE_COOKIE = 'lang';
/** A year: the choice is the client's, kept until they switch again (it holds no personal data). */
const LANGUAGE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface PageLanguage {
  language: Language;
  /** The same page in the other language (its query kept: the router's login fields travel in it). */
  switchHref: string;
  /** The other language's own name ("Kiswahili" on an English page). */
  switchLabel: string;
}

export function otherLanguage(language: Language): Language {
  return language === 'sw' ? 'en' : 'sw';
}

/** The page's language; `?lang=` is also remembered in the `lang` cookie for the next pages. */
export function pageLanguageOf(context: Context, ispDefault: Language | null): PageLanguage {
  const query = context.req.query('lang');
  if (isLanguage(query)) {
    setCookie(context, LANGUAGE_COOKIE, query, {
      path: '/',
      sameSite: 'Lax',
      httpOnly: true,
      maxAge: LANGUAGE_COOKIE_MAX_AGE_SECONDS,
    });
  }
  const language = chooseLanguage({
    query,
    savedChoice: getCookie(context, LANGUAGE_COOKIE),
    acceptLanguage: context.req.header('accept-language'),
    ispDefault,
  });
  const other = otherLanguage(language);
  const url = new URL(context.req.url);
  url.searchParams.set('lang', other);
  // A form post's answer switches on the portal's first page (/portal/<slug>, /account/<slug>), not on a
  // GET of the post's own address.
  const path = context.req.method === 'GET' ? url.pathname : url.pathname.split('/').slice(0, 3).join('/');
  return {
    language,
    switchHref: `${path}?${url.searchParams.toString()}`,
    switchLabel: t(other, 'language.name'),
  };
}

/** The language the client chose themselves (`?lang=` or the cookie), or null when they did not. */
export function explicitLanguageOf(context: Context): Language | null {
  const query = context.req.query('lang');
  if (isLanguage(query)) return query;
  const saved = getCookie(context, LANGUAGE_COOKIE);
  return isLanguage(saved) ? saved : null;
}

/** The ISP's default client language (PUT /api/v1/settings/language). */
export async function ispLanguageOf(database: SqlDatabase): Promise<Language> {
  return (await readTenantRadiusSettings(database)).clientLanguage;
}

/** pageLanguageOf with the ISP's default read from its database. */
export async function requestLanguage(context: Context, database: SqlDatabase): Promise<PageLanguage> {
  return pageLanguageOf(context, await ispLanguageOf(database));
}
