// NAS reachability and the health view, as an ISP sees them in the console.
import { describe, expect, it } from 'vitest';
import type { SnmpHealthSample } from '../../../integrations/snmp';
import { assessNasHealth, describeNasHealth, monitoringSettingsSchema } from './nas-health';

const MINUTE_MS = 60_000;
const T0 = Date.UTC(2030, 2, 14, 7);

const facts = (overrides: Partial<Parameters<typeof assessNasHealth>[0]> = {}) => ({
  lastSnmpAnswerAtMs: null,
  lastAccountingAtMs: null,
  monitoredSinceMs: T0,
  quietThresholdMinutes: 10,
  ...overrides,
});

describe('assessNasHealth', () => {
  it('is reachable while SNMP or accounting was heard within the threshold, from the later of the two', () => {
    const health = assessNasHealth(
      facts({ lastSnmpAnswerAtMs: T0 + MINUTE_MS, lastAccountingAtMs: T0 + 5 * MINUTE_MS }),
      T0 + 14 * MINUTE_MS,
    );
    expect(health).toEqual({
      reachability: 'reachable',
      isReachable: true,
      lastSeenAtMs: T0 + 5 * MINUTE_MS,
      quietAtMs: T0 + 15 * MINUTE_MS,
    });
  });

  it('turns quiet exactly when the threshold has passed without a word', () => {
    const heard = facts({ lastAccountingAtMs: T0 });
    expect(assessNasHealth(heard, T0 + 10 * MINUTE_MS - 1).reachability).toBe('reachable');
    expect(assessNasHealth(heard, T0 + 10 * MINUTE_MS)).toMatchObject({
      reachability: 'quiet',
      isReachable: false,
    });
  });

  it('waits for a new NAS never heard from, then calls it quiet after the threshold', () => {
    expect(assessNasHealth(facts(), T0 + 9 * MINUTE_MS)).toMatchObject({
      reachability: 'waiting',
      isReachable: false,
    });
    expect(assessNasHealth(facts(), T0 + 10 * MINUTE_MS).reachability).toBe('quiet');
  });
});

describe('monitoringSettingsSchema', () => {
  it('defaults to 10 minutes and refuses thresholds that would flap or never fire', () => {
    expect(monitoringSettingsSchema.parse({})).toEqual({ quietThresholdMinutes: 10 });
    expect(monitoringSettingsSchema.safeParse({ quietThresholdMinutes: 2 }).success).toBe(false);
    expect(monitoringSettingsSchema.safeParse({ quietThresholdMinutes: 1441 }).success).toBe(false);
  });
});

describe('describeNasHealth', () => {
  const sample: SnmpHealthSample = {
    polledAtMs: T0 + MINUTE_MS,
    sysUpTimeSeconds: 86_400,
    cpuLoadPercent: 12.5,
    processorCount: 4,
    memory: { totalBytes: 268_435_456, usedBytes: 67_108_864 },
    interfaces: [{ index: 1, name: 'ether1', inOctets: 5_000_000_000n, outOctets: 70n, counterBits: 64 }],
    isInterfaceListTruncated: false,
  };

  it('answers the issue 12 shape with JSON numbers', () => {
    const view = describeNasHealth(
      facts({ lastSnmpAnswerAtMs: T0 + MINUTE_MS, lastAccountingAtMs: T0 }),
      sample,
      T0 + 2 * MINUTE_MS,
    );
    expect(view).toEqual({
      reachable: true,
      lastSeenAt: T0 + MINUTE_MS,
      lastAccountingAt: T0,
      snmp: {
        polledAt: T0 + MINUTE_MS,
        sysUpTimeSeconds: 86_400,
        cpuLoadPercent: 12.5,
        memory: { totalBytes: 268_435_456, usedBytes: 67_108_864 },
        interfaces: [{ name: 'ether1', inOctets: 5_000_000_000, outOctets: 70 }],
      },
    });
    expect(() => JSON.stringify(view)).not.toThrow();
  });

  it('has snmp null for a NAS without an SNMP sample', () => {
    expect(describeNasHealth(facts({ lastAccountingAtMs: T0 }), null, T0).snmp).toBeNull();
  });
});
