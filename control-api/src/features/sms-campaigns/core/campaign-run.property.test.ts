// Property: the sender job (runSenderTurn over the reference store), against a gateway that answers at
// random and a process that dies at random points, never sends a message twice, keeps to its rate, and
// leaves every message in a final state when it completes.
import { ManualClock } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  newCampaignRun,
  type RequestResult,
  resumeCampaign,
  type SendRequest,
  startCampaign,
} from './campaign-run';
import { InMemoryCampaignStore } from './in-memory-store';
import { CLAIM_STALE_MS, queuedMessage } from './messages';
import { runSenderTurn } from './sender';

const START_MS = Date.UTC(2026, 1, 10, 9);
const TURNS_MAX = 60_000;
/** The ISP resumes a paused campaign this many times at most before the test stops driving it. */
const RESUMES_MAX = 25;
/** How long the ISP takes to notice a paused campaign and resume it. */
const RESUME_AFTER_MS = 60_000;

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

/** The sender process dying in the middle of a request: its answer is never stored. */
class ProcessDied extends Error {}

interface World {
  readonly clock: ManualClock;
  readonly store: InMemoryCampaignStore;
  /** Every message id the gateway actually sent, in order. */
  readonly gatewaySent: string[];
  readonly batches: { atMs: number; count: number }[];
  resumes: number;
}

/** What the gateway does with one request; throws ProcessDied when the process dies before the answer is stored. */
async function callGateway(
  world: World,
  request: SendRequest,
  behaviour: GatewayBehaviour,
  recipients: () => RecipientBehaviour,
): Promise<RequestResult> {
  const sendAll = () => world.gatewaySent.push(...request.messageIds);
  switch (behaviour) {
    case 'crash_before_send':
      throw new ProcessDied();
    case 'crash_after_send':
      sendAll();
      throw new ProcessDied();
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

/** Drives the job turn by turn until it completes or the ISP stops resuming; true when it completed. */
async function drive(
  world: World,
  nextGateway: () => GatewayBehaviour,
  nextRecipient: () => RecipientBehaviour,
  concurrency: number,
): Promise<boolean> {
  const { clock, store } = world;
  const send = (request: SendRequest) => callGateway(world, request, nextGateway(), nextRecipient);
  for (let turn = 0; turn < TURNS_MAX; turn += 1) {
    const turnAtMs = clock.now();
    let step: Awaited<ReturnType<typeof runSenderTurn>>;
    try {
      step = await runSenderTurn({ store, send, clock, concurrency });
    } catch (error) {
      if (!(error instanceof ProcessDied)) throw error;
      // The restart takes long enough for the dead process's claims to be stale.
      clock.advance(CLAIM_STALE_MS);
      continue;
    }
    if (step.kind === 'complete') return true;
    if (step.kind === 'wait') clock.set(step.untilMs);
    else if (step.kind === 'idle') {
      if (world.resumes >= RESUMES_MAX) return false;
      world.resumes += 1;
      clock.advance(RESUME_AFTER_MS);
      await store.writeRun(resumeCampaign(await store.readRun(), clock.now()));
    } else {
      world.batches.push({
        atMs: turnAtMs,
        count: step.requests.reduce((sum, request) => sum + request.to.length, 0),
      });
    }
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
  it('never sends a message twice, keeps its rate, and finishes every message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(gatewayArbitrary),
        fc.infiniteStream(recipientArbitrary),
        async (count, rate, distinctTexts, concurrency, gateways, recipients) => {
          const gatewayIterator = gateways[Symbol.iterator]();
          const recipientIterator = recipients[Symbol.iterator]();
          const messages = Array.from({ length: count }, (_, index) =>
            queuedMessage({
              id: `m${String(index).padStart(3, '0')}`,
              to: `+2547120${String(index).padStart(5, '0')}`,
              text: `Notice ${index % distinctTexts}`,
              parts: 1,
            }),
          );
          const world: World = {
            clock: new ManualClock(START_MS),
            store: new InMemoryCampaignStore(startCampaign(newCampaignRun(rate), START_MS), messages),
            gatewaySent: [],
            batches: [],
            resumes: 0,
          };
          const isComplete = await drive(
            world,
            () => gatewayIterator.next().value as GatewayBehaviour,
            () => recipientIterator.next().value as RecipientBehaviour,
            concurrency,
          );
          const final = new Map(world.store.all().map((message) => [message.id, message]));
          expect(new Set(world.gatewaySent).size).toBe(world.gatewaySent.length);
          for (const id of world.gatewaySent) {
            expect(['sent', 'unknown']).toContain(final.get(id)!.status);
          }
          for (const message of final.values()) {
            if (message.status === 'sent') expect(world.gatewaySent).toContain(message.id);
          }
          world.batches.forEach((batch, index) => {
            const next = world.batches[index + 1];
            if (next !== undefined)
              expect(next.atMs - batch.atMs).toBeGreaterThanOrEqual(Math.ceil((batch.count * 1_000) / rate));
            expect(batch.count).toBeLessThanOrEqual(rate);
          });
          if (isComplete) {
            expect((await world.store.readRun()).status).toBe('completed');
            for (const message of final.values())
              expect(['sent', 'failed', 'unknown']).toContain(message.status);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
