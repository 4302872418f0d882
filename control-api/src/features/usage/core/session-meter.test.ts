// One session's counters into usage: the cases a NAS and the network produce, one by one.
import { describe, expect, it } from 'vitest';
import type { MeteredAccountingRecord } from './accounting-record';
import { accountingEventTimeMs } from './accounting-record';
import { spreadOverHours } from './rollups';
import { meterRecord, RUNS_KEPT_MAX, type SessionMeterState } from './session-meter';

const T0 = Date.UTC(2030, 2, 14, 7, 50);
const GIGAWORD = 2 ** 32;

function record(
  sessionSeconds: number,
  input: number,
  output: number,
  overrides: Partial<MeteredAccountingRecord> = {},
): MeteredAccountingRecord {
  return {
    nasId: 'nas_a',
    acctSessionId: '81a00001',
    subject: { kind: 'voucher', id: 'vch_1' },
    planId: 'pln_day',
    status: 'interim',
    inputOctets: input % GIGAWORD,
    inputGigawords: Math.floor(input / GIGAWORD),
    outputOctets: output % GIGAWORD,
    outputGigawords: Math.floor(output / GIGAWORD),
    sessionSeconds,
    eventTimeMs: T0 + sessionSeconds * 1000,
    ...overrides,
  };
}

/** Feeds records in order; returns each outcome and the octets counted in total. */
function meter(records: MeteredAccountingRecord[], state: SessionMeterState | null = null) {
  let current = state;
  const outcomes: string[] = [];
  let input = 0;
  let output = 0;
  let seconds = 0;
  for (const item of records) {
    const result = meterRecord(current, item);
    outcomes.push(result.outcome);
    current = result.state;
    input += result.usage?.inputOctets ?? 0;
    output += result.usage?.outputOctets ?? 0;
    seconds += result.usage?.sessionSeconds ?? 0;
  }
  return { outcomes, input, output, seconds, state: current };
}

describe('meterRecord', () => {
  it('counts the increase of cumulative counters from Start through interims to Stop', () => {
    const result = meter([
      record(0, 0, 0, { status: 'start' }),
      record(300, 1_000, 50_000),
      record(600, 3_000, 90_000, { status: 'stop' }),
    ]);
    expect(result).toMatchObject({
      outcomes: ['counted', 'counted', 'counted'],
      input: 3_000,
      output: 90_000,
      seconds: 600,
    });
  });

  it('counts a retransmitted interim once', () => {
    const result = meter([
      record(300, 1_000, 50_000),
      record(300, 1_000, 50_000, { eventTimeMs: T0 + 301_000 }),
    ]);
    expect(result).toMatchObject({ outcomes: ['counted', 'duplicate'], input: 1_000, output: 50_000 });
  });

  it('ignores an interim that arrives after a later one, which already holds its octets', () => {
    const result = meter([record(600, 3_000, 90_000), record(300, 1_000, 50_000)]);
    expect(result).toMatchObject({
      outcomes: ['counted', 'late'],
      input: 3_000,
      output: 90_000,
      seconds: 600,
    });
  });

  it('unwraps a 32-bit counter that wrapped on a NAS that sends no Gigawords', () => {
    const noGigawords = (seconds: number, input: number) =>
      record(seconds, 0, 0, { inputOctets: input, inputGigawords: 0 });
    const result = meter([
      noGigawords(300, GIGAWORD - 1_000),
      noGigawords(600, 500),
      noGigawords(900, 4_000_000_000),
    ]);
    expect(result.input).toBe(GIGAWORD + 4_000_000_000);
  });

  it('takes Gigawords as they are: more than 4 GiB between two interims is not a wrap', () => {
    const result = meter([record(300, 1_000, 0), record(600, 3 * GIGAWORD + 7, 0)]);
    expect(result.input).toBe(3 * GIGAWORD + 7);
  });

  it('counts a NAS restart that reuses the Acct-Session-Id as a new run from zero', () => {
    const beforeReboot = [record(0, 0, 0, { status: 'start' }), record(3_600, 9_000, 80_000)];
    // The NAS rebooted 2 minutes after its last interim; the new session's counters begin again.
    const rebootAtMs = T0 + 3_720_000;
    const afterReboot = [
      record(0, 0, 0, { status: 'start', eventTimeMs: rebootAtMs }),
      record(300, 700, 4_000, { eventTimeMs: rebootAtMs + 300_000 }),
    ];
    const result = meter([...beforeReboot, ...afterReboot]);
    expect(result).toMatchObject({ input: 9_700, output: 84_000, seconds: 3_900 });
    expect(result.state?.runs).toHaveLength(2);
  });

  it('still counts a late interim of the run before a restart', () => {
    const rebootAtMs = T0 + 3_720_000;
    const result = meter([
      record(1_800, 5_000, 0),
      record(300, 700, 0, { eventTimeMs: rebootAtMs + 300_000 }),
      // Sent before the reboot, delivered after the new run's interim.
      record(3_600, 9_000, 0),
    ]);
    expect(result).toMatchObject({ outcomes: ['counted', 'counted', 'counted'], input: 9_700 });
  });

  it('keeps what the last interim said when the Stop is lost, and counts a first-seen session from zero', () => {
    const result = meter([record(900, 12_345, 67_890)]);
    expect(result).toMatchObject({ outcomes: ['counted'], input: 12_345, output: 67_890, seconds: 900 });
  });

  it('forgets runs beyond the last few and calls records of older runs stale', () => {
    let state: SessionMeterState | null = null;
    for (let run = 1; run <= RUNS_KEPT_MAX; run++) {
      state = meterRecord(state, record(60, 10, 10, { eventTimeMs: T0 + run * 86_400_000 })).state;
    }
    expect(meterRecord(state, record(60, 10, 10)).outcome).toBe('stale');
  });

  it('refuses counters that are not 32-bit unsigned integers', () => {
    expect(meterRecord(null, record(60, 0, 0, { inputOctets: -1 })).outcome).toBe('invalid');
    expect(meterRecord(null, record(60, 0, 0, { outputOctets: 1.5 })).outcome).toBe('invalid');
  });
});

describe('accountingEventTimeMs', () => {
  it('prefers Event-Timestamp, else takes Acct-Delay-Time off the receive time', () => {
    expect(
      accountingEventTimeMs({ receivedAtMs: T0, acctDelayTimeSeconds: 30, eventTimestampSeconds: null }),
    ).toBe(T0 - 30_000);
    expect(
      accountingEventTimeMs({
        receivedAtMs: T0,
        acctDelayTimeSeconds: 30,
        eventTimestampSeconds: 1_900_000_000,
      }),
    ).toBe(1_900_000_000_000);
  });
});

describe('spreadOverHours', () => {
  it('splits usage over the hours it accrued in by time, the parts adding up exactly', () => {
    // 07:50 to 08:05: 10 minutes in the 07:00 hour, 5 in the 08:00 hour.
    const pieces = spreadOverHours({
      fromMs: T0,
      toMs: T0 + 15 * 60_000,
      inputOctets: 1_000,
      outputOctets: 7,
      sessionSeconds: 900,
    });
    expect(pieces).toEqual([
      { hourStartMs: Date.UTC(2030, 2, 14, 7), inputOctets: 666, outputOctets: 4, sessionSeconds: 600 },
      { hourStartMs: Date.UTC(2030, 2, 14, 8), inputOctets: 334, outputOctets: 3, sessionSeconds: 300 },
    ]);
  });

  it('puts usage reported at an instant into that instant’s hour', () => {
    expect(
      spreadOverHours({ fromMs: T0, toMs: T0, inputOctets: 5, outputOctets: 5, sessionSeconds: 0 }),
    ).toEqual([
      { hourStartMs: Date.UTC(2030, 2, 14, 7), inputOctets: 5, outputOctets: 5, sessionSeconds: 0 },
    ]);
  });
});
