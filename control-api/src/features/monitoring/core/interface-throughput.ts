// Per-interface throughput between two SNMP samples of a NAS, across counter wraps and NAS restarts.
import type { SnmpHealthSample } from '../../../integrations/snmp';

/**
 * Samples further apart than this give no rate: a Counter32 wraps every 34 s at 1 Gb/s, so over a
 * long gap it may have wrapped more than once and the difference would be wrong.
 */
export const THROUGHPUT_INTERVAL_MAX_MS = 10 * 60 * 1000;
const BITS_PER_OCTET = 8n;

export interface InterfaceThroughput {
  readonly name: string;
  readonly inBitsPerSecond: number;
  readonly outBitsPerSecond: number;
}

/**
 * Rates for interfaces present in both samples under the same ifIndex and name. Counters wrap modulo
 * 2^64 (or 2^32 for Counter32) as RFC 2578 section 7.1.6/7.1.10 define; none when the agent restarted
 * (sysUpTime went back: its counters restarted too, RFC 2863 ifCounterDiscontinuityTime), when the
 * samples are too far apart, or not in order.
 */
export function interfaceThroughput(
  previous: SnmpHealthSample,
  current: SnmpHealthSample,
): InterfaceThroughput[] {
  const intervalMs = current.polledAtMs - previous.polledAtMs;
  if (intervalMs <= 0 || intervalMs > THROUGHPUT_INTERVAL_MAX_MS) return [];
  if (current.sysUpTimeSeconds < previous.sysUpTimeSeconds) return [];
  const before = new Map(previous.interfaces.map((item) => [item.index, item]));
  const rates: InterfaceThroughput[] = [];
  for (const item of current.interfaces) {
    const earlier = before.get(item.index);
    if (earlier === undefined || earlier.name !== item.name || earlier.counterBits !== item.counterBits)
      continue;
    const modulus = 1n << BigInt(item.counterBits);
    const rate = (now: bigint, then: bigint): number => {
      const octets = (((now - then) % modulus) + modulus) % modulus;
      return Number((octets * BITS_PER_OCTET * 1000n) / BigInt(intervalMs));
    };
    rates.push({
      name: item.name,
      inBitsPerSecond: rate(item.inOctets, earlier.inOctets),
      outBitsPerSecond: rate(item.outOctets, earlier.outOctets),
    });
  }
  return rates;
}
