// The language of the request that starts a sign-up or asks for a new code: its SMS and email are written in it.
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { chooseLanguage, LANGUAGE_COOKIE, type Language } from '../../i18n';

/**
 * `?lang=`, the `lang` cookie, Accept-Language, else English (no ISP default: the ISP is being made). Read
 * only: the web pages remember a `?lang=` choice themselves (`frontLanguageOf` in `console.tsx`).
 */
export function signupLanguageOf(context: Context): Language {
  return chooseLanguage({
    query: context.req.query('lang'),
    savedChoice: getCookie(context, LANGUAGE_COOKIE),
    acceptLanguage: context.req.header('accept-language'),
  });
}
