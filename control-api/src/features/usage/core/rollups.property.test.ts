// Property: over random accounting streams with restarts, lost Stops, counter wraps, duplicates and
// reordering, delivered in random batches, the rollups equal the exact totals of the raw records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startOfLocalDayMs } from '../../../billing/core/calendar';
import { COUNTER32_MODULUS, type MeteredAccountingRecord, sessionKeyOf } from './accounting-record';
import { meterAccountingBatch, type UsageRollupIncrement } from './rollups';
import type { SessionMeterState } from './session-meter';

const T0 = Date.UTC(2030, 2, 14, 5, 17);
const MINUTE_MS = 60_000;

interface Step {
  readonly seconds: number;
  readonly input: number;
  readonly output: number;
  readonly jitterMs: number;
}

interface GeneratedSession {
  readonly nasId: string;
  readonly acctSessionId: string;
  readonly subjectId: string;
  readonly planId: string;
  readonly usesGigawords: boolean;
  readonly startOffsetMinutes: number;
  readonly runs: ReadonlyArray<{
    readonly gapSeconds: number;
    readonly steps: readonly Step[];
    readonly isStopLost: boolean;
  }>;
  /** Per delivered record: dropped (Gigawords sessions only), sent twice, moved. */
  readonly faults: ReadonlyArray<{
    readonly isDropped: boolean;
    readonly isDuplicated: boolean;
    readonly shift: number;
  }>;
}

/** True cumulative values of one record, and the record as the NAS encodes it. */
interface TrueRecord {
  readonly runId: number;
  readonly input: number;
  readonly output: number;
  readonly seconds: number;
  readonly record: MeteredAccountingRecord;
}

const stepArbitrary = (usesGigawords: boolean) =>
  fc.record({
    seconds: fc.integer({ min: 1, max: 1_800 }),
    // Without Gigawords at most one wrap may fall between two counted records: steps below 2^31,
    // and such sessions only lose a final Stop and swap neighbours (see the faults below).
    input: fc.integer({ min: 0, max: usesGigawords ? 2 ** 34 : 2 ** 31 - 1 }),
    output: fc.integer({ min: 0, max: usesGigawords ? 2 ** 34 : 2 ** 31 - 1 }),
    jitterMs: fc.integer({ min: 0, max: 999 }),
  });

const sessionArbitrary = fc.boolean().chain((usesGigawords) =>
  fc.record({
    nasId: fc.constantFrom('nas_a', 'nas_b'),
    acctSessionId: fc.constantFrom('81a00001', '81a00002', '81a00003', '81a00004'),
    subjectId: fc.constantFrom('sub_1', 'sub_2', 'vch_1'),
    planId: fc.constantFrom('pln_home', 'pln_day'),
    usesGigawords: fc.constant(usesGigawords),
    startOffsetMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    runs: fc.array(
      fc.record({
        // A NAS reboot takes more than half a minute.
        gapSeconds: fc.integer({ min: 30, max: 6 * 3_600 }),
        steps: fc.array(stepArbitrary(usesGigawords), { minLength: 0, maxLength: 10 }),
        isStopLost: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    faults: fc.array(
      fc.record({
        isDropped: fc.boolean(),
        isDuplicated: fc.boolean(),
        shift: fc.integer({ min: 0, max: 4 }),
      }),
      { minLength: 40, maxLength: 40 },
    ),
  }),
);

function encode(
  session: GeneratedSession,
  status: MeteredAccountingRecord['status'],
  input: number,
  output: number,
  seconds: number,
  eventTimeMs: number,
): MeteredAccountingRecord {
  const gigawords = (value: number) => (session.usesGigawords ? Math.floor(value / COUNTER32_MODULUS) : 0);
  return {
    nasId: session.nasId,
    acctSessionId: session.acctSessionId,
    subject: { kind: session.subjectId.startsWith('vch') ? 'voucher' : 'subscriber', id: session.subjectId },
    planId: session.planId,
    status,
    inputOctets: input % COUNTER32_MODULUS,
    inputGigawords: gigawords(input),
    outputOctets: output % COUNTER32_MODULUS,
    outputGigawords: gigawords(output),
    sessionSeconds: seconds,
    eventTimeMs,
  };
}

/** What the NAS sent for one session, in the order it sent it. */
function sentRecords(session: GeneratedSession, sessionIndex: number): TrueRecord[] {
  const sent: TrueRecord[] = [];
  let runStartMs = T0 + session.startOffsetMinutes * MINUTE_MS;
  session.runs.forEach((run, runIndex) => {
    const runId = sessionIndex * 10 + runIndex;
    let input = 0;
    let output = 0;
    let seconds = 0;
    sent.push({ runId, input, output, seconds, record: encode(session, 'start', 0, 0, 0, runStartMs) });
    run.steps.forEach((step, stepIndex) => {
      input += step.input;
      output += step.output;
      seconds += step.seconds;
      const isLast = stepIndex === run.steps.length - 1;
      const status = isLast && !run.isStopLost ? 'stop' : 'interim';
      const eventTimeMs = runStartMs + seconds * 1000 + step.jitterMs;
      sent.push({
        runId,
        input,
        output,
        seconds,
        record: encode(session, status, input, output, seconds, eventTimeMs),
      });
    });
    runStartMs += seconds * 1000 + run.gapSeconds * 1000;
  });
  return sent;
}

/** Drops, duplicates and reorders as UDP and a NAS's retries would. */
function delivered(session: GeneratedSession, sent: readonly TrueRecord[]): TrueRecord[] {
  const withKeys: Array<{ key: number; item: TrueRecord }> = [];
  sent.forEach((item, position) => {
    const fault = session.faults[position % session.faults.length]!;
    const isLastOfRun = sent[position + 1]?.runId !== item.runId;
    const mayDrop = session.usesGigawords || (isLastOfRun && item.record.status === 'stop');
    if (fault.isDropped && mayDrop) return;
    // Without Gigawords only neighbours swap (a shift of at most 1.5 positions); otherwise up to 4.
    const shift = session.usesGigawords ? fault.shift : Math.min(fault.shift, 1) * 1.5;
    withKeys.push({ key: position + shift, item });
    if (fault.isDuplicated) withKeys.push({ key: position + 1 + fault.shift, item });
  });
  return withKeys.sort((left, right) => left.key - right.key).map(({ item }) => item);
}

/** The exact totals: per run, the largest cumulative values among delivered records; runs add up. */
function exactTotals(records: readonly TrueRecord[]): Map<string, [number, number, number]> {
  const perRun = new Map<number, TrueRecord>();
  for (const item of records) {
    const best = perRun.get(item.runId);
    if (best === undefined || item.seconds > best.seconds) perRun.set(item.runId, item);
  }
  const totals = new Map<string, [number, number, number]>();
  for (const item of perRun.values()) {
    const { record } = item;
    const keys = [
      `nas|${record.nasId}`,
      `${record.subject?.kind}|${record.subject?.id}`,
      `plan|${record.planId}`,
    ];
    for (const key of keys) {
      const sum = totals.get(key) ?? [0, 0, 0];
      totals.set(key, [sum[0] + item.input, sum[1] + item.output, sum[2] + item.seconds]);
    }
  }
  return totals;
}

function sumIncrements(increments: readonly UsageRollupIncrement[], granularity: 'hour' | 'day') {
  const totals = new Map<string, [number, number, number]>();
  for (const item of increments) {
    if (item.granularity !== granularity) continue;
    const key = `${item.dimension}|${item.dimensionId}`;
    const sum = totals.get(key) ?? [0, 0, 0];
    totals.set(key, [sum[0] + item.inputOctets, sum[1] + item.outputOctets, sum[2] + item.sessionSeconds]);
  }
  return totals;
}

function withoutZeros(totals: Map<string, [number, number, number]>) {
  return new Map([...totals].filter(([, sum]) => sum.some((value) => value !== 0)));
}

describe('meterAccountingBatch over random accounting streams', () => {
  it('rolls up exactly the raw records’ totals per subject, plan and NAS, by hour and by day', () => {
    fc.assert(
      fc.property(
        fc.array(sessionArbitrary, { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 30 }),
        (sessions, interleaving, batchSizes) => {
          // Session keys may repeat (an Acct-Session-Id reused by another run): keep keys unique per NAS.
          const unique = sessions.filter(
            (session, index) =>
              sessions.findIndex((other) => sessionKeyOf(other) === sessionKeyOf(session)) === index,
          );
          const queues = unique.map((session, index) => delivered(session, sentRecords(session, index)));
          const stream: TrueRecord[] = [];
          for (let turn = 0; queues.some((queue) => queue.length > 0); turn++) {
            const open = queues.filter((queue) => queue.length > 0);
            const queue = open[(interleaving[turn % interleaving.length] ?? 0) % open.length]!;
            stream.push(queue.shift()!);
          }
          const increments: UsageRollupIncrement[] = [];
          const states = new Map<string, SessionMeterState>();
          for (let start = 0, batch = 0; start < stream.length; batch++) {
            const size = batchSizes[batch % batchSizes.length]!;
            const result = meterAccountingBatch(
              stream.slice(start, start + size).map((item) => item.record),
              states,
            );
            expect(result.counts.stale + result.counts.invalid).toBe(0);
            for (const [key, state] of result.sessionStates) states.set(key, state);
            increments.push(...result.increments);
            start += size;
          }
          expect(
            increments.every(
              (item) => item.inputOctets >= 0 && item.outputOctets >= 0 && item.sessionSeconds >= 0,
            ),
          ).toBe(true);
          const exact = withoutZeros(exactTotals(stream));
          expect(withoutZeros(sumIncrements(increments, 'hour'))).toEqual(exact);
          expect(withoutZeros(sumIncrements(increments, 'day'))).toEqual(exact);
          // Every hour lies in the local day it is rolled up into.
          const hourDays = increments
            .filter((item) => item.granularity === 'hour')
            .map((item) => ({
              ...item,
              granularity: 'day' as const,
              bucketStartMs: startOfLocalDayMs(item.bucketStartMs),
            }));
          const byDayKey = (items: UsageRollupIncrement[]) => {
            const sums = new Map<string, number>();
            for (const item of items) {
              const key = `${item.dimension}|${item.dimensionId}|${item.bucketStartMs}`;
              sums.set(
                key,
                (sums.get(key) ?? 0) + item.inputOctets + item.outputOctets + item.sessionSeconds,
              );
            }
            return sums;
          };
          expect(byDayKey(hourDays)).toEqual(
            byDayKey(increments.filter((item) => item.granularity === 'day')),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
