// Property: the sender job, driven through the production functions against a gateway that answers at
// random and a process that dies at random points, never sends a message twice, keeps to its rate, and
// leaves every message in a final state when it completes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CampaignRun,
  newCampaignRun,
  planNextStep,
  type QueueSnapshot,
  type RequestResult,
  resumeCampaign,
  type SendRequest,
  settleRequest,
  startCampaign,
} from './campaign-run';
import {
  applyMessageEvent,
  type CampaignMessage,
  CLAIM_STALE_MS,
  STALE_CLAIM_REASON,
  staleClaims,
} from './messages';

const START_MS = Date.UTC(2026, 1, 10, 9);
const ITERATIONS_MAX = 60_000;
/** The ISP resumes a paused campaign this many times at most before the test stops driving it. */
const RESUMES_MAX = 25;

type GatewayBehaviour =
  | 'answer'
  | 'busy'
  | 'bad_request'
  | 'credentials'
  | 'timeout_sent'
  | 'timeout_not_sent'
  | 'crash_before_send'
  | 'crash_after_send';
type RecipientBehaviour = 'sent' | 'invalid' | 'gateway_error' | 'low_balance';

interface World {
  now: number;
  run: CampaignRun;
  messages: Map<string, CampaignMessage>;
  /** Every message id the gateway actually sent, in order. */
  gatewaySent: string[];
  batches: { atMs: number; count: number }[];
  resumes: number;
}

function snapshotOf(world: World): QueueSnapshot {
  const all = [...world.messages.values()];
  const queued = all.filter((message) => message.status === 'queued');
  const due = queued.filter(
    (message) => message.nextAttemptAtMs === null || message.nextAttemptAtMs <= world.now,
  );
  const waiting = queued
    .filter((message) => !due.includes(message))
    .map((message) => message.nextAttemptAtMs!);
  return {
    due: due.slice(0, world.run.ratePerSecond),
    queuedCount: queued.length,
    sendingCount: all.filter((message) => message.status === 'sending').length,
    earliestRetryAtMs: waiting.length === 0 ? null : Math.min(...waiting),
  };
}

/** What the gateway does with one request; returns null when the process dies before the answer is stored. */
function callGateway(
  world: World,
  request: SendRequest,
  behaviour: GatewayBehaviour,
  recipients: () => RecipientBehaviour,
): RequestResult | null {
  const sendAll = () => world.gatewaySent.push(...request.messageIds);
  switch (behaviour) {
    case 'crash_before_send':
      return null;
    case 'crash_after_send':
      sendAll();
      return null;
    case 'busy':
      return { kind: 'not_sent', reason: 'HTTP 503', isRetryable: true };
    case 'bad_request':
      return { kind: 'not_sent', reason: 'HTTP 400', isRetryable: false };
    case 'credentials':
      return { kind: 'credentials_refused', reason: 'HTTP 401' };
    case 'timeout_sent':
      sendAll();
      return { kind: 'outcome_unknown', reason: 'timeout' };
    case 'timeout_not_sent':
      return { kind: 'outcome_unknown', reason: 'timeout' };
    case 'answer':
      return {
        kind: 'answered',
        recipients: request.messageIds.map((messageId) => {
          const recipient = recipients();
          if (recipient === 'sent') {
            world.gatewaySent.push(messageId);
            return {
              outcome: 'sent',
              statusCode: 101,
              status: 'Success',
              providerMessageId: `AT_${messageId}`,
            };
          }
          if (recipient === 'invalid')
            return {
              outcome: 'failed',
              statusCode: 403,
              status: 'InvalidPhoneNumber',
              providerMessageId: null,
            };
          if (recipient === 'low_balance')
            return {
              outcome: 'retryable',
              statusCode: 405,
              status: 'InsufficientBalance',
              providerMessageId: null,
            };
          return { outcome: 'retryable', statusCode: 501, status: 'GatewayError', providerMessageId: null };
        }),
      };
  }
}

/** A restart: the time it takes, then the stale claims of the dead process become unknown. */
function restart(world: World): void {
  world.now += CLAIM_STALE_MS;
  for (const id of staleClaims([...world.messages.values()], world.now)) {
    const message = world.messages.get(id)!;
    world.messages.set(id, applyMessageEvent(message, { type: 'outcome_lost', reason: STALE_CLAIM_REASON }));
  }
}

/** Sends one batch; false when the process died during it. */
function sendBatch(
  world: World,
  requests: readonly SendRequest[],
  nextGateway: () => GatewayBehaviour,
  nextRecipient: () => RecipientBehaviour,
): boolean {
  for (const request of requests) {
    for (const id of request.messageIds) {
      world.messages.set(id, applyMessageEvent(world.messages.get(id)!, { type: 'claim', atMs: world.now }));
    }
    const result = callGateway(world, request, nextGateway(), nextRecipient);
    if (result === null) return false;
    const settlement = settleRequest(world.run, request, result, world.now);
    world.run = settlement.run;
    for (const { messageId, event } of settlement.events) {
      world.messages.set(messageId, applyMessageEvent(world.messages.get(messageId)!, event));
    }
  }
  return true;
}

/** Drives the job until it completes or the ISP stops resuming; true when it completed. */
function drive(
  world: World,
  nextGateway: () => GatewayBehaviour,
  nextRecipient: () => RecipientBehaviour,
): boolean {
  for (let iteration = 0; iteration < ITERATIONS_MAX; iteration += 1) {
    const step = planNextStep(world.run, snapshotOf(world), world.now);
    if (step.kind === 'complete') return true;
    if (step.kind === 'wait') {
      world.now = step.untilMs;
      continue;
    }
    if (step.kind === 'idle') {
      if (world.resumes >= RESUMES_MAX) return false;
      world.resumes += 1;
      world.now += 60_000;
      world.run = resumeCampaign(world.run, world.now);
      continue;
    }
    world.run = { ...world.run, nextBatchAtMs: step.nextBatchAtMs };
    world.batches.push({
      atMs: world.now,
      count: step.requests.reduce((sum, request) => sum + request.to.length, 0),
    });
    if (!sendBatch(world, step.requests, nextGateway, nextRecipient)) restart(world);
  }
  return false;
}

const gatewayArbitrary = fc.constantFrom<GatewayBehaviour>(
  'answer',
  'answer',
  'answer',
  'answer',
  'busy',
  'bad_request',
  'credentials',
  'timeout_sent',
  'timeout_not_sent',
  'crash_before_send',
  'crash_after_send',
);
const recipientArbitrary = fc.constantFrom<RecipientBehaviour>(
  'sent',
  'sent',
  'sent',
  'invalid',
  'gateway_error',
  'low_balance',
);

describe('property: the campaign sender', () => {
  it('never sends a message twice, keeps its rate, and finishes every message', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.infiniteStream(gatewayArbitrary),
        fc.infiniteStream(recipientArbitrary),
        (count, rate, distinctTexts, gateways, recipients) => {
          const gatewayIterator = gateways[Symbol.iterator]();
          const recipientIterator = recipients[Symbol.iterator]();
          const messages = new Map<string, CampaignMessage>();
          for (let index = 0; index < count; index += 1) {
            const id = `m${String(index).padStart(3, '0')}`;
            messages.set(id, {
              id,
              to: `+2547120${String(index).padStart(5, '0')}`,
              text: `Notice ${index % distinctTexts}`,
              parts: 1,
              status: 'queued',
              attempts: 0,
              nextAttemptAtMs: null,
              claimedAtMs: null,
              providerMessageId: null,
              lastError: null,
            });
          }
          const world: World = {
            now: START_MS,
            run: startCampaign(newCampaignRun(rate), START_MS),
            messages,
            gatewaySent: [],
            batches: [],
            resumes: 0,
          };
          const isComplete = drive(
            world,
            () => gatewayIterator.next().value as GatewayBehaviour,
            () => recipientIterator.next().value as RecipientBehaviour,
          );
          expect(new Set(world.gatewaySent).size).toBe(world.gatewaySent.length);
          for (const id of world.gatewaySent) {
            expect(['sent', 'unknown']).toContain(world.messages.get(id)!.status);
          }
          for (const message of world.messages.values()) {
            if (message.status === 'sent') expect(world.gatewaySent).toContain(message.id);
          }
          world.batches.forEach((batch, index) => {
            const next = world.batches[index + 1];
            if (next !== undefined)
              expect(next.atMs - batch.atMs).toBeGreaterThanOrEqual(Math.ceil((batch.count * 1_000) / rate));
            expect(batch.count).toBeLessThanOrEqual(rate);
          });
          if (isComplete) {
            for (const message of world.messages.values())
              expect(['sent', 'failed', 'unknown']).toContain(message.status);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
