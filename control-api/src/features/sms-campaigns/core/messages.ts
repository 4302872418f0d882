// The life of one campaign message, as a closed state machine. The store applies every change as a
// compare-and-set on the status it read (`UPDATE … WHERE id = ? AND status = ?`), so a late job or a
// duplicate callback can never move a message backwards.
//
//   queued ──claim──▶ sending ──accepted──▶ sent ──report Success──▶ delivered
//     ▲  │              │  │  │                  └─report Rejected/Failed──▶ undelivered
//     │  │              │  │  └─refused / gave up──▶ failed
//     │  │              │  └─retry_later (not sent; backoff) ──▶ queued
//     │  │              ├─release (not sent; no attempt counted) ──▶ queued
//     │  │              └─outcome_lost (may have gone out: timeout, crash in flight) ──▶ unknown
//     │  └─cancel──▶ cancelled
//     └─────────────resend (the ISP's explicit choice) ─────────── unknown
//
// "Never twice": a message is sent only from `sending`, reached only by a claim committed before the
// request; nothing returns to `queued` unless the gateway said it did not send it, or a person chose to.
import { type DeliveryStatus, FINAL_DELIVERY_STATUSES } from '../../../integrations/sms/notifications';
import { LAST_ERROR_CHARS_MAX, RETRY_BACKOFF_MS, SEND_ATTEMPTS_MAX } from '../../../kernel/send-policy';

export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'unknown',
  'cancelled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * A claim older than this belongs to a sender that stopped: the SMS client gives up on a request after
 * 15 s (SMS_GATEWAY_TIMEOUT_MS) and a request's messages are claimed just before it, so two minutes is
 * eight times the longest honest flight.
 */
export const CLAIM_STALE_MS = 2 * 60_000;

export interface CampaignMessage {
  readonly id: string;
  /** `+2547XXXXXXXX` */
  readonly to: string;
  readonly text: string;
  readonly parts: number;
  readonly status: MessageStatus;
  /** Requests that carried this message and were answered "not sent". */
  readonly attempts: number;
  /** A queued message waits until then after a failed attempt; null: as soon as the rate allows. */
  readonly nextAttemptAtMs: number | null;
  readonly claimedAtMs: number | null;
  readonly providerMessageId: string | null;
  /** The gateway's or the telco's words for the last failure, for the console. */
  readonly lastError: string | null;
}

/** A campaign message as it is first stored, ready for the sender. */
export function queuedMessage(draft: {
  readonly id: string;
  readonly to: string;
  readonly text: string;
  readonly parts: number;
}): CampaignMessage {
  return {
    id: draft.id,
    to: draft.to,
    text: draft.text,
    parts: draft.parts,
    status: 'queued',
    attempts: 0,
    nextAttemptAtMs: null,
    claimedAtMs: null,
    providerMessageId: null,
    lastError: null,
  };
}

export type MessageEvent =
  | { readonly type: 'claim'; readonly atMs: number }
  | { readonly type: 'accepted'; readonly providerMessageId: string | null }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'retry_later'; readonly reason: string; readonly atMs: number }
  | { readonly type: 'release'; readonly reason: string }
  | { readonly type: 'outcome_lost'; readonly reason: string }
  | {
      readonly type: 'delivery_report';
      readonly status: DeliveryStatus;
      readonly failureReason?: string | undefined;
    }
  | { readonly type: 'resend' }
  | { readonly type: 'cancel' };

/** Which statuses each event may start from; anything else is a programmer error. */
const ALLOWED_FROM: Readonly<Record<MessageEvent['type'], readonly MessageStatus[]>> = {
  claim: ['queued'],
  accepted: ['sending'],
  refused: ['sending'],
  retry_later: ['sending'],
  release: ['sending'],
  outcome_lost: ['sending'],
  // Reports repeat and arrive late: on a final status they change nothing.
  delivery_report: ['sent', 'delivered', 'undelivered'],
  resend: ['unknown'],
  cancel: ['queued'],
};

export class IllegalMessageTransition extends Error {
  constructor(status: MessageStatus, event: MessageEvent['type']) {
    super(`a ${status} message cannot take '${event}'`);
    this.name = 'IllegalMessageTransition';
  }
}

export function canApply(status: MessageStatus, event: MessageEvent['type']): boolean {
  return ALLOWED_FROM[event].includes(status);
}

function errorText(reason: string): string {
  return reason.slice(0, LAST_ERROR_CHARS_MAX);
}

export function applyMessageEvent(message: CampaignMessage, event: MessageEvent): CampaignMessage {
  if (!canApply(message.status, event.type)) throw new IllegalMessageTransition(message.status, event.type);
  switch (event.type) {
    case 'claim':
      return { ...message, status: 'sending', claimedAtMs: event.atMs };
    case 'accepted':
      return { ...message, status: 'sent', providerMessageId: event.providerMessageId, lastError: null };
    case 'refused':
      return {
        ...message,
        status: 'failed',
        attempts: message.attempts + 1,
        lastError: errorText(event.reason),
      };
    case 'retry_later':
      return retryLater(message, event.reason, event.atMs);
    case 'release':
      return { ...message, status: 'queued', claimedAtMs: null, lastError: errorText(event.reason) };
    case 'outcome_lost':
      return { ...message, status: 'unknown', lastError: errorText(event.reason) };
    case 'delivery_report':
      return afterDeliveryReport(message, event.status, event.failureReason);
    case 'resend':
      return {
        ...message,
        status: 'queued',
        claimedAtMs: null,
        nextAttemptAtMs: null,
        providerMessageId: null,
      };
    case 'cancel':
      return { ...message, status: 'cancelled' };
  }
}

/** Backoff as the notifications outbox does it (send-policy.ts), then failed after SEND_ATTEMPTS_MAX. */
function retryLater(message: CampaignMessage, reason: string, atMs: number): CampaignMessage {
  const attempts = message.attempts + 1;
  if (attempts >= SEND_ATTEMPTS_MAX) {
    return {
      ...message,
      status: 'failed',
      attempts,
      lastError: errorText(`${reason} (gave up after ${attempts} attempts)`),
    };
  }
  const backoffMs = RETRY_BACKOFF_MS[Math.min(attempts, RETRY_BACKOFF_MS.length) - 1] ?? 60_000;
  return {
    ...message,
    status: 'queued',
    attempts,
    claimedAtMs: null,
    nextAttemptAtMs: atMs + backoffMs,
    lastError: errorText(reason),
  };
}

function afterDeliveryReport(
  message: CampaignMessage,
  status: DeliveryStatus,
  failureReason?: string,
): CampaignMessage {
  if (message.status !== 'sent' || !FINAL_DELIVERY_STATUSES.has(status)) return message;
  if (status === 'Success') return { ...message, status: 'delivered', lastError: null };
  return { ...message, status: 'undelivered', lastError: errorText(failureReason ?? status) };
}

/** Messages a stopped sender left in flight: they may have gone out, so they become unknown, never queued. */
export function staleClaims(
  inFlight: readonly Pick<CampaignMessage, 'id' | 'status' | 'claimedAtMs'>[],
  nowMs: number,
): string[] {
  return inFlight
    .filter((message) => message.status === 'sending' && (message.claimedAtMs ?? 0) <= nowMs - CLAIM_STALE_MS)
    .map((message) => message.id);
}

export const STALE_CLAIM_REASON =
  'The sender stopped while this message was in flight: it may or may not have gone out.';
