// A guest-pass refusal in the client's language: the core says why (the limit and when it lifts) and
// the portal words it from the i18n catalogues, the time said in Nairobi as the English message says it.
import { KiungaError } from '@kiunga/schemas';
import { errorMessage, type Language, t } from '../../i18n';
import { nairobiClockTime, nairobiDayContaining } from '../shared/nairobi-time';
import { GuestPassRefused } from './service';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Month names in each language, by the runtime's CLDR data (Node ships full ICU): "4 March", "4 Machi". */
const DATE_LOCALES: Record<Language, string> = { en: 'en-GB', sw: 'sw-KE' };

/** "at 14:05", "tomorrow at 08:00", "on 4 March at 08:00" (Nairobi), rounded up to the minute. */
export function nairobiWhenIn(language: Language, atMs: number, nowMs: number): string {
  const roundedMs = Math.ceil(atMs / MINUTE_MS) * MINUTE_MS;
  const today = nairobiDayContaining(nowMs);
  const time = nairobiClockTime(roundedMs);
  if (roundedMs < today.endMs) return t(language, 'when.at', { time });
  if (roundedMs < today.endMs + DAY_MS) return t(language, 'when.tomorrowAt', { time });
  const date = new Intl.DateTimeFormat(DATE_LOCALES[language], {
    day: 'numeric',
    month: 'long',
    timeZone: 'Africa/Nairobi',
  }).format(new Date(roundedMs));
  return t(language, 'when.onDateAt', { date, time });
}

/** What the portal shows (and the portal API answers) for a refused pass, in `language`. */
export function guestPassRefusalMessage(language: Language, error: KiungaError, nowMs: number): string {
  if (error instanceof GuestPassRefused) {
    const { limitedBy, retryAtMs } = error.refusal;
    if (limitedBy === 'disabled' || retryAtMs === null) return t(language, 'portal.guestPass.disabled');
    const when = nairobiWhenIn(language, retryAtMs, nowMs);
    if (limitedBy === 'device') return t(language, 'portal.guestPass.deviceUsed', { when });
    if (limitedBy === 'phone') return t(language, 'portal.guestPass.phoneUsed', { when });
    return t(language, 'portal.guestPass.dailyCap', { when });
  }
  if (error.code === 'rate_limited') return t(language, 'portal.guestPass.tooMany');
  return errorMessage(language, error.code);
}

/** The same error with its words in `language`: the code and status stay (the API's contract). */
export function inLanguage(language: Language, error: KiungaError, nowMs: number): KiungaError {
  return new KiungaError(error.code, guestPassRefusalMessage(language, error, nowMs), error.httpStatus);
}
