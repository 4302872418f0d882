// The sender job's turn over the reference store, on a clock that moves only when told: the rate, completion,
// a process that died in flight, an ISP's pause mid-batch, and a claim another sender took first.
import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  newCampaignRun,
  pauseCampaign,
  type RequestResult,
  type SendRequest,
  startCampaign,
} from './campaign-run';
import { InMemoryCampaignStore } from './in-memory-store';
import { CLAIM_STALE_MS, queuedMessage, STALE_CLAIM_REASON } from './messages';
import { runSenderTurn } from './sender';

const START_MS = Date.UTC(2026, 1, 10, 9);

function storeOf(rate: number, texts: readonly string[]): InMemoryCampaignStore {
  const messages = texts.map((text, index) =>
    queuedMessage({ id: `m${index + 1}`, to: `+25471200000${index + 1}`, text, parts: 1 }),
  );
  return new InMemoryCampaignStore(startCampaign(newCampaignRun(rate), START_MS), messages);
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

describe('runSenderTurn', () => {
  it('sends a second’s worth per turn, waits for the rate, then completes the campaign', async () => {
    const store = storeOf(3, ['Hi', 'Hi', 'Hi', 'Hi', 'Hi', 'Hi', 'Hi']);
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
    expect(gateway.requests).toEqual([['m1', 'm2', 'm3'], ['m4', 'm5', 'm6'], ['m7']]);
    expect((await store.readRun()).status).toBe('completed');
    expect(store.message('m7')).toMatchObject({ status: 'sent', providerMessageId: 'ATXid_m7' });
  });

  it('after a process died in flight, marks its message unknown and never sends it again', async () => {
    const store = storeOf(2, ['First', 'Second']);
    const clock = new ManualClock(START_MS);
    const gateway = acceptingGateway();
    const dying = async (request: SendRequest): Promise<RequestResult> => {
      await gateway.send(request);
      throw new Error('the process died before storing the answer');
    };
    await expect(runSenderTurn({ store, send: dying, clock })).rejects.toThrow(/died/);
    expect(store.message('m1')?.status).toBe('sending');

    clock.advance(CLAIM_STALE_MS);
    expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('send');
    expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('complete');
    expect(gateway.requests).toEqual([['m1'], ['m2']]);
    expect(store.message('m1')).toMatchObject({ status: 'unknown', lastError: STALE_CLAIM_REASON });
    expect(store.message('m2')?.status).toBe('sent');
  });

  it('stops the rest of a batch when the ISP pauses the campaign meanwhile', async () => {
    const store = storeOf(4, ['A', 'B', 'C', 'D']);
    const clock = new ManualClock(START_MS);
    const gateway = acceptingGateway();
    const pausingOnFirst = async (request: SendRequest): Promise<RequestResult> => {
      if (gateway.requests.length === 0) await store.writeRun(pauseCampaign(await store.readRun(), 'by_isp'));
      return gateway.send(request);
    };
    await runSenderTurn({ store, send: pausingOnFirst, clock });
    expect(gateway.requests).toEqual([['m1']]);
    expect(store.all().map((message) => message.status)).toEqual(['sent', 'queued', 'queued', 'queued']);
    expect(await store.readRun()).toMatchObject({ status: 'paused', pauseReason: 'by_isp' });
    clock.advance(1_000);
    expect((await runSenderTurn({ store, send: gateway.send, clock })).kind).toBe('idle');
  });

  it('does not send a message another sender claimed between the plan and the request', async () => {
    const store = storeOf(2, ['A', 'B']);
    const clock = new ManualClock(START_MS);
    const gateway = acceptingGateway();
    const racing = async (request: SendRequest): Promise<RequestResult> => {
      store.apply('m2', { type: 'claim', atMs: clock.now() });
      return gateway.send(request);
    };
    await runSenderTurn({ store, send: racing, clock });
    expect(gateway.requests).toEqual([['m1']]);
    expect(store.message('m2')?.status).toBe('sending');
  });
});
