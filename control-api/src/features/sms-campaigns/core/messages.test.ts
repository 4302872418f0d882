// The message state machine: allowed moves, retries with backoff, late and repeated delivery reports.
import { describe, expect, it } from 'vitest';
import { SEND_ATTEMPTS_MAX } from '../../../kernel/send-policy';
import {
  applyMessageEvent,
  CLAIM_STALE_MS,
  IllegalMessageTransition,
  queuedMessage,
  staleClaims,
} from './messages';

const NOW = Date.UTC(2026, 1, 10, 9);
const queued = queuedMessage({ id: 'msg_1', to: '+254712000001', text: 'Hello', parts: 1 });
const sending = applyMessageEvent(queued, { type: 'claim', atMs: NOW });
const sent = applyMessageEvent(sending, { type: 'accepted', providerMessageId: 'ATXid_1' });

describe('applyMessageEvent', () => {
  it('goes queued → sending → sent → delivered', () => {
    expect(sending).toMatchObject({ status: 'sending', claimedAtMs: NOW });
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: 'ATXid_1' });
    expect(applyMessageEvent(sent, { type: 'delivery_report', status: 'Success' }).status).toBe('delivered');
  });

  it('keeps a final delivery status against repeats and late on-the-way reports', () => {
    const undelivered = applyMessageEvent(sent, {
      type: 'delivery_report',
      status: 'Failed',
      failureReason: 'UserDoesNotExist',
    });
    expect(undelivered).toMatchObject({ status: 'undelivered', lastError: 'UserDoesNotExist' });
    expect(applyMessageEvent(undelivered, { type: 'delivery_report', status: 'Success' })).toBe(undelivered);
    expect(applyMessageEvent(sent, { type: 'delivery_report', status: 'Buffered' })).toBe(sent);
  });

  it('backs off a message the gateway did not send, then gives up after the attempt limit', () => {
    let message = sending;
    for (let attempt = 1; attempt < SEND_ATTEMPTS_MAX; attempt += 1) {
      message = applyMessageEvent(message, { type: 'retry_later', reason: 'GatewayError', atMs: NOW });
      expect(message).toMatchObject({ status: 'queued', attempts: attempt });
      expect(message.nextAttemptAtMs).toBeGreaterThan(NOW);
      message = applyMessageEvent(message, { type: 'claim', atMs: NOW });
    }
    message = applyMessageEvent(message, { type: 'retry_later', reason: 'GatewayError', atMs: NOW });
    expect(message).toMatchObject({
      status: 'failed',
      lastError: `GatewayError (gave up after ${SEND_ATTEMPTS_MAX} attempts)`,
    });
  });

  it('never moves a message back to queued unless it was not sent or a person resends it', () => {
    const unknown = applyMessageEvent(sending, { type: 'outcome_lost', reason: 'timeout' });
    expect(unknown.status).toBe('unknown');
    expect(() => applyMessageEvent(unknown, { type: 'claim', atMs: NOW })).toThrow(IllegalMessageTransition);
    expect(() => applyMessageEvent(sent, { type: 'retry_later', reason: 'x', atMs: NOW })).toThrow(
      IllegalMessageTransition,
    );
    expect(() => applyMessageEvent(queued, { type: 'accepted', providerMessageId: 'x' })).toThrow(
      IllegalMessageTransition,
    );
    expect(applyMessageEvent(unknown, { type: 'resend' })).toMatchObject({
      status: 'queued',
      providerMessageId: null,
    });
    expect(applyMessageEvent(queued, { type: 'cancel' }).status).toBe('cancelled');
    expect(() => applyMessageEvent(sending, { type: 'cancel' })).toThrow(IllegalMessageTransition);
  });

  it('finds claims left by a sender that stopped', () => {
    const inFlight = [
      { id: 'old', status: 'sending' as const, claimedAtMs: NOW - CLAIM_STALE_MS },
      { id: 'live', status: 'sending' as const, claimedAtMs: NOW - 1_000 },
      { id: 'done', status: 'sent' as const, claimedAtMs: NOW - CLAIM_STALE_MS * 2 },
    ];
    expect(staleClaims(inFlight, NOW)).toEqual(['old']);
  });
});
