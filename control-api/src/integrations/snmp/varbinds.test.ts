// Reading varbinds exactly: Counter64 above 2^53 through snmp-native's own parser, types, and the sums.
import { parse } from 'snmp-native';
import { describe, expect, it } from 'vitest';
import { SnmpPollError } from './errors';
import { IF_HC_IN_OCTETS } from './oids';
import { averageProcessorLoad, counterOf, integerOf, memoryFromStorage, SnmpType } from './varbinds';

/** BER tag-length-value with a short or long length (X.690 section 8.1.3). */
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x81, content.length]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function encodeOid(oid: readonly number[]): Buffer {
  const [first = 0, second = 0, ...rest] = oid;
  const octets = [first * 40 + second];
  for (const part of rest) {
    const groups: number[] = [];
    let value = part;
    do {
      groups.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    octets.push(...groups.map((group, position) => (position < groups.length - 1 ? group | 0x80 : group)));
  }
  return tlv(0x06, Buffer.from(octets));
}

/** A GetResponse-PDU (RFC 3416 section 3) carrying one varbind, as an agent would send it. */
function getResponse(oid: readonly number[], valueTag: number, valueContent: Buffer): Buffer {
  const integer = (value: number) => tlv(0x02, Buffer.from([value]));
  const varbind = tlv(0x30, Buffer.concat([encodeOid(oid), tlv(valueTag, valueContent)]));
  const pdu = tlv(0xa2, Buffer.concat([integer(7), integer(0), integer(0), tlv(0x30, varbind)]));
  return tlv(0x30, Buffer.concat([integer(1), tlv(0x04, Buffer.from('public')), pdu]));
}

function counterFromWire(valueTag: number, content: number[]) {
  const packet = parse(getResponse([...IF_HC_IN_OCTETS, 1], valueTag, Buffer.from(content)));
  const [varbind] = packet.pdu.varbinds;
  if (varbind === undefined) throw new Error('no varbind parsed');
  return counterOf(varbind);
}

describe('counterOf', () => {
  it('reads a Counter64 above 2^53 exactly, where a JavaScript number would round', () => {
    // 2^53 + 1
    expect(counterFromWire(SnmpType.counter64, [0x20, 0, 0, 0, 0, 0, 1])).toEqual({
      value: 9_007_199_254_740_993n,
      bits: 64,
    });
  });

  it('reads the largest Counter64, sent with a leading zero octet', () => {
    expect(
      counterFromWire(SnmpType.counter64, [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).value,
    ).toBe(2n ** 64n - 1n);
  });

  it('reads a Counter32 as a 32-bit counter', () => {
    expect(counterFromWire(SnmpType.counter32, [0, 0xff, 0xff, 0xff, 0xff])).toEqual({
      value: 4_294_967_295n,
      bits: 32,
    });
  });

  it('refuses a Counter32 wider than 32 bits and a value that is not a counter', () => {
    expect(() => counterFromWire(SnmpType.counter32, [1, 0, 0, 0, 0])).toThrow(SnmpPollError);
    expect(() => counterFromWire(SnmpType.octetString, [0x41])).toThrow(/expected a counter/);
  });
});

describe('integerOf', () => {
  it('takes INTEGER, Gauge32 and TimeTicks and refuses a string', () => {
    const varbind = (type: number, value: unknown) => ({
      oid: [1, 3],
      type,
      value,
      valueRaw: Buffer.alloc(0),
    });
    expect(integerOf(varbind(SnmpType.timeTicks, 12_345) as never)).toBe(12_345);
    expect(integerOf(varbind(SnmpType.gauge32, 7) as never)).toBe(7);
    expect(() => integerOf(varbind(SnmpType.octetString, '7') as never)).toThrow(SnmpPollError);
  });
});

describe('averageProcessorLoad', () => {
  it('is the mean of the processors, or null with none', () => {
    expect(averageProcessorLoad([10, 20, 35])).toBeCloseTo(21.667, 3);
    expect(averageProcessorLoad([])).toBeNull();
  });

  it('refuses a load outside 0..100, which RFC 2790 does not allow', () => {
    expect(() => averageProcessorLoad([101])).toThrow(/outside 0..100/);
  });
});

describe('memoryFromStorage', () => {
  it('adds the RAM rows in bytes and ignores disks', () => {
    expect(
      memoryFromStorage([
        { isRam: true, allocationUnitBytes: 1024, sizeUnits: 131_072, usedUnits: 40_000 },
        { isRam: false, allocationUnitBytes: 4096, sizeUnits: 1_000_000, usedUnits: 999_999 },
      ]),
    ).toEqual({ totalBytes: 134_217_728, usedBytes: 40_960_000 });
    expect(memoryFromStorage([])).toBeNull();
  });
});
