// One turn of the campaign sender job over a store: recover what a dead sender left in flight, plan,
// claim each request's messages just before sending it, send, and settle. The job calls it in a loop
// (waiting when told to); the integration implements CampaignStore over SQL, with the semantics of
// in-memory-store.ts, the reference.
import type { Clock } from '@kiunga/schemas';
import {
  batchSizeOf,
  type CampaignRun,
  completeCampaign,
  type NextStep,
  planNextStep,
  type QueueSnapshot,
  type RequestResult,
  type SendRequest,
  settleRequest,
} from './campaign-run';
import { type CampaignMessage, type MessageEvent, STALE_CLAIM_REASON, staleClaims } from './messages';

/** Requests in flight at once within a batch: a few overlap the gateway's latency, never a flood. */
export const REQUEST_CONCURRENCY_MAX = 16;

/** One campaign's messages and run, as the sender needs them. */
export interface CampaignStore {
  readRun(): Promise<CampaignRun>;
  writeRun(run: CampaignRun): Promise<void>;
  /** Messages in `sending`, with their claim times. */
  inFlight(): Promise<readonly Pick<CampaignMessage, 'id' | 'status' | 'claimedAtMs'>[]>;
  /** Due queued messages (at most `batchSize`, oldest first) and the counts planNextStep reads. */
  snapshot(batchSize: number, nowMs: number): Promise<QueueSnapshot>;
  /** queued → sending for each id still queued, committed before returning; the ids it claimed. */
  claim(messageIds: readonly string[], atMs: number): Promise<readonly string[]>;
  /**
   * Applies events, each only if the message still has the status the event starts from (a
   * compare-and-set), and writes the run when given, in one transaction.
   */
  settle(
    run: CampaignRun | null,
    events: readonly { messageId: string; event: MessageEvent }[],
  ): Promise<void>;
}

/** Sends one request; turns the client's answer or error into a RequestResult (gateway-results.ts). */
export type SendRequestFunction = (request: SendRequest) => Promise<RequestResult>;

function onlyClaimed(request: SendRequest, claimed: ReadonlySet<string>): SendRequest {
  const keep = request.messageIds.map((id) => claimed.has(id));
  return {
    text: request.text,
    messageIds: request.messageIds.filter((_, index) => keep[index]),
    to: request.to.filter((_, index) => keep[index]),
  };
}

/** Every stale claim becomes `unknown`: it may have gone out. */
export async function recoverStaleClaims(store: CampaignStore, nowMs: number): Promise<number> {
  const stale = staleClaims(await store.inFlight(), nowMs);
  if (stale.length > 0) {
    const event: MessageEvent = { type: 'outcome_lost', reason: STALE_CLAIM_REASON };
    await store.settle(
      null,
      stale.map((messageId) => ({ messageId, event })),
    );
  }
  return stale.length;
}

/**
 * One turn. A send step's requests go out `concurrency` at a time; each is claimed just before, and
 * settled against the run as it is then (the ISP may have paused or cancelled meanwhile); once the run
 * stops sending, the rest of the batch stays queued.
 */
export async function runSenderTurn(input: {
  readonly store: CampaignStore;
  readonly send: SendRequestFunction;
  readonly clock: Clock;
  readonly concurrency?: number;
}): Promise<NextStep> {
  const { store, clock } = input;
  const concurrency = Math.min(Math.max(input.concurrency ?? 1, 1), REQUEST_CONCURRENCY_MAX);
  await recoverStaleClaims(store, clock.now());
  const run = await store.readRun();
  const nowMs = clock.now();
  const step = planNextStep(run, await store.snapshot(batchSizeOf(run), nowMs), nowMs);
  if (step.kind === 'complete') await store.writeRun(completeCampaign(run));
  if (step.kind !== 'send') return step;
  await store.writeRun({ ...run, nextBatchAtMs: step.nextBatchAtMs });
  for (let start = 0; start < step.requests.length; start += concurrency) {
    // One claim and one settlement per group of requests in flight, not per request: the store's
    // statements per message stay a fraction, so the SQL store reaches the rate cap (issue 13).
    const requests = step.requests.slice(start, start + concurrency);
    const claimed = new Set(
      await store.claim(
        requests.flatMap((request) => request.messageIds),
        clock.now(),
      ),
    );
    const group = requests
      .map((request) => onlyClaimed(request, claimed))
      .filter((request) => request.messageIds.length > 0);
    const results = await Promise.all(group.map(input.send));
    // Each request settles against the run as the one before left it (failures count up, a pause holds),
    // starting from the run as it is now (the ISP may have paused or cancelled meanwhile).
    let run = await store.readRun();
    const events: { messageId: string; event: MessageEvent }[] = [];
    for (const [index, request] of group.entries()) {
      const settlement = settleRequest(run, request, results[index]!, clock.now());
      run = settlement.run;
      events.push(...settlement.events);
    }
    if (group.length > 0) await store.settle(run, events);
    if ((await store.readRun()).status !== 'sending') break;
  }
  return step;
}
