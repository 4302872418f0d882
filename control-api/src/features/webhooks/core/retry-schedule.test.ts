import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_ATTEMPTS_MAX,
  decideAfterDeliveryAttempt,
  RETRY_DELAYS_MS,
  RETRY_WINDOW_MS,
} from './retry-schedule';

const firstAttemptAt = Date.UTC(2030, 0, 14, 7);
const failure = { kind: 'retryable', error: 'the receiver answered HTTP 500' } as const;

/** Runs the schedule as the outbox job would, failing every time; the attempt times. */
function failEveryTime(): number[] {
  const times = [firstAttemptAt];
  for (let attempts = 1; ; attempts += 1) {
    const now = times[times.length - 1] as number;
    const decision = decideAfterDeliveryAttempt(failure, { attempts, firstAttemptAt, now });
    if (decision.status !== 'pending') return times;
    times.push(decision.nextAttemptAt);
  }
}

describe('decideAfterDeliveryAttempt', () => {
  it('marks a delivered attempt delivered', () => {
    expect(
      decideAfterDeliveryAttempt(
        { kind: 'delivered' },
        { attempts: 3, firstAttemptAt, now: firstAttemptAt + 1 },
      ),
    ).toEqual({ status: 'delivered', deliveredAt: firstAttemptAt + 1 });
  });

  it('never retries a refused destination', () => {
    const decision = decideAfterDeliveryAttempt(
      { kind: 'permanent', error: '10.0.0.5 is a private (RFC 1918) address' },
      { attempts: 1, firstAttemptAt, now: firstAttemptAt },
    );
    expect(decision).toEqual({ status: 'failed', lastError: '10.0.0.5 is a private (RFC 1918) address' });
  });

  it('retries with growing waits for at most 24 hours, then gives up', () => {
    const times = failEveryTime();
    expect(times).toHaveLength(DELIVERY_ATTEMPTS_MAX);
    const waits = times.slice(1).map((time, index) => time - (times[index] as number));
    expect(waits).toEqual(RETRY_DELAYS_MS);
    for (let index = 1; index < waits.length; index += 1) {
      expect(waits[index]).toBeGreaterThanOrEqual(waits[index - 1] as number);
    }
    expect((times.at(-1) as number) - firstAttemptAt).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    const last = decideAfterDeliveryAttempt(failure, {
      attempts: DELIVERY_ATTEMPTS_MAX,
      firstAttemptAt,
      now: times.at(-1) as number,
    });
    expect(last).toEqual({
      status: 'failed',
      lastError: `${failure.error} (gave up after ${DELIVERY_ATTEMPTS_MAX} attempts)`,
    });
  });

  it('never schedules an attempt past the window, however late the job ran', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: DELIVERY_ATTEMPTS_MAX }),
        fc.integer({ min: 0, max: 2 * RETRY_WINDOW_MS }),
        (attempts, lateness) => {
          const decision = decideAfterDeliveryAttempt(failure, {
            attempts,
            firstAttemptAt,
            now: firstAttemptAt + lateness,
          });
          return decision.status !== 'pending' || decision.nextAttemptAt - firstAttemptAt <= RETRY_WINDOW_MS;
        },
      ),
    );
  });

  it('keeps stored errors short', () => {
    const decision = decideAfterDeliveryAttempt(
      { kind: 'retryable', error: 'x'.repeat(1_000) },
      { attempts: 1, firstAttemptAt, now: firstAttemptAt },
    );
    expect(decision.status === 'pending' && decision.lastError.length).toBe(300);
  });
});
