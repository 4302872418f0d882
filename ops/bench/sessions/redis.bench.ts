// Device reservations and interim updates per second, with latency, on Redis and on the in-memory table in one run.
// Run: node --import tsx ops/bench/sessions/redis.bench.ts [--sessions 20000] [--concurrency 64]
import { parseArgs } from 'node:util';
import {
  InMemorySessionStore,
  type LiveSessionInput,
  RedisSessionTable,
  type SessionStore,
} from '@kiunga/aaa-server';
import { startRedisServer } from '@kiunga/aaa-server/testing';

const SESSIONS_DEFAULT = 20_000;
/** Requests in flight at once: a loaded AAA node has many packets waiting on the table at any moment. */
const CONCURRENCY_DEFAULT = 64;
const DEVICE_LIMIT = 2;
const INTERIM_INTERVAL_SECONDS = 300;
const START_MS = Date.UTC(2026, 0, 1);
const TENANT_COUNT = 20;
const NAS_COUNT = 40;
const MICROSECONDS_PER_MILLISECOND = 1_000;
const MICROSECONDS_PER_SECOND = 1_000_000;

interface Measurement {
  readonly operationsPerSecond: number;
  readonly p50Microseconds: number;
  readonly p99Microseconds: number;
  /** CPU time per operation: wall time on a shared machine follows its load, CPU time much less. */
  readonly nodeCpuMicroseconds: number;
  readonly redisCpuMicroseconds: number | null;
}

interface StoreFigures {
  readonly reserveOneAtATime: Measurement;
  readonly reserveConcurrently: Measurement;
  readonly startConcurrently: Measurement;
  readonly interimOneAtATime: Measurement;
  readonly interimConcurrently: Measurement;
}

/** CPU seconds the redis-server process has used so far, or null for a store without one. */
type RedisCpuProbe = () => Promise<number | null>;
const NO_REDIS: RedisCpuProbe = async () => null;

function sessionFor(sequence: number, phase: string): LiveSessionInput {
  const nasIndex = sequence % NAS_COUNT;
  const octet = (shift: number) => ((sequence >>> shift) & 255).toString(16).padStart(2, '0');
  return {
    sessionId: `ses_${phase}_${sequence.toString(36).padStart(8, '0')}`,
    tenantId: `ten_${nasIndex % TENANT_COUNT}`,
    nasId: `nas_${nasIndex}`,
    acctSessionId: (0x81f00000 + sequence).toString(16),
    username: `V${sequence}`,
    subjectKind: 'voucher',
    subjectId: `vch_${phase}_${sequence}`,
    callingStationId: `AA:BB:${octet(24)}:${octet(16)}:${octet(8)}:${octet(0)}`,
    framedIp: `10.${(sequence >>> 16) & 255}.${(sequence >>> 8) & 255}.${sequence & 255}`,
    startedAtMs: START_MS,
    lastUpdateMs: START_MS,
    interimIntervalSeconds: INTERIM_INTERVAL_SECONDS,
    inputOctets: 0,
    outputOctets: 0,
  };
}

/** Runs `count` operations with `concurrency` in flight; each latency is from its call to its answer. */
async function measure(
  count: number,
  concurrency: number,
  redisCpuSeconds: RedisCpuProbe,
  operation: (index: number) => Promise<unknown>,
): Promise<Measurement> {
  const latenciesMicroseconds = new Float64Array(count);
  let next = 0;
  const redisCpuBefore = await redisCpuSeconds();
  const nodeCpuBefore = process.cpuUsage();
  const startedMs = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const calledMs = performance.now();
      await operation(index);
      latenciesMicroseconds[index] = (performance.now() - calledMs) * MICROSECONDS_PER_MILLISECOND;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - startedMs;
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const redisCpuAfter = await redisCpuSeconds();
  latenciesMicroseconds.sort();
  return {
    operationsPerSecond: Math.round((count * 1_000) / elapsedMs),
    p50Microseconds: round(latenciesMicroseconds[Math.floor(count * 0.5)]!),
    p99Microseconds: round(latenciesMicroseconds[Math.min(count - 1, Math.floor(count * 0.99))]!),
    nodeCpuMicroseconds: round((nodeCpu.user + nodeCpu.system) / count),
    redisCpuMicroseconds:
      redisCpuBefore === null || redisCpuAfter === null
        ? null
        : round(((redisCpuAfter - redisCpuBefore) * MICROSECONDS_PER_SECOND) / count),
  };
}

async function reserve(store: SessionStore, session: LiveSessionInput): Promise<void> {
  const admission = await store.admitDevice({ ...session, deviceLimit: DEVICE_LIMIT, nowMs: START_MS });
  if (!admission.admitted) throw new Error(`unexpected refusal: ${admission.reason}`);
}

async function interim(store: SessionStore, session: LiveSessionInput, round: number): Promise<void> {
  const updated = await store.updateSession(session, {
    lastUpdateMs: START_MS + round * INTERIM_INTERVAL_SECONDS * 1_000,
    inputOctets: round * 1_000_000,
    outputOctets: round * 9_000_000,
  });
  if (updated === undefined) throw new Error(`session ${session.sessionId} is missing`);
}

/**
 * The same phases, in the same order, for every store. `checkpoint` runs when the store holds exactly
 * the first phase's sessions, and again when it also holds the second phase's pending slots.
 */
async function measureStore(
  store: SessionStore,
  options: { sessionCount: number; concurrency: number; redisCpuSeconds?: RedisCpuProbe },
  checkpoint: (moment: 'sessions' | 'slots') => Promise<void> = async () => {},
): Promise<StoreFigures> {
  const { sessionCount, concurrency } = options;
  const first = Array.from({ length: sessionCount }, (_, index) => sessionFor(index, 'a'));
  const second = Array.from({ length: sessionCount }, (_, index) => sessionFor(index, 'b'));
  const timed = (inFlight: number, operation: (index: number) => Promise<unknown>) =>
    measure(sessionCount, inFlight, options.redisCpuSeconds ?? NO_REDIS, operation);
  const reserveOneAtATime = await timed(1, (index) => reserve(store, first[index]!));
  const startConcurrently = await timed(concurrency, (index) => store.startSession(first[index]!));
  await checkpoint('sessions');
  const interimOneAtATime = await timed(1, (index) => interim(store, first[index]!, 1));
  const interimConcurrently = await timed(concurrency, (index) => interim(store, first[index]!, 2));
  const reserveConcurrently = await timed(concurrency, (index) => reserve(store, second[index]!));
  await checkpoint('slots');
  return {
    reserveOneAtATime,
    reserveConcurrently,
    startConcurrently,
    interimOneAtATime,
    interimConcurrently,
  };
}

function printFigures(figures: Record<string, StoreFigures>, concurrency: number): void {
  const rows: [string, keyof StoreFigures][] = [
    ['device reservation, one at a time', 'reserveOneAtATime'],
    [`device reservation, ${concurrency} in flight`, 'reserveConcurrently'],
    [`Accounting-Start, ${concurrency} in flight`, 'startConcurrently'],
    ['interim update, one at a time', 'interimOneAtATime'],
    [`interim update, ${concurrency} in flight`, 'interimConcurrently'],
  ];
  for (const [label, phase] of rows) {
    console.log(label);
    for (const [store, storeFigures] of Object.entries(figures)) {
      const figure = storeFigures[phase];
      const redisCpu =
        figure.redisCpuMicroseconds === null ? '' : `   Redis CPU ${figure.redisCpuMicroseconds} µs/op`;
      console.log(
        `  ${store.padEnd(10)} ${String(figure.operationsPerSecond).padStart(7)} /s` +
          `   p50 ${figure.p50Microseconds} µs   p99 ${figure.p99Microseconds} µs` +
          `   Node CPU ${figure.nodeCpuMicroseconds} µs/op${redisCpu}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sessions: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const sessionCount = Number(values.sessions ?? SESSIONS_DEFAULT);
  const concurrency = Number(values.concurrency ?? CONCURRENCY_DEFAULT);
  const inMemory = await measureStore(new InMemorySessionStore(), { sessionCount, concurrency });

  const server = await startRedisServer();
  try {
    const table = await RedisSessionTable.connect({ url: server.url, openSessions: () => [] });
    await table.ensureRebuilt();
    const usedMemoryBytes = () => server.infoNumber('memory', 'used_memory');
    const redisCpuSeconds = async () =>
      (await server.infoNumber('cpu', 'used_cpu_user')) + (await server.infoNumber('cpu', 'used_cpu_sys'));
    const usedBytes = new Map<string, number>([['empty', await usedMemoryBytes()]]);
    const redis = await measureStore(
      table,
      { sessionCount, concurrency, redisCpuSeconds },
      async (moment) => {
        usedBytes.set(moment, await usedMemoryBytes());
      },
    );
    await table.close();
    console.log(
      `${sessionCount} operations per phase, ${TENANT_COUNT} tenants, ${NAS_COUNT} NAS; ` +
        'redis-server on loopback, one connection\n',
    );
    printFigures({ 'in-memory': inMemory, redis }, concurrency);
    const bytesPerSession = (usedBytes.get('sessions')! - usedBytes.get('empty')!) / sessionCount;
    const bytesPerSlot = (usedBytes.get('slots')! - usedBytes.get('sessions')!) / sessionCount;
    console.log(
      `\nRedis memory: ${Math.round(bytesPerSession)} bytes per open session, ` +
        `${Math.round(bytesPerSlot)} bytes per pending slot`,
    );
  } finally {
    await server.dispose();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
