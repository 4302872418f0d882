// What happens to an outbox message after one send attempt: sent, failed for good, or tried again
// later with backoff. Pure: the job passes the attempt's outcome, the attempt count and the time.

/** Attempts before a message that keeps failing for now is given up: about 3 hours with the backoff below. */
export const SEND_ATTEMPTS_MAX = 5;
/**
 * Wait before attempt n+1 after a transient failure at attempt n (the last entry repeats): long enough
 * for a gateway outage or a top-up of the ISP's balance, short enough that a reminder still arrives the same day.
 */
export const RETRY_BACKOFF_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
/** Stored error texts are for people; the gateway's own words are cut to this. */
export const LAST_ERROR_CHARS_MAX = 300;

export type SendAttemptOutcome =
  | { readonly kind: 'sent'; readonly providerMessageId: string | null }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'retryable'; readonly reason: string };

export type SendDecision =
  | { readonly status: 'sent'; readonly providerMessageId: string | null; readonly sentAt: number }
  | { readonly status: 'failed'; readonly lastError: string }
  | { readonly status: 'pending'; readonly lastError: string; readonly nextAttemptAt: number };

/** `attempts` counts the attempt just made. */
export function decideAfterAttempt(
  outcome: SendAttemptOutcome,
  attempts: number,
  nowMs: number,
): SendDecision {
  if (outcome.kind === 'sent') {
    return { status: 'sent', providerMessageId: outcome.providerMessageId, sentAt: nowMs };
  }
  const reason = outcome.reason.slice(0, LAST_ERROR_CHARS_MAX);
  if (outcome.kind === 'failed') return { status: 'failed', lastError: reason };
  if (attempts >= SEND_ATTEMPTS_MAX) {
    return { status: 'failed', lastError: `${reason} (gave up after ${attempts} attempts)` };
  }
  const backoffIndex = Math.min(Math.max(attempts, 1), RETRY_BACKOFF_MS.length) - 1;
  const backoffMs = RETRY_BACKOFF_MS[backoffIndex] ?? 60_000;
  return { status: 'pending', lastError: reason, nextAttemptAt: nowMs + backoffMs };
}
