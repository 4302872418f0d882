import { describe, expect, it } from 'vitest';
import { decideAfterAttempt, RETRY_BACKOFF_MS, SEND_ATTEMPTS_MAX } from './send-policy';

const now = Date.UTC(2030, 0, 14, 7);

describe('decideAfterAttempt', () => {
  it('marks a sent message sent with the gateway id', () => {
    expect(decideAfterAttempt({ kind: 'sent', providerMessageId: 'ATXid_1' }, 1, now)).toEqual({
      status: 'sent',
      providerMessageId: 'ATXid_1',
      sentAt: now,
    });
  });

  it('fails a permanent failure at once, whatever the attempt', () => {
    expect(decideAfterAttempt({ kind: 'failed', reason: 'InvalidPhoneNumber' }, 1, now)).toEqual({
      status: 'failed',
      lastError: 'InvalidPhoneNumber',
    });
  });

  it('backs off longer after each transient failure, then gives up', () => {
    const waits = [];
    for (let attempts = 1; attempts < SEND_ATTEMPTS_MAX; attempts += 1) {
      const decision = decideAfterAttempt({ kind: 'retryable', reason: 'GatewayError' }, attempts, now);
      expect(decision.status).toBe('pending');
      if (decision.status === 'pending') waits.push(decision.nextAttemptAt - now);
    }
    expect(waits).toEqual(RETRY_BACKOFF_MS.slice(0, SEND_ATTEMPTS_MAX - 1));
    expect(decideAfterAttempt({ kind: 'retryable', reason: 'GatewayError' }, SEND_ATTEMPTS_MAX, now)).toEqual(
      {
        status: 'failed',
        lastError: `GatewayError (gave up after ${SEND_ATTEMPTS_MAX} attempts)`,
      },
    );
  });

  it('keeps stored reasons short', () => {
    const decision = decideAfterAttempt({ kind: 'failed', reason: 'x'.repeat(1_000) }, 1, now);
    expect(decision.status === 'failed' && decision.lastError.length).toBe(300);
  });
});
