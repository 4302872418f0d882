// The OIDs Kiunga reads from a NAS, each with the MIB and RFC that defines it.
//
// MikroTik RouterOS answers all of them: its manual ("SNMP", section "Management information base
// (MIB)") lists MIB-2, HOST-RESOURCES-MIB and IF-MIB among the MIBs RouterOS implements, and its
// API manual ("OID" section, `/system/resource/print` with `.proplist=uptime.oid,cpu-load.oid`)
// shows `uptime` at .1.3.6.1.2.1.1.3.0 (sysUpTime) and `cpu-load` at .1.3.6.1.2.1.25.3.3.1.2.1
// (hrProcessorLoad of the first processor). RouterOS reports RAM as hrStorageTable row 65536
// ("main memory", type hrStorageRam) and names dynamic interfaces such as PPPoE sessions
// `<pppoe-user>` with large ifIndex values (8388611 and up), which is why the interface walk is
// bounded (INTERFACES_MAX in poller.ts).

/** A numeric OID as snmp-native takes and returns it. */
export type Oid = readonly number[];

/**
 * SNMPv2-MIB (RFC 3418, section 2 "Definitions", system group) sysUpTime.0: TimeTicks, hundredths of
 * a second "since the network management portion of the system was last re-initialized".
 */
export const SYS_UP_TIME: Oid = [1, 3, 6, 1, 2, 1, 1, 3, 0];

/**
 * HOST-RESOURCES-MIB (RFC 2790, section 4 "Definitions", hrProcessorTable) hrProcessorLoad column:
 * Integer32 0..100, "the average, over the last minute, of the percentage of time that this
 * processor was not idle". One row per processor, indexed by hrDeviceIndex.
 */
export const HR_PROCESSOR_LOAD: Oid = [1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2];

/** HOST-RESOURCES-MIB (RFC 2790) hrStorageTable entry: hrStorageEntry = hrStorageTable.1. */
const HR_STORAGE_ENTRY = [1, 3, 6, 1, 2, 1, 25, 2, 3, 1] as const;
/** hrStorageType column: an OBJECT IDENTIFIER among hrStorageTypes (RFC 2790, hrStorageTypes). */
export const HR_STORAGE_TYPE: Oid = [...HR_STORAGE_ENTRY, 2];
/** hrStorageAllocationUnits column: bytes per allocation unit (Integer32 1..2147483647). */
export const HR_STORAGE_ALLOCATION_UNITS: Oid = [...HR_STORAGE_ENTRY, 4];
/** hrStorageSize column: size in allocation units. */
export const HR_STORAGE_SIZE: Oid = [...HR_STORAGE_ENTRY, 5];
/** hrStorageUsed column: allocation units in use. */
export const HR_STORAGE_USED: Oid = [...HR_STORAGE_ENTRY, 6];
/** hrStorageRam (RFC 2790, hrStorageTypes 2): the type of a RAM row. */
export const HR_STORAGE_RAM: Oid = [1, 3, 6, 1, 2, 1, 25, 2, 1, 2];

/** IF-MIB (RFC 2863, section 6 "Interfaces Group Definitions", ifXTable) ifXEntry. */
const IF_X_ENTRY = [1, 3, 6, 1, 2, 1, 31, 1, 1, 1] as const;
/** ifName: "the textual name of the interface" as the device's own console names it. */
export const IF_NAME: Oid = [...IF_X_ENTRY, 1];
/** ifHCInOctets: Counter64, octets received including framing. */
export const IF_HC_IN_OCTETS: Oid = [...IF_X_ENTRY, 6];
/** ifHCOutOctets: Counter64, octets sent including framing. */
export const IF_HC_OUT_OCTETS: Oid = [...IF_X_ENTRY, 10];

/**
 * IF-MIB ifTable (RFC 2863) ifInOctets / ifOutOctets: Counter32. RFC 2863 section 3.1.6 requires the
 * 64-bit octet counters only on interfaces faster than 20 Mb/s, so a slower interface may have only
 * these; the poller falls back to them and says so (`counterBits: 32`).
 */
export const IF_IN_OCTETS: Oid = [1, 3, 6, 1, 2, 1, 2, 2, 1, 10];
export const IF_OUT_OCTETS: Oid = [1, 3, 6, 1, 2, 1, 2, 2, 1, 16];

/** Whether `oid` lies strictly below `root` (a row of that column or table). */
export function isBelow(root: Oid, oid: Oid): boolean {
  if (oid.length <= root.length) return false;
  return root.every((part, position) => oid[position] === part);
}

/** The row index of a one-number-indexed table column: the last part below the column. */
export function rowIndexOf(column: Oid, oid: Oid): number | null {
  if (!isBelow(column, oid) || oid.length !== column.length + 1) return null;
  return oid[column.length] ?? null;
}

export function isSameOid(left: Oid, right: Oid): boolean {
  return left.length === right.length && left.every((part, position) => right[position] === part);
}

/** The dotted text form (".1.3.6.1.2.1.1.3.0") for messages and logs. */
export function formatOid(oid: Oid): string {
  return `.${oid.join('.')}`;
}
