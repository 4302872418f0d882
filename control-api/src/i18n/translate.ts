// `t(language, key, variables)` over the two catalogues, counted forms, and which language a client gets
// (`?lang=`, the choice it saved, Accept-Language, the ISP's default).
import { type ErrorCode, errorCatalogue } from '@kiunga/schemas';
import { en, type MessageKey } from './en';
import { sw } from './sw';

export const LANGUAGES = ['en', 'sw'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';
export type { MessageKey } from './en';

export const catalogues: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, sw };

/** `{name}` placeholders of a catalogue text, as a union of names (never when there are none). */
type VariablesIn<Text extends string> = Text extends `${string}{${infer Name}}${infer Rest}`
  ? Name | VariablesIn<Rest>
  : never;
export type VariablesOf<Key extends MessageKey> = VariablesIn<(typeof en)[Key]>;
type VariableValue = string | number;
type VariablesArgument<Names extends string> = [Names] extends [never] ? [] : [Record<Names, VariableValue>];

const PLACEHOLDER = /\{(\w+)\}/g;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function fill(text: string, variables: Readonly<Record<string, VariableValue>>): string {
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = variables[name];
    // The types make every caller pass every variable; reaching here is a programmer error.
    if (value === undefined) throw new Error(`missing variable ${placeholder}`);
    return String(value);
  });
}

/** The text of `key` in `language` with its variables filled in (their values are not translated). */
export function t<Key extends MessageKey>(
  language: Language,
  key: Key,
  ...variables: VariablesArgument<VariablesOf<Key>>
): string {
  return fill(catalogues[language][key], variables[0] ?? {});
}

/** Keys `<base>.one` / `<base>.other`: the forms of a count. */
export type CountedKey = {
  [Key in MessageKey]: Key extends `${infer Base}.one`
    ? `${Base}.other` extends MessageKey
      ? Base
      : never
    : never;
}[MessageKey];
type CountedVariables<Base extends CountedKey> = Exclude<
  VariablesIn<(typeof en)[`${Base}.one` & MessageKey] | (typeof en)[`${Base}.other` & MessageKey]>,
  'count'
>;

/**
 * The form for `count`: `.one` for exactly 1, `.other` otherwise — the CLDR cardinal rule of both English
 * and Swahili (one: i = 1 and v = 0). `{count}` is filled with the number.
 */
export function tCount<Base extends CountedKey>(
  language: Language,
  base: Base,
  count: number,
  ...variables: VariablesArgument<CountedVariables<Base>>
): string {
  const key = `${base}.${count === 1 ? 'one' : 'other'}` as MessageKey;
  return fill(catalogues[language][key], { ...(variables[0] ?? {}), count });
}

/** Accept-Language is read up to this length, and this many ranges: a real browser sends a handful. */
const ACCEPT_LANGUAGE_CHARS_MAX = 1_024;
const ACCEPT_LANGUAGE_RANGES_MAX = 32;
/**
 * Phones sold in Kenya are set to English out of the box, so a browser asking for English says little
 * about its owner; one asking for Swahili was set so on purpose. Accept-Language therefore overrides an
 * ISP's default only to pick Swahili; an English page is always one tap away (`?lang=en`).
 */
const DEVICE_DEFAULT_LANGUAGE: Language = 'en';

/**
 * The supported language Accept-Language ranks highest (RFC 9110 §12.5.4: q-values, `q=0` refuses;
 * RFC 4647 §3.3.1 basic filtering: `sw-KE` is Swahili), or null when it names none. `*` is no preference.
 */
export function preferredLanguageOf(acceptLanguage: string | null | undefined): Language | null {
  if (!acceptLanguage) return null;
  const ranges = acceptLanguage
    .slice(0, ACCEPT_LANGUAGE_CHARS_MAX)
    .split(',')
    .slice(0, ACCEPT_LANGUAGE_RANGES_MAX);
  let best: { language: Language; weight: number } | null = null;
  for (const range of ranges) {
    const [tag = '', ...parameters] = range.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    if (!isLanguage(primary)) continue;
    const quality = parameters.map(
      (parameter) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(parameter)?.[1],
    );
    const weight = quality[0] === undefined ? 1 : Number(quality[0]);
    // Equal weights keep the earlier range: browsers list the preferred one first.
    if (weight > 0 && (best === null || weight > best.weight)) best = { language: primary, weight };
  }
  return best?.language ?? null;
}

export interface LanguageSources {
  /** `?lang=` on this request: a client's explicit switch. */
  readonly query?: string | null | undefined;
  /** The choice the client made earlier (the integration keeps it in a cookie). */
  readonly savedChoice?: string | null | undefined;
  readonly acceptLanguage?: string | null | undefined;
  /** The ISP's setting; English when unset. */
  readonly ispDefault?: Language | null | undefined;
}

/** In order: `?lang=`, the saved choice, Accept-Language (see DEVICE_DEFAULT_LANGUAGE), the ISP default. */
export function chooseLanguage(sources: LanguageSources): Language {
  if (isLanguage(sources.query)) return sources.query;
  if (isLanguage(sources.savedChoice)) return sources.savedChoice;
  const ispDefault = sources.ispDefault ?? DEFAULT_LANGUAGE;
  const preferred = preferredLanguageOf(sources.acceptLanguage);
  if (preferred !== null && preferred !== DEVICE_DEFAULT_LANGUAGE) return preferred;
  return ispDefault;
}

/** Error codes a client can read (RADIUS Reply-Message, portal pages): each has an `error.<code>` key. */
export type ClientErrorCode = {
  [Key in MessageKey]: Key extends `error.${infer Code}` ? (Code extends ErrorCode ? Code : never) : never;
}[MessageKey];

export function isClientErrorCode(code: ErrorCode): code is ClientErrorCode {
  return Object.hasOwn(en, `error.${code}`);
}

/**
 * The message of an error for a client in `language`; codes only staff see (M-Pesa setup, tenancy) keep
 * the catalogue's English, which is all they have.
 */
export function errorMessage(language: Language, code: ErrorCode): string {
  return isClientErrorCode(code) ? t(language, `error.${code}`) : errorCatalogue[code].message;
}
