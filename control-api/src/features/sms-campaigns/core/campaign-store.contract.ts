// The CampaignStore contract: the sender's turn (rate, completion, a process that died in flight, an ISP's
// pause mid-batch, a claim another sender took), each store operation's compare-and-set, and the
// never-twice property under a random gateway and random crashes. Run over the reference in-memory
// store (sender.test.ts) and the SQL store on both databases (../campaign-store.test.ts).
import { ManualClock } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CampaignRun,
  newCampaignRun,
  pauseCampaign,
  type RequestResult,
  resumeCampaign,
  type SendRequest,
  startCampaign,
} from './campaign-run';
import { InMemoryCampaignStore } from './in-memory-store';
import {
  type CampaignMessage,
  CLAIM_STALE_MS,
  type MessageEvent,
  queuedMessage,
  STALE_CLAIM_REASON,
} from './messages';
import { type CampaignStore, runSenderTurn } from './sender';

const START_MS = Date.UTC(2026, 1, 10, 9);

/** A store with the reads and single events a test needs besides the CampaignStore interface. */
export interface TestableCampaignStore extends CampaignStore {
  apply(messageId: string, event: MessageEvent): Promise<boolean>;
  message(messageId: string): Promise<CampaignMessage | undefined>;
  all(): Promise<CampaignMessage[]>;
}

/** A new store holding this run and these messages (ids unique across the stores one factory makes). */
export type OpenCampaignStore = (
  run: CampaignRun,
  messages: readonly CampaignMessage[],
) => Promise<TestableCampaignStore>;

/** The reference store behind the async test interface. */
export const openInMemoryStore: OpenCampaignStore = async (run, messages) => {
  const store = new InMemoryCampaignStore(run, messages);
  return {
    readRun: () => store.readRun(),
    writeRun: (next) => store.writeRun(next),
    inFlight: () => store.inFlight(),
    snapshot: (batchSize, nowMs) => store.snapshot(batchSize, nowMs),
    claim: (messageIds, atMs) => store.claim(messageIds, atMs),
    settle: (next, events) => store.settle(next, events),
    apply: async (messageId, event) => store.apply(messageId, event),
    message: async (messageId) => store.message(messageId),
    all: async () => store.all(),
  };
};

let storeNumber = 0;

/** Message ids of one store: `c<n>.m001`…, unique across stores and in queue order. */
function idsFor(count: number): string[] {
  storeNumber += 1;
  return Array.from(
    { length: count },
    (_, index) => `c${storeNumber}.m${String(index + 1).padStart(3, '0')}`,
  );
}

async function storeOf(
  open: OpenCampaignStore,
  rate: number,
  texts: readonly string[],
): Promise<{ store: TestableCampaignStore; ids: string[] }> {
  const ids = idsFor(texts.length);
  const messages = texts.map((text, index) =>
    queuedMessage({
      id: ids[index]!,
      to: `+2547120000${String(index + 1).padStart(2, '0')}`,
      text,
      parts: 1,
    }),
  );
  return { store: await open(startCampaign(newCampaignRun(rate), START_MS), messages), ids };
}

/** A gateway that accepts every number and remembers each request's message ids. */
function acceptingGateway(): {
  requests: string[][];
  send: (request: SendRequest) => Promise<RequestResult>;
} {
  const requests: string[][] = [];
  return {
    requests,
    send: async (request) => {
      requests.push([...request.messageIds]);
      return {
        kind: 'answered',
        recipients: request.messageIds.map((id) => ({
          outcome: 'sent',
          statusCode: 101,
          status: 'Success',
          providerMessageId: `ATXid_${id}`,
        })),
      };
    },
  };
}

async function statusesOf(store: TestableCampaignStore): Promise<string[]> {
  return (await store.all()).map((message) => message.status);
}

export function describeCampaignStoreContract(label: string, open: () => OpenCampaignStore): void {
  describe(`CampaignStore contract: ${label}`, () => {
    it('sends a second’s worth per turn, waits for the rate, then completes the campaign', async () => {
      const { store, ids } = await storeOf(open(), 3, ['Hi', 'Hi', 'Hi', 'Hi', 'Hi', 'Hi', 'Hi']);
      const clock = new ManualClock(START_MS);
      const gateway = acceptingGateway();
      const steps: string[] = [];
      for (let turn = 0; turn < 10; turn += 1) {
        const step = await runSenderTurn({ store, send: gateway.send, clock });
        steps.push(`${clock.now() - START_MS} ${step.kind}`);
        if (step.kind === 'complete') break;
        if (step.kind === 'wait') clock.set(step.untilMs);
      }
      expect(steps).toEqual(['0 send', '0 wait', '1000 send', '1000 wait', '2000 send', '2000 complete']);
      expect(gateway.requests).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
      expect((await store.readRun()).status).toBe('completed');
      expect(await store.message(ids[6]!)).toMatchObject({
        status: 'sent',
        providerMessageId: `ATXid_${ids[6]}`,
      });
    });

    it('after a process died in flight, marks its message unknown and never sends it again', async () => {
      const { store, ids } = await storeOf(open(), 2, ['First', 'Second']);
      const clock = new ManualClock(START_MS);
      const gateway = acceptingGateway();
      const dying = async (request: SendRequest): Promise<RequestResult> => {
        await gateway.send(request);
        throw new Error('the process died before storing the answer');
      };
      await expect(runSenderTurn({ store, send: dying, clock })).rejects.toThrow(/died/);
      expect((await store.message(ids[0]!))?.status).toBe('sending');

      clock.advance(CLAIM_STALE_MS);
      expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('send');
      expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('complete');
      expect(gateway.requests).toEqual([[ids[0]], [ids[1]]]);
      expect(await store.message(ids[0]!)).toMatchObject({
        status: 'unknown',
        lastError: STALE_CLAIM_REASON,
      });
      expect((await store.message(ids[1]!))?.status).toBe('sent');
    });

    it('stops the rest of a batch when the ISP pauses the campaign meanwhile', async () => {
      const { store, ids } = await storeOf(open(), 4, ['A', 'B', 'C', 'D']);
      const clock = new ManualClock(START_MS);
      const gateway = acceptingGateway();
      const pausingOnFirst = async (request: SendRequest): Promise<RequestResult> => {
        if (gateway.requests.length === 0)
          await store.writeRun(pauseCampaign(await store.readRun(), 'by_isp'));
        return gateway.send(request);
      };
      await runSenderTurn({ store, send: pausingOnFirst, clock });
      expect(gateway.requests).toEqual([[ids[0]]]);
      expect(await statusesOf(store)).toEqual(['sent', 'queued', 'queued', 'queued']);
      expect(await store.readRun()).toMatchObject({ status: 'paused', pauseReason: 'by_isp' });
      clock.advance(1_000);
      expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('idle');
    });

    it('does not send a message another sender claimed between the plan and the request', async () => {
      const { store, ids } = await storeOf(open(), 2, ['A', 'B']);
      const clock = new ManualClock(START_MS);
      const gateway = acceptingGateway();
      const racing = async (request: SendRequest): Promise<RequestResult> => {
        await store.apply(ids[1]!, { type: 'claim', atMs: clock.now() });
        return gateway.send(request);
      };
      await runSenderTurn({ store, send: racing, clock });
      expect(gateway.requests).toEqual([[ids[0]]]);
      expect((await store.message(ids[1]!))?.status).toBe('sending');
    });

    it('claims a message once, and applies an event only from the status it starts from', async () => {
      const { store, ids } = await storeOf(open(), 5, ['A', 'B', 'C']);
      expect(await store.claim([ids[0]!, ids[1]!], START_MS)).toEqual([ids[0], ids[1]]);
      expect(await store.claim([ids[1]!, ids[2]!], START_MS)).toEqual([ids[2]]);
      await store.settle(null, [
        { messageId: ids[0]!, event: { type: 'accepted', providerMessageId: 'AT_1' } },
        { messageId: ids[0]!, event: { type: 'refused', reason: 'late duplicate' } },
        { messageId: ids[1]!, event: { type: 'outcome_lost', reason: 'timeout' } },
      ]);
      expect(await statusesOf(store)).toEqual(['sent', 'unknown', 'sending']);
      expect(await store.apply(ids[0]!, { type: 'delivery_report', status: 'Success' })).toBe(true);
      expect(await store.apply(ids[0]!, { type: 'delivery_report', status: 'Failed' })).toBe(true);
      expect((await store.message(ids[0]!))?.status).toBe('delivered');
      expect(await store.apply(ids[0]!, { type: 'resend' })).toBe(false);
      expect(await store.apply(ids[1]!, { type: 'resend' })).toBe(true);
      expect(await store.message(ids[1]!)).toMatchObject({ status: 'queued', providerMessageId: null });
    });

    it('snapshots due messages oldest first, the counts, and the earliest retry', async () => {
      const { store, ids } = await storeOf(open(), 5, ['A', 'B', 'C', 'D']);
      await store.claim([ids[0]!, ids[1]!], START_MS);
      await store.settle(null, [
        { messageId: ids[0]!, event: { type: 'retry_later', reason: 'GatewayError', atMs: START_MS } },
      ]);
      const snapshot = await store.snapshot(1, START_MS);
      expect(snapshot.due.map((message) => message.id)).toEqual([ids[2]]);
      expect(snapshot).toMatchObject({ queuedCount: 3, sendingCount: 1 });
      expect(snapshot.earliestRetryAtMs).toBeGreaterThan(START_MS);
      const later = await store.snapshot(10, snapshot.earliestRetryAtMs!);
      expect(later.due.map((message) => message.id)).toEqual([ids[0], ids[2], ids[3]]);
      expect(later.earliestRetryAtMs).toBeNull();
    });
  });
}

// The property: never twice, the rate kept, every message final at completion.

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
  readonly store: TestableCampaignStore;
  /** Every message id the gateway actually sent, in order. */
  readonly gatewaySent: string[];
  readonly batches: { atMs: number; count: number }[];
  resumes: number;
}

function answerFor(world: World, messageId: string, recipient: RecipientBehaviour) {
  if (recipient === 'sent') {
    world.gatewaySent.push(messageId);
    return {
      outcome: 'sent',
      statusCode: 101,
      status: 'Success',
      providerMessageId: `AT_${messageId}`,
    } as const;
  }
  if (recipient === 'invalid')
    return {
      outcome: 'failed',
      statusCode: 403,
      status: 'InvalidPhoneNumber',
      providerMessageId: null,
    } as const;
  if (recipient === 'low_balance')
    return {
      outcome: 'retryable',
      statusCode: 405,
      status: 'InsufficientBalance',
      providerMessageId: null,
    } as const;
  return { outcome: 'retryable', statusCode: 501, status: 'GatewayError', providerMessageId: null } as const;
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
        recipients: request.messageIds.map((messageId) => answerFor(world, messageId, recipients())),
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

/** runSenderTurn over the store, 1–4 requests at once, against a random gateway and random crashes. */
export function describeSenderProperty(label: string, open: () => OpenCampaignStore, numRuns: number): void {
  describe(`property: the campaign sender over ${label}`, () => {
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
            const ids = idsFor(count);
            const messages = ids.map((id, index) =>
              queuedMessage({
                id,
                to: `+2547120${String(index).padStart(5, '0')}`,
                text: `Notice ${index % distinctTexts}`,
                parts: 1,
              }),
            );
            const world: World = {
              clock: new ManualClock(START_MS),
              store: await open()(startCampaign(newCampaignRun(rate), START_MS), messages),
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
            const final = new Map((await world.store.all()).map((message) => [message.id, message]));
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
                expect(next.atMs - batch.atMs).toBeGreaterThanOrEqual(
                  Math.ceil((batch.count * 1_000) / rate),
                );
              expect(batch.count).toBeLessThanOrEqual(rate);
            });
            if (isComplete) {
              expect((await world.store.readRun()).status).toBe('completed');
              for (const message of final.values())
                expect(['sent', 'failed', 'unknown']).toContain(message.status);
            }
          },
        ),
        { numRuns },
      );
    });
  });
}
