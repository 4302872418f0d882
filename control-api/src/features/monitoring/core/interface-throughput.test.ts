// Interface throughput from two polls, across 64- and 32-bit counter wraps and NAS restarts.
import { describe, expect, it } from 'vitest';
import type { SnmpHealthSample, SnmpInterfaceSample } from '../../../integrations/snmp';
import { interfaceThroughput, THROUGHPUT_INTERVAL_MAX_MS } from './interface-throughput';

const T0 = Date.UTC(2030, 2, 14, 7);

function sample(
  polledAtMs: number,
  sysUpTimeSeconds: number,
  interfaces: SnmpInterfaceSample[],
): SnmpHealthSample {
  return {
    polledAtMs,
    sysUpTimeSeconds,
    cpuLoadPercent: null,
    processorCount: 0,
    memory: null,
    interfaces,
    isInterfaceListTruncated: false,
  };
}

const ether1 = (inOctets: bigint, outOctets: bigint): SnmpInterfaceSample => ({
  index: 1,
  name: 'ether1',
  inOctets,
  outOctets,
  counterBits: 64,
});

describe('interfaceThroughput', () => {
  it('turns octets over a minute into bits per second', () => {
    const rates = interfaceThroughput(
      sample(T0, 100, [ether1(0n, 0n)]),
      sample(T0 + 60_000, 160, [ether1(75_000_000n, 7_500_000n)]),
    );
    expect(rates).toEqual([{ name: 'ether1', inBitsPerSecond: 10_000_000, outBitsPerSecond: 1_000_000 }]);
  });

  it('counts across a Counter64 wrap and a Counter32 wrap', () => {
    const narrow = (inOctets: bigint): SnmpInterfaceSample => ({
      index: 8_388_611,
      name: '<pppoe-alice>',
      inOctets,
      outOctets: 0n,
      counterBits: 32,
    });
    const rates = interfaceThroughput(
      sample(T0, 100, [ether1(2n ** 64n - 1_000n, 0n), narrow(2n ** 32n - 500n)]),
      sample(T0 + 1_000, 101, [ether1(1_000n, 0n), narrow(500n)]),
    );
    expect(rates).toEqual([
      { name: 'ether1', inBitsPerSecond: 16_000, outBitsPerSecond: 0 },
      { name: '<pppoe-alice>', inBitsPerSecond: 8_000, outBitsPerSecond: 0 },
    ]);
  });

  it('gives no rate after a restart, over too long a gap, or for an interface whose index changed hands', () => {
    expect(
      interfaceThroughput(sample(T0, 100, [ether1(5n, 5n)]), sample(T0 + 60_000, 30, [ether1(9n, 9n)])),
    ).toEqual([]);
    expect(
      interfaceThroughput(
        sample(T0, 100, [ether1(5n, 5n)]),
        sample(T0 + THROUGHPUT_INTERVAL_MAX_MS + 1, 800, [ether1(9n, 9n)]),
      ),
    ).toEqual([]);
    const renamed = { ...ether1(9n, 9n), name: '<pppoe-bob>' };
    expect(
      interfaceThroughput(sample(T0, 100, [ether1(5n, 5n)]), sample(T0 + 60_000, 160, [renamed])),
    ).toEqual([]);
  });
});
