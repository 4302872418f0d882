// Polls one NAS over SNMPv2c with snmp-native: uptime, CPU, RAM and interface octet counters, as plain data.
//
// Reads only (GetRequest and GetNextRequest, RFC 3416 sections 4.2.1 and 4.2.2), one request in flight
// at a time so a small router is never flooded, every request with a bounded timeout and one
// retransmission, and the whole poll under one deadline. SNMPv2c has no authentication beyond the
// community, which travels in clear (RFC 3584 section 1): keep SNMP to the ISP's management network.
import type { EventEmitter } from 'node:events';
import { type Clock, systemClock } from '@kiunga/schemas';
import { compareOids, Errors, type ResponseCallback, Session, type VarBind } from 'snmp-native';
import { SnmpPollError } from './errors';
import {
  HR_PROCESSOR_LOAD,
  HR_STORAGE_ALLOCATION_UNITS,
  HR_STORAGE_RAM,
  HR_STORAGE_SIZE,
  HR_STORAGE_TYPE,
  HR_STORAGE_USED,
  IF_HC_IN_OCTETS,
  IF_HC_OUT_OCTETS,
  IF_IN_OCTETS,
  IF_NAME,
  IF_OUT_OCTETS,
  isBelow,
  isSameOid,
  type Oid,
  rowIndexOf,
  SYS_UP_TIME,
} from './oids';
import type { SnmpTarget } from './target';
import {
  averageProcessorLoad,
  counterOf,
  integerOf,
  isException,
  type MemoryUsage,
  memoryFromStorage,
  objectIdentifierOf,
  octetStringOf,
  type StorageRow,
} from './varbinds';

/** Per transmission: a router on the ISP's network answers in milliseconds; 2 s covers a congested uplink. */
export const SNMP_ATTEMPT_TIMEOUT_MS = 2_000;
/** One retransmission: UDP drops a datagram now and then; more would only delay calling a NAS quiet. */
export const SNMP_ATTEMPTS = 2;
/** The whole poll: a third of the one-minute polling interval, so two polls of a NAS never overlap. */
export const SNMP_POLL_DEADLINE_MS = 20_000;
/** Interfaces read per poll: a busy RouterOS PPPoE server has one dynamic interface per client online. */
export const INTERFACES_MAX = 512;
/** hrProcessorTable rows read: far above any router's core count (a CCR has 72). */
export const PROCESSORS_MAX = 256;
/** hrStorageTable rows read: RAM, disks and partitions of one router. */
export const STORAGE_ROWS_MAX = 128;
/** TimeTicks are hundredths of a second (RFC 2578 section 7.1.8). */
const TIME_TICKS_PER_SECOND = 100;

export interface SnmpPollOptions {
  readonly clock?: Clock;
  readonly attemptTimeoutMs?: number;
  readonly attempts?: number;
  readonly deadlineMs?: number;
  readonly interfacesMax?: number;
}

export interface SnmpInterfaceSample {
  /** ifIndex: stable while the NAS runs; a dynamic interface gets a new one when it comes back. */
  readonly index: number;
  readonly name: string;
  readonly inOctets: bigint;
  readonly outOctets: bigint;
  /** 64: ifHCInOctets/ifHCOutOctets; 32: the interface has only ifInOctets/ifOutOctets (they wrap at 2^32). */
  readonly counterBits: 64 | 32;
}

export interface SnmpHealthSample {
  /** When the answer was complete, by the injected clock. */
  readonly polledAtMs: number;
  /** sysUpTime in whole seconds; it wraps after 497 days (a 32-bit TimeTicks) and restarts with the agent. */
  readonly sysUpTimeSeconds: number;
  /** Mean hrProcessorLoad over all processors; null when the agent lists none (yet: net-snmp needs a minute). */
  readonly cpuLoadPercent: number | null;
  readonly processorCount: number;
  /** RAM (hrStorageRam rows); null when the agent reports none. */
  readonly memory: MemoryUsage | null;
  readonly interfaces: readonly SnmpInterfaceSample[];
  /** True when the NAS has more than `interfacesMax` interfaces and only the first were read. */
  readonly isInterfaceListTruncated: boolean;
}

/** Polls one NAS; throws SnmpPollError (timeout, agent_error, invalid_response, network). */
export async function pollNasHealth(
  target: SnmpTarget,
  options: SnmpPollOptions = {},
): Promise<SnmpHealthSample> {
  const agent = openAgent(target, options);
  try {
    const sysUpTimeSeconds = Math.floor(integerOf(await agent.getOne(SYS_UP_TIME)) / TIME_TICKS_PER_SECOND);
    const loads = (await agent.walk(HR_PROCESSOR_LOAD, PROCESSORS_MAX)).rows.map((row) => integerOf(row));
    const memory = memoryFromStorage(await readStorageRows(agent));
    const { interfaces, isTruncated } = await readInterfaces(agent, options.interfacesMax ?? INTERFACES_MAX);
    return {
      polledAtMs: (options.clock ?? systemClock).now(),
      sysUpTimeSeconds,
      cpuLoadPercent: averageProcessorLoad(loads),
      processorCount: loads.length,
      memory,
      interfaces,
      isInterfaceListTruncated: isTruncated,
    };
  } finally {
    agent.close();
  }
}

async function readStorageRows(agent: Agent): Promise<StorageRow[]> {
  const types = (await agent.walk(HR_STORAGE_TYPE, STORAGE_ROWS_MAX)).rows;
  const ramIndexes = types
    .filter((row) => isSameOid(objectIdentifierOf(row), HR_STORAGE_RAM))
    .map((row) => rowIndexOf(HR_STORAGE_TYPE, row.oid))
    .filter((index): index is number => index !== null);
  if (ramIndexes.length === 0) return [];
  const columns = [HR_STORAGE_ALLOCATION_UNITS, HR_STORAGE_SIZE, HR_STORAGE_USED];
  const values = await agent.getMany(
    ramIndexes.flatMap((index) => columns.map((column) => [...column, index])),
  );
  return ramIndexes.map((index) => {
    const [units, size, used] = columns.map((column) => integerOf(values.require([...column, index])));
    return { isRam: true, allocationUnitBytes: units ?? 0, sizeUnits: size ?? 0, usedUnits: used ?? 0 };
  });
}

async function readInterfaces(
  agent: Agent,
  interfacesMax: number,
): Promise<{ interfaces: SnmpInterfaceSample[]; isTruncated: boolean }> {
  const names = await agent.walk(IF_NAME, interfacesMax);
  const rows = names.rows.flatMap((row) => {
    const index = rowIndexOf(IF_NAME, row.oid);
    return index === null ? [] : [{ index, name: octetStringOf(row) }];
  });
  const wide = await agent.getMany(
    rows.flatMap(({ index }) => [
      [...IF_HC_IN_OCTETS, index],
      [...IF_HC_OUT_OCTETS, index],
    ]),
  );
  const narrowIndexes = rows
    .map(({ index }) => index)
    .filter((index) => wide.find([...IF_HC_IN_OCTETS, index]) === null);
  const narrow = await agent.getMany(
    narrowIndexes.flatMap((index) => [
      [...IF_IN_OCTETS, index],
      [...IF_OUT_OCTETS, index],
    ]),
  );
  const interfaces = rows.flatMap(({ index, name }): SnmpInterfaceSample[] => {
    const isWide = !narrowIndexes.includes(index);
    const source = isWide ? wide : narrow;
    const inVarbind = source.find([...(isWide ? IF_HC_IN_OCTETS : IF_IN_OCTETS), index]);
    const outVarbind = source.find([...(isWide ? IF_HC_OUT_OCTETS : IF_OUT_OCTETS), index]);
    // An interface with no octet counter at all (it went away between the two reads) is left out.
    if (inVarbind === null || outVarbind === null) return [];
    const inCounter = counterOf(inVarbind);
    return [
      {
        index,
        name,
        inOctets: inCounter.value,
        outOctets: counterOf(outVarbind).value,
        counterBits: inCounter.bits,
      },
    ];
  });
  return { interfaces, isTruncated: names.isTruncated };
}

/** Varbinds of a GetRequest by OID; exceptions (noSuchObject, noSuchInstance) read as absent. */
interface VarbindSet {
  find(oid: Oid): VarBind | null;
  require(oid: Oid): VarBind;
}

interface Agent {
  getOne(oid: Oid): Promise<VarBind>;
  getMany(oids: Oid[]): Promise<VarbindSet>;
  walk(column: Oid, rowsMax: number): Promise<{ rows: VarBind[]; isTruncated: boolean }>;
  close(): void;
}

function openAgent(target: SnmpTarget, options: SnmpPollOptions): Agent {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? SNMP_ATTEMPT_TIMEOUT_MS;
  const attempts = options.attempts ?? SNMP_ATTEMPTS;
  const deadlineMs = options.deadlineMs ?? SNMP_POLL_DEADLINE_MS;
  const session = new Session({
    host: target.host,
    port: target.port,
    community: target.community,
    timeouts: Array.from({ length: attempts }, () => attemptTimeoutMs),
  });
  let unreadableAnswer: unknown;
  let isClosed = false;
  let isPastDeadline = false;
  // snmp-native emits 'error' for an answer it cannot parse; unheard, that would crash the process.
  (session as unknown as EventEmitter).on('error', (error: unknown) => {
    unreadableAnswer = error;
  });
  const deadline = setTimeout(() => {
    isPastDeadline = true;
    close();
  }, deadlineMs);
  function close(): void {
    if (isClosed) return;
    isClosed = true;
    clearTimeout(deadline);
    session.close();
  }
  const describe = (error: Error): SnmpPollError => {
    const where = `${target.host}:${target.port}`;
    if (isPastDeadline)
      return new SnmpPollError('timeout', `${where} did not finish answering within ${deadlineMs} ms`);
    if (error.message === 'Timeout') {
      return unreadableAnswer === undefined
        ? new SnmpPollError(
            'timeout',
            `${where} did not answer (${attempts} × ${attemptTimeoutMs} ms): down, SNMP off, or another community`,
          )
        : new SnmpPollError('invalid_response', `${where} answered with unreadable packets`, {
            cause: unreadableAnswer,
          });
    }
    // snmp-native names an answer's error-status by its key in Errors ("GenErr", "TooBig", ...).
    if (Object.hasOwn(Errors, error.message) || error.message.startsWith('Unknown Error')) {
      return new SnmpPollError('agent_error', `${where} answered error-status ${error.message}`);
    }
    return new SnmpPollError('network', `SNMP to ${where} failed: ${error.message}`, { cause: error });
  };
  const request = (send: (callback: ResponseCallback) => void): Promise<VarBind[]> =>
    new Promise((resolve, reject) => {
      if (isClosed) {
        reject(describe(new Error('Cancelled')));
        return;
      }
      send((error, varbinds) => (error ? reject(describe(error)) : resolve(varbinds ?? [])));
    });
  return {
    async getOne(oid) {
      const [varbind] = await request((callback) => session.get({ oid: [...oid] }, callback));
      if (varbind === undefined || isException(varbind)) {
        throw new SnmpPollError('invalid_response', `${target.host} has no ${oid.join('.')}`);
      }
      return varbind;
    },
    async getMany(oids) {
      const varbinds =
        oids.length === 0
          ? []
          : await request((callback) =>
              session.getAll({ oids: oids.map((oid) => [...oid]), abortOnError: true }, callback),
            );
      return varbindSet(varbinds);
    },
    async walk(column, rowsMax) {
      const rows: VarBind[] = [];
      let cursor: Oid = column;
      while (rows.length <= rowsMax) {
        const [next] = await request((callback) => session.getNext({ oid: [...cursor] }, callback));
        if (next === undefined || isException(next) || !isBelow(column, next.oid)) break;
        // RFC 3416 section 4.2.2: GetNext answers the lexicographic successor; anything else would loop.
        if (compareOids(cursor as number[], next.oid) !== 1) {
          throw new SnmpPollError(
            'invalid_response',
            `${target.host} walked backwards at ${next.oid.join('.')}`,
          );
        }
        rows.push(next);
        cursor = next.oid;
      }
      const isTruncated = rows.length > rowsMax;
      return { rows: isTruncated ? rows.slice(0, rowsMax) : rows, isTruncated };
    },
    close,
  };
}

function varbindSet(varbinds: readonly VarBind[]): VarbindSet {
  const byOid = new Map<string, VarBind>();
  for (const varbind of varbinds) {
    if (!isException(varbind)) byOid.set(varbind.oid.join('.'), varbind);
  }
  return {
    find: (oid) => byOid.get(oid.join('.')) ?? null,
    require(oid) {
      const varbind = byOid.get(oid.join('.'));
      if (varbind === undefined) throw new SnmpPollError('invalid_response', `no value for ${oid.join('.')}`);
      return varbind;
    },
  };
}
