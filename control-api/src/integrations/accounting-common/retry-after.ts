// Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date; both vendors send seconds on a 429.

/** A vendor asking for more than a day is treated as a day: the sync retries tomorrow anyway. */
export const RETRY_AFTER_SECONDS_MAX = 24 * 60 * 60;

/** Seconds to wait, or undefined when the header is absent or unreadable. `nowMs` resolves an HTTP-date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Math.min(Number.parseInt(text, 10), RETRY_AFTER_SECONDS_MAX);
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.min(Math.max(0, Math.ceil((dateMs - nowMs) / 1000)), RETRY_AFTER_SECONDS_MAX);
}
