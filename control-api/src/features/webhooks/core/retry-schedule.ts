// What happens to a webhook delivery after one attempt: delivered, given up, or tried again later with
// backoff for at most 24 hours (issue 14). Pure: the outbox job passes the outcome, the count and the times.

/** How long Kiunga keeps trying one delivery (issue 14: "retried with backoff for 24 h"). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Wait before attempt n+1 after a failed attempt n: quick at first (a receiver restarting), then hours
 * (a receiver down for the night). They add up to 23 h 36 min, inside the window; after the last, give up.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 60 * 60_000,
  5 * 60 * 60_000,
  8 * 60 * 60_000,
  8 * 60 * 60_000,
];
/** The first attempt plus one per delay. */
export const DELIVERY_ATTEMPTS_MAX = RETRY_DELAYS_MS.length + 1;
/** Stored error texts are for people reading the delivery log. */
export const LAST_ERROR_CHARS_MAX = 300;

export type AttemptResult =
  | { readonly kind: 'delivered' }
  /** Worth another try: no answer, a timeout, or any non-2xx status. */
  | { readonly kind: 'retryable'; readonly error: string }
  /** Never worth another try: the destination is refused (SSRF guard) or the endpoint is gone. */
  | { readonly kind: 'permanent'; readonly error: string };

export type DeliveryDecision =
  | { readonly status: 'delivered'; readonly deliveredAt: number }
  | { readonly status: 'failed'; readonly lastError: string }
  | { readonly status: 'pending'; readonly lastError: string; readonly nextAttemptAt: number };

export interface AttemptCounts {
  /** Attempts made, the one just made included. */
  readonly attempts: number;
  /** When the first attempt was made (the window counts from there). */
  readonly firstAttemptAt: number;
  readonly now: number;
}

export function decideAfterDeliveryAttempt(result: AttemptResult, counts: AttemptCounts): DeliveryDecision {
  if (!Number.isInteger(counts.attempts) || counts.attempts < 1) throw new RangeError('attempts start at 1');
  if (result.kind === 'delivered') return { status: 'delivered', deliveredAt: counts.now };
  const lastError = result.error.slice(0, LAST_ERROR_CHARS_MAX);
  if (result.kind === 'permanent') return { status: 'failed', lastError };
  const delay = RETRY_DELAYS_MS[counts.attempts - 1];
  if (delay === undefined) {
    return { status: 'failed', lastError: `${lastError} (gave up after ${counts.attempts} attempts)` };
  }
  const nextAttemptAt = counts.now + delay;
  if (nextAttemptAt - counts.firstAttemptAt > RETRY_WINDOW_MS) {
    return { status: 'failed', lastError: `${lastError} (gave up after 24 hours)` };
  }
  return { status: 'pending', lastError, nextAttemptAt };
}
