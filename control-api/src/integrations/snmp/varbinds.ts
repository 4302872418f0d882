// Reading snmp-native varbinds as the MIBs define them, and the pure sums a health sample needs.
import type { VarBind } from 'snmp-native';
import { SnmpPollError } from './errors';
import { formatOid, type Oid } from './oids';

/** ASN.1 tags of the SMIv2 types and the SNMPv2 exceptions (RFC 2578 section 7.1, RFC 3416 section 3). */
export const SnmpType = {
  integer: 0x02,
  octetString: 0x04,
  objectIdentifier: 0x06,
  counter32: 0x41,
  gauge32: 0x42,
  timeTicks: 0x43,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
} as const;

/** RFC 2578 section 7.1.10: Counter64 values are 0..2^64-1, carried in at most 9 content octets. */
const COUNTER64_CONTENT_OCTETS_MAX = 9;

/** The parts of a varbind this module reads; snmp-native's VarBind has them all. */
export type ReadableVarBind = Pick<VarBind, 'oid' | 'type' | 'value' | 'valueRaw'>;

/** noSuchObject, noSuchInstance or endOfMibView: "there is nothing here", not an error. */
export function isException(varbind: ReadableVarBind): boolean {
  return (
    varbind.type === SnmpType.noSuchObject ||
    varbind.type === SnmpType.noSuchInstance ||
    varbind.type === SnmpType.endOfMibView
  );
}

function invalid(varbind: ReadableVarBind, expected: string): SnmpPollError {
  return new SnmpPollError(
    'invalid_response',
    `${formatOid(varbind.oid)} answered type 0x${varbind.type.toString(16)}, expected ${expected}`,
  );
}

/** An INTEGER, Gauge32 or TimeTicks value (all fit a JavaScript number exactly). */
export function integerOf(varbind: ReadableVarBind): number {
  const isInteger =
    varbind.type === SnmpType.integer ||
    varbind.type === SnmpType.gauge32 ||
    varbind.type === SnmpType.timeTicks;
  if (!isInteger || typeof varbind.value !== 'number' || !Number.isSafeInteger(varbind.value)) {
    throw invalid(varbind, 'an integer');
  }
  return varbind.value;
}

/**
 * A Counter64 or Counter32 as an exact bigint. snmp-native decodes counters into a JavaScript
 * number, which loses precision above 2^53; the raw content octets (big-endian, unsigned: BER
 * adds a leading zero octet when the top bit is set) are read instead.
 */
export function counterOf(varbind: ReadableVarBind): { value: bigint; bits: 64 | 32 } {
  if (varbind.type !== SnmpType.counter64 && varbind.type !== SnmpType.counter32) {
    throw invalid(varbind, 'a counter');
  }
  const raw = varbind.valueRaw;
  if (!Buffer.isBuffer(raw) || raw.length === 0 || raw.length > COUNTER64_CONTENT_OCTETS_MAX) {
    throw invalid(varbind, 'a counter of 1 to 9 octets');
  }
  let value = 0n;
  for (const octet of raw) value = (value << 8n) | BigInt(octet);
  const bits = varbind.type === SnmpType.counter64 ? 64 : 32;
  if (value >= 1n << BigInt(bits)) throw invalid(varbind, `a ${bits}-bit counter`);
  return { value, bits };
}

export function octetStringOf(varbind: ReadableVarBind): string {
  if (varbind.type !== SnmpType.octetString || typeof varbind.value !== 'string') {
    throw invalid(varbind, 'an OCTET STRING');
  }
  return varbind.value;
}

export function objectIdentifierOf(varbind: ReadableVarBind): Oid {
  if (varbind.type !== SnmpType.objectIdentifier || !Array.isArray(varbind.value)) {
    throw invalid(varbind, 'an OBJECT IDENTIFIER');
  }
  return varbind.value as number[];
}

/** The mean of the processors' one-minute loads (RFC 2790 hrProcessorLoad); null without processors. */
export function averageProcessorLoad(loadsPercent: readonly number[]): number | null {
  if (loadsPercent.length === 0) return null;
  let sum = 0;
  for (const load of loadsPercent) {
    if (!Number.isInteger(load) || load < 0 || load > 100) {
      throw new SnmpPollError('invalid_response', `hrProcessorLoad ${load} is outside 0..100`);
    }
    sum += load;
  }
  return sum / loadsPercent.length;
}

export interface StorageRow {
  readonly isRam: boolean;
  readonly allocationUnitBytes: number;
  readonly sizeUnits: number;
  readonly usedUnits: number;
}

export interface MemoryUsage {
  readonly totalBytes: number;
  readonly usedBytes: number;
}

/** RAM from hrStorageTable: every hrStorageRam row, size × allocation units (RFC 2790); null if none. */
export function memoryFromStorage(rows: readonly StorageRow[]): MemoryUsage | null {
  const ramRows = rows.filter((row) => row.isRam);
  if (ramRows.length === 0) return null;
  let totalBytes = 0;
  let usedBytes = 0;
  for (const row of ramRows) {
    totalBytes += row.allocationUnitBytes * row.sizeUnits;
    usedBytes += row.allocationUnitBytes * row.usedUnits;
  }
  if (!Number.isSafeInteger(totalBytes) || usedBytes < 0 || usedBytes > totalBytes) {
    throw new SnmpPollError('invalid_response', `RAM rows say ${usedBytes} of ${totalBytes} bytes used`);
  }
  return { totalBytes, usedBytes };
}
