// A campaign's sending run: its states, the next step of the sender job (send a batch, wait, finish) at a
// rate per second, and what a gateway answer does to the run and to the messages it carried.
//
//   draft ──start──▶ sending ──(nothing queued or in flight)──▶ completed
//                     │   ▲
//            pause ◀──┘   └── resume            any but completed ──cancel──▶ cancelled
//   (by the ISP; or the gateway refused the credentials, ran out of balance, or failed repeatedly)
//
// The job, each turn: recover stale claims (messages.ts), read a QueueSnapshot, ask planNextStep; for a
// send, write nextBatchAtMs, then per request claim its messages, call the gateway, and apply
// settleRequest's events and run in one transaction. A crash loses at most the one request in flight,
// whose messages end `unknown`, and the next run continues with the rest.
import { RECIPIENTS_PER_REQUEST_MAX } from '../../../integrations/sms/client';
import { SmsStatusCode } from '../../../integrations/sms/status-codes';
import type { CampaignMessage, MessageEvent, MessageStatus } from './messages';

export const CAMPAIGN_STATUSES = ['draft', 'sending', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type PauseReason = 'by_isp' | 'gateway_credentials' | 'gateway_balance' | 'gateway_unavailable';

/** Messages per second when the ISP sets none: 10,000 in under 17 minutes, gentle on any gateway. */
export const RATE_PER_SECOND_DEFAULT = 10;
/** One full gateway request per second is the most a campaign asks of the gateway. */
export const RATE_PER_SECOND_MAX = RECIPIENTS_PER_REQUEST_MAX;
/** Failed requests in a row before the run pauses for a person to look: a blip is retried, an outage is not. */
export const GATEWAY_FAILURES_MAX = 3;
/** Wait after the n-th failed request in a row before the next batch. */
export const GATEWAY_BACKOFF_MS: readonly number[] = [5_000, 30_000, 120_000];
/** How often an idle run with messages in flight or waiting looks again, at most. */
export const IDLE_POLL_MS = 5_000;

export interface CampaignRun {
  readonly status: CampaignStatus;
  readonly ratePerSecond: number;
  /** No batch starts before this: the rate, or a backoff after gateway failures. */
  readonly nextBatchAtMs: number;
  readonly consecutiveGatewayFailures: number;
  readonly pauseReason: PauseReason | null;
}

export function newCampaignRun(ratePerSecond = RATE_PER_SECOND_DEFAULT): CampaignRun {
  if (!Number.isInteger(ratePerSecond) || ratePerSecond < 1 || ratePerSecond > RATE_PER_SECOND_MAX) {
    throw new RangeError(`rate must be 1..${RATE_PER_SECOND_MAX} messages per second, got ${ratePerSecond}`);
  }
  return {
    status: 'draft',
    ratePerSecond,
    nextBatchAtMs: 0,
    consecutiveGatewayFailures: 0,
    pauseReason: null,
  };
}

export function startCampaign(run: CampaignRun, nowMs: number): CampaignRun {
  if (run.status !== 'draft') throw new RangeError(`a ${run.status} campaign cannot start`);
  return { ...run, status: 'sending', nextBatchAtMs: nowMs };
}

export function pauseCampaign(run: CampaignRun, reason: PauseReason): CampaignRun {
  if (run.status !== 'sending') return run;
  return { ...run, status: 'paused', pauseReason: reason };
}

export function resumeCampaign(run: CampaignRun, nowMs: number): CampaignRun {
  if (run.status !== 'paused') return run;
  return {
    ...run,
    status: 'sending',
    pauseReason: null,
    consecutiveGatewayFailures: 0,
    nextBatchAtMs: nowMs,
  };
}

/** Nothing is queued or in flight any more (planNextStep said `complete`). */
export function completeCampaign(run: CampaignRun): CampaignRun {
  if (run.status !== 'sending') return run;
  return { ...run, status: 'completed' };
}

/** Queued messages are then cancelled by the store; those in flight finish as they will. */
export function cancelCampaign(run: CampaignRun): CampaignRun {
  if (run.status === 'completed') throw new RangeError('a completed campaign cannot be cancelled');
  return { ...run, status: 'cancelled' };
}

/** What the store reads for one turn of the job. */
export interface QueueSnapshot {
  /** Queued messages due now (no retry time, or one passed), oldest first, at most `batchSizeOf(run)`. */
  readonly due: readonly CampaignMessage[];
  readonly queuedCount: number;
  readonly sendingCount: number;
  /** The earliest retry time among queued messages not yet due. */
  readonly earliestRetryAtMs: number | null;
}

export interface SendRequest {
  /** One gateway request: the same text to up to RECIPIENTS_PER_REQUEST_MAX numbers. */
  readonly text: string;
  readonly messageIds: readonly string[];
  readonly to: readonly string[];
}

export type NextStep =
  | { readonly kind: 'send'; readonly requests: readonly SendRequest[]; readonly nextBatchAtMs: number }
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'complete' }
  | { readonly kind: 'idle' };

/** A second's worth of messages at the run's rate. */
export function batchSizeOf(run: CampaignRun): number {
  return run.ratePerSecond;
}

export function planNextStep(run: CampaignRun, queue: QueueSnapshot, nowMs: number): NextStep {
  if (run.status !== 'sending') return { kind: 'idle' };
  if (queue.due.length === 0) {
    if (queue.queuedCount === 0 && queue.sendingCount === 0) return { kind: 'complete' };
    const retryAtMs = queue.earliestRetryAtMs ?? nowMs + IDLE_POLL_MS;
    return { kind: 'wait', untilMs: Math.max(nowMs, Math.min(retryAtMs, nowMs + IDLE_POLL_MS)) };
  }
  if (nowMs < run.nextBatchAtMs) return { kind: 'wait', untilMs: run.nextBatchAtMs };
  const batch = queue.due.slice(0, batchSizeOf(run));
  return {
    kind: 'send',
    requests: requestsOf(batch),
    nextBatchAtMs: nowMs + Math.ceil((batch.length * 1_000) / run.ratePerSecond),
  };
}

/** Messages with the same text share a request (the gateway sends one text to many numbers). */
function requestsOf(batch: readonly CampaignMessage[]): SendRequest[] {
  const byText = new Map<string, CampaignMessage[]>();
  for (const message of batch) {
    const group = byText.get(message.text);
    if (group === undefined) byText.set(message.text, [message]);
    else group.push(message);
  }
  const requests: SendRequest[] = [];
  for (const [text, group] of byText) {
    for (let start = 0; start < group.length; start += RECIPIENTS_PER_REQUEST_MAX) {
      const chunk = group.slice(start, start + RECIPIENTS_PER_REQUEST_MAX);
      requests.push({
        text,
        messageIds: chunk.map((message) => message.id),
        to: chunk.map((message) => message.to),
      });
    }
  }
  return requests;
}

/** One number's answer, in the order the request listed the numbers. */
export interface RecipientAnswer {
  readonly outcome: 'sent' | 'failed' | 'retryable';
  readonly statusCode: number | null;
  readonly status: string;
  readonly providerMessageId: string | null;
}

export type RequestResult =
  | { readonly kind: 'answered'; readonly recipients: readonly RecipientAnswer[] }
  /** The gateway said, or the connection proved, that nothing went out. */
  | { readonly kind: 'not_sent'; readonly reason: string; readonly isRetryable: boolean }
  | { readonly kind: 'credentials_refused'; readonly reason: string }
  /** It may have gone out: timeout, a connection lost after sending, an unreadable success. */
  | { readonly kind: 'outcome_unknown'; readonly reason: string };

export interface Settlement {
  readonly run: CampaignRun;
  readonly events: readonly { readonly messageId: string; readonly event: MessageEvent }[];
}

export function settleRequest(
  run: CampaignRun,
  request: SendRequest,
  result: RequestResult,
  nowMs: number,
): Settlement {
  const all = (event: MessageEvent) => request.messageIds.map((messageId) => ({ messageId, event }));
  switch (result.kind) {
    case 'answered':
      return settleAnswered(run, request, result.recipients, nowMs);
    case 'not_sent':
      if (!result.isRetryable) return { run, events: all({ type: 'refused', reason: result.reason }) };
      return {
        run: afterGatewayFailure(run, nowMs),
        events: all({ type: 'retry_later', reason: result.reason, atMs: nowMs }),
      };
    case 'credentials_refused':
      return {
        run: pauseCampaign(run, 'gateway_credentials'),
        events: all({ type: 'release', reason: result.reason }),
      };
    case 'outcome_unknown':
      return {
        run: afterGatewayFailure(run, nowMs),
        events: all({ type: 'outcome_lost', reason: result.reason }),
      };
  }
}

function settleAnswered(
  run: CampaignRun,
  request: SendRequest,
  recipients: readonly RecipientAnswer[],
  nowMs: number,
): Settlement {
  let isBalanceShort = false;
  const events = request.messageIds.map((messageId, index) => {
    const answer = recipients[index];
    if (answer === undefined) {
      return {
        messageId,
        event: { type: 'outcome_lost', reason: 'the gateway did not answer for this number' } as const,
      };
    }
    if (answer.outcome === 'sent') {
      return { messageId, event: { type: 'accepted', providerMessageId: answer.providerMessageId } as const };
    }
    if (answer.statusCode === SmsStatusCode.InsufficientBalance) {
      isBalanceShort = true;
      return { messageId, event: { type: 'release', reason: answer.status } as const };
    }
    if (answer.outcome === 'failed')
      return { messageId, event: { type: 'refused', reason: answer.status } as const };
    return { messageId, event: { type: 'retry_later', reason: answer.status, atMs: nowMs } as const };
  });
  const answeredRun = { ...run, consecutiveGatewayFailures: 0 };
  return { run: isBalanceShort ? pauseCampaign(answeredRun, 'gateway_balance') : answeredRun, events };
}

function afterGatewayFailure(run: CampaignRun, nowMs: number): CampaignRun {
  const failures = run.consecutiveGatewayFailures + 1;
  const backoffMs = GATEWAY_BACKOFF_MS[Math.min(failures, GATEWAY_BACKOFF_MS.length) - 1] ?? 0;
  const next = {
    ...run,
    consecutiveGatewayFailures: failures,
    nextBatchAtMs: Math.max(run.nextBatchAtMs, nowMs + backoffMs),
  };
  return failures >= GATEWAY_FAILURES_MAX ? pauseCampaign(next, 'gateway_unavailable') : next;
}

export interface CampaignProgress {
  readonly total: number;
  /** Out of the sender's hands: everything but queued and sending. */
  readonly finished: number;
  /** 0..100, whole. */
  readonly percent: number;
  readonly byStatus: Readonly<Record<MessageStatus, number>>;
}

export function campaignProgress(byStatus: Readonly<Record<MessageStatus, number>>): CampaignProgress {
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  const finished = total - byStatus.queued - byStatus.sending;
  return { total, finished, percent: total === 0 ? 100 : Math.floor((finished * 100) / total), byStatus };
}
