// The sender job's plan: batches at the rate, requests grouped by text, waits, completion; what each
// kind of gateway answer does to the run and its messages.
import { describe, expect, it } from 'vitest';
import {
  type CampaignRun,
  campaignProgress,
  GATEWAY_BACKOFF_MS,
  newCampaignRun,
  pauseCampaign,
  planNextStep,
  type QueueSnapshot,
  resumeCampaign,
  type SendRequest,
  settleRequest,
  startCampaign,
} from './campaign-run';
import { type CampaignMessage, queuedMessage } from './messages';

const NOW = Date.UTC(2026, 1, 10, 9);
const message = (index: number, text = `Hello ${index}`): CampaignMessage =>
  queuedMessage({ id: `m${index}`, to: `+2547120000${String(index).padStart(2, '0')}`, text, parts: 1 });
const running: CampaignRun = startCampaign(newCampaignRun(5), NOW);
const snapshot = (due: CampaignMessage[], extra: Partial<QueueSnapshot> = {}): QueueSnapshot => ({
  due,
  queuedCount: due.length,
  sendingCount: 0,
  earliestRetryAtMs: null,
  ...extra,
});
const request: SendRequest = { text: 'Hi', messageIds: ['m1', 'm2'], to: ['+254712000001', '+254712000002'] };

describe('planNextStep', () => {
  it('sends a second’s worth at the rate, same texts together, and spaces the next batch', () => {
    const due = [
      message(1, 'A'),
      message(2, 'B'),
      message(3, 'A'),
      message(4, 'A'),
      message(5, 'C'),
      message(6, 'A'),
    ];
    const step = planNextStep(running, snapshot(due), NOW);
    expect(step).toEqual({
      kind: 'send',
      requests: [
        { text: 'A', messageIds: ['m1', 'm3', 'm4'], to: [due[0]!.to, due[2]!.to, due[3]!.to] },
        { text: 'B', messageIds: ['m2'], to: [due[1]!.to] },
        { text: 'C', messageIds: ['m5'], to: [due[4]!.to] },
      ],
      nextBatchAtMs: NOW + 1_000,
    });
    expect(planNextStep({ ...running, nextBatchAtMs: NOW + 1_000 }, snapshot(due), NOW)).toEqual({
      kind: 'wait',
      untilMs: NOW + 1_000,
    });
  });

  it('cuts one text to many numbers into requests of at most 100', () => {
    const fast = startCampaign(newCampaignRun(100), NOW);
    const due = Array.from({ length: 100 }, (_, index) => message(index, 'Same'));
    const step = planNextStep(fast, snapshot(due), NOW);
    expect(step.kind === 'send' && step.requests.map((entry) => entry.to.length)).toEqual([100]);
  });

  it('waits for retries, completes when nothing is queued or in flight, and idles unless sending', () => {
    expect(
      planNextStep(running, snapshot([], { queuedCount: 2, earliestRetryAtMs: NOW + 60_000 }), NOW),
    ).toEqual({
      kind: 'wait',
      untilMs: NOW + 5_000,
    });
    expect(
      planNextStep(running, snapshot([], { queuedCount: 1, earliestRetryAtMs: NOW + 2_000 }), NOW),
    ).toEqual({
      kind: 'wait',
      untilMs: NOW + 2_000,
    });
    expect(planNextStep(running, snapshot([]), NOW)).toEqual({ kind: 'complete' });
    expect(planNextStep(pauseCampaign(running, 'by_isp'), snapshot([message(1)]), NOW)).toEqual({
      kind: 'idle',
    });
  });
});

describe('settleRequest', () => {
  it('marks each number by its own answer; a short balance releases it and pauses the run', () => {
    const settlement = settleRequest(
      running,
      { text: 'Hi', messageIds: ['m1', 'm2', 'm3', 'm4'], to: ['a', 'b', 'c', 'd'] },
      {
        kind: 'answered',
        recipients: [
          { outcome: 'sent', statusCode: 101, status: 'Success', providerMessageId: 'ATXid_1' },
          { outcome: 'failed', statusCode: 403, status: 'InvalidPhoneNumber', providerMessageId: null },
          { outcome: 'retryable', statusCode: 501, status: 'GatewayError', providerMessageId: null },
          { outcome: 'retryable', statusCode: 405, status: 'InsufficientBalance', providerMessageId: null },
        ],
      },
      NOW,
    );
    expect(settlement.events.map(({ messageId, event }) => [messageId, event.type])).toEqual([
      ['m1', 'accepted'],
      ['m2', 'refused'],
      ['m3', 'retry_later'],
      ['m4', 'release'],
    ]);
    expect(settlement.run).toMatchObject({ status: 'paused', pauseReason: 'gateway_balance' });
  });

  it('marks a lost answer unknown, backs off, and pauses after three failures in a row', () => {
    let run = running;
    for (let failure = 1; failure <= 3; failure += 1) {
      const settlement = settleRequest(
        run,
        request,
        { kind: 'outcome_unknown', reason: 'no answer within 15000 ms' },
        NOW,
      );
      expect(settlement.events.every(({ event }) => event.type === 'outcome_lost')).toBe(true);
      run = settlement.run;
      expect(run.consecutiveGatewayFailures).toBe(failure);
      expect(run.nextBatchAtMs).toBe(NOW + GATEWAY_BACKOFF_MS[failure - 1]!);
    }
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'gateway_unavailable' });
    expect(resumeCampaign(run, NOW + 1)).toMatchObject({
      status: 'sending',
      consecutiveGatewayFailures: 0,
      nextBatchAtMs: NOW + 1,
    });
  });

  it('retries what the gateway did not take, fails what it refused, releases on refused credentials', () => {
    const busy = settleRequest(
      running,
      request,
      { kind: 'not_sent', reason: 'HTTP 503', isRetryable: true },
      NOW,
    );
    expect(busy.events[0]?.event.type).toBe('retry_later');
    expect(busy.run.consecutiveGatewayFailures).toBe(1);
    const bad = settleRequest(
      running,
      request,
      { kind: 'not_sent', reason: 'HTTP 400', isRetryable: false },
      NOW,
    );
    expect(bad.events[0]?.event.type).toBe('refused');
    expect(bad.run).toBe(running);
    const locked = settleRequest(running, request, { kind: 'credentials_refused', reason: '401' }, NOW);
    expect(locked.events[0]?.event.type).toBe('release');
    expect(locked.run).toMatchObject({ status: 'paused', pauseReason: 'gateway_credentials' });
  });
});

describe('campaignProgress', () => {
  it('counts what has left the sender’s hands', () => {
    expect(
      campaignProgress({
        queued: 5,
        sending: 1,
        sent: 10,
        delivered: 3,
        undelivered: 0,
        failed: 1,
        unknown: 0,
        cancelled: 0,
      }),
    ).toMatchObject({ total: 20, finished: 14, percent: 70 });
  });

  it('refuses a rate outside 1..100 per second', () => {
    expect(() => newCampaignRun(0)).toThrow(RangeError);
    expect(() => newCampaignRun(101)).toThrow(RangeError);
  });
});
