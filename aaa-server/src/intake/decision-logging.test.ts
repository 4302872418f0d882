// How an Access-Request decision is timed and handed to the decision log: by the NAS's Event-Timestamp
// when it sent a plausible one (a late retransmission then repeats the request's time and is logged
// once), else by the moment it arrived; a drop is no decision.
import { PacketCode } from '@kiunga/dictionaries';
import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodeRequest, namedAttribute } from '../codec/index';
import { type AccessDecisionEntry, DecisionLog } from '../store/decision-log';
import type { NasEntry } from '../store/index';
import type { IntakeContext } from './context';
import { decisionRequestOf, logDecision, NAS_EVENT_TIME_SKEW_MAX_MS } from './decision-logging';

const SECRET = 'decision-secret';
const RECEIVED_AT_MS = Date.UTC(2030, 2, 1, 14, 2, 0);
const NAS = { id: 'nas_1', tenantId: 'ten_1' } as NasEntry;

function accessRequest(eventTime?: Date) {
  const attributes = [
    namedAttribute('User-Name', 'ABC123'),
    namedAttribute('Calling-Station-Id', 'AA-BB-CC-00-00-01'),
    ...(eventTime ? [namedAttribute('Event-Timestamp', eventTime)] : []),
  ];
  return decodePacket(
    encodeRequest({ code: PacketCode.AccessRequest, identifier: 7, attributes, secret: SECRET }),
  );
}

/** A decision log that keeps what it is handed in memory (its database is never reached). */
class RecordingDecisionLog extends DecisionLog {
  readonly entries: AccessDecisionEntry[] = [];
  constructor() {
    super(() => {
      throw new Error('not written in this test');
    });
  }
  override record(entry: AccessDecisionEntry): void {
    const repeatedBefore = this.repeated;
    super.record(entry);
    // super.record buffers it unless it repeated a NAS-timed decision.
    if (this.repeated === repeatedBefore) this.entries.push(entry);
  }
}

function contextWith(decisions: DecisionLog): IntakeContext {
  return { clock: new ManualClock(RECEIVED_AT_MS), decisions } as unknown as IntakeContext;
}

/** Logs as the intake does: with what it read of the request on arrival (now, on the test's clock). */
function logArrived<Outcome extends Parameters<typeof logDecision>[4]>(
  context: IntakeContext,
  packet: ReturnType<typeof accessRequest>,
  outcome: Outcome,
): Outcome {
  return logDecision(context, NAS, packet, decisionRequestOf(packet, context.clock.now()), outcome);
}

describe('logDecision', () => {
  it("times a decision by the NAS's Event-Timestamp and logs its late retransmission once", () => {
    const decisions = new RecordingDecisionLog();
    const context = contextWith(decisions);
    const eventTime = new Date(RECEIVED_AT_MS - 12_000);
    logArrived(context, accessRequest(eventTime), { kind: 'accept' });
    // The NAS sends the same request again; it arrives later, with the same Event-Timestamp.
    (context.clock as ManualClock).advance(20_000);
    logArrived(context, accessRequest(eventTime), { kind: 'accept' });
    expect(decisions.entries).toEqual([
      {
        tenantId: 'ten_1',
        decidedAtMs: eventTime.getTime(),
        username: 'ABC123',
        nasId: 'nas_1',
        macAddress: 'aa:bb:cc:00:00:01',
        result: 'accept',
        reasonCode: null,
        isNasEventTime: true,
      },
    ]);
    expect(decisions.repeated).toBe(1);
  });

  it('times by arrival when the NAS sent no Event-Timestamp or one too far off (a router without NTP)', async () => {
    const decisions = new RecordingDecisionLog();
    const context = contextWith(decisions);
    logArrived(context, accessRequest(), { kind: 'reject', reason: 'device_limit_reached' });
    logArrived(context, accessRequest(new Date(0)), { kind: 'accept' });
    logArrived(context, accessRequest(new Date(RECEIVED_AT_MS + NAS_EVENT_TIME_SKEW_MAX_MS + 1_000)), {
      kind: 'accept',
    });
    await logArrived(context, accessRequest(), Promise.resolve({ kind: 'drop' as const }));
    expect(decisions.entries.map((entry) => [entry.decidedAtMs, entry.result, entry.reasonCode])).toEqual([
      [RECEIVED_AT_MS, 'reject', 'device_limit_reached'],
      [RECEIVED_AT_MS, 'accept', null],
      [RECEIVED_AT_MS, 'accept', null],
    ]);
  });

  it('times a decision that waited for the database by when its request arrived, not by when it was made', async () => {
    const decisions = new RecordingDecisionLog();
    const context = contextWith(decisions);
    let settle: (outcome: { kind: 'reject'; reason: string }) => void = () => {};
    const outcome = logArrived(
      context,
      accessRequest(),
      new Promise<{ kind: 'reject'; reason: string }>((resolve) => {
        settle = resolve;
      }),
    );
    // The database read takes a while; the decision is about the request that came in before it.
    (context.clock as ManualClock).advance(1_500);
    settle({ kind: 'reject', reason: 'invalid_credentials' });
    await outcome;
    await Promise.resolve();
    expect(decisions.entries.map((entry) => [entry.decidedAtMs, entry.username, entry.macAddress])).toEqual([
      [RECEIVED_AT_MS, 'ABC123', 'aa:bb:cc:00:00:01'],
    ]);
  });
});
