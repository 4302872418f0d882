// Measures the live session table's heap per session and its hot-path speed at a million open sessions.
// Run: node --expose-gc --import tsx ops/bench/sessions/memory.bench.ts [sessionCount]
import { InMemorySessionTable, type LiveSessionInput } from '@kiunga/aaa-server';

const SESSION_COUNT_DEFAULT = 1_000_000;
const TENANT_COUNT = 100;
const NAS_COUNT = 200;
/** Inputs are made in batches outside the timed region, and dropped after, so only the table stays on the heap. */
const BATCH_SIZE = 10_000;
/** Share of sessions whose NAS went silent, so the sweep has something to find. */
const STALE_SHARE = 0.01;
const INTERIM_INTERVAL_SECONDS = 300;
const STALE_GRACE_MS = 60_000;
const DEVICE_LIMIT = 2;
const SWEEP_REPEATS = 3;
/** Logins and logouts timed on the full table; a fraction of it, so the table's size barely moves. */
const CHURN_COUNT = 5_000;
const HEAP_TARGET_BYTES = 1024 ** 3;
const MEBIBYTE = 1024 ** 2;
const START_MS = Date.UTC(2026, 0, 1);

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX_ALPHABET = '0123456789abcdef';
const VOUCHER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Deterministic (mulberry32), so two runs measure the same table. */
let randomState = 0x6b69756e;
function random(): number {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let mixed = Math.imul(randomState ^ (randomState >>> 15), 1 | randomState);
  mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
}

/** join() gives a flat string, as decoding a packet or reading a SQLite row would. */
function randomText(prefix: string, alphabet: string, length: number): string {
  const characters = [prefix];
  for (let index = 0; index < length; index++)
    characters.push(alphabet[Math.floor(random() * alphabet.length)]!);
  return characters.join('');
}

function randomMac(): string {
  const octets: string[] = [];
  for (let index = 0; index < 6; index++) octets.push(randomText('', HEX_ALPHABET, 2));
  // MikroTik sends upper case with colons; the table normalises it.
  return octets.join(':').toUpperCase();
}

const tenantIds = Array.from({ length: TENANT_COUNT }, () => randomText('ten_', BASE64URL_ALPHABET, 16));
const nasIds = Array.from({ length: NAS_COUNT }, () => randomText('nas_', BASE64URL_ALPHABET, 16));

function makeInput(sequence: number, sessionCount: number): LiveSessionInput {
  const nasIndex = sequence % NAS_COUNT;
  const isStale = sequence < sessionCount * STALE_SHARE;
  const lastUpdateMs = isStale ? START_MS : START_MS + 3_600_000 + Math.floor(random() * 600_000);
  return {
    sessionId: randomText('ses_', BASE64URL_ALPHABET, 16),
    // Fresh copies of the shared ids, as every decoded packet brings its own.
    tenantId: [tenantIds[nasIndex % TENANT_COUNT]!].join(''),
    nasId: [nasIds[nasIndex]!].join(''),
    acctSessionId: (0x81f00000 + sequence).toString(16),
    username: randomText('', VOUCHER_CODE_ALPHABET, 8),
    subjectKind: 'voucher',
    subjectId: randomText('vch_', BASE64URL_ALPHABET, 16),
    callingStationId: randomMac(),
    framedIp: `10.${(sequence >>> 16) & 255}.${(sequence >>> 8) & 255}.${sequence & 255}`,
    startedAtMs: START_MS,
    lastUpdateMs,
    interimIntervalSeconds: INTERIM_INTERVAL_SECONDS,
    inputOctets: Math.floor(random() * 5e9),
    outputOctets: Math.floor(random() * 5e10),
  };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc');
  gc();
  gc();
}

/** Admit then start, as an Access-Accept followed by its Accounting-Start; returns milliseconds spent. */
function fillTable(table: InMemorySessionTable, sessionCount: number): number {
  let elapsedMs = 0;
  for (let batchStart = 0; batchStart < sessionCount; batchStart += BATCH_SIZE) {
    const batchEnd = Math.min(batchStart + BATCH_SIZE, sessionCount);
    const inputs: LiveSessionInput[] = [];
    for (let sequence = batchStart; sequence < batchEnd; sequence++)
      inputs.push(makeInput(sequence, sessionCount));
    const batchStartedMs = performance.now();
    for (const input of inputs) {
      const admission = table.admitDevice({ ...input, deviceLimit: DEVICE_LIMIT, nowMs: START_MS });
      if (!admission.admitted) throw new Error(`unexpected refusal: ${admission.reason}`);
      table.startSession(input);
    }
    elapsedMs += performance.now() - batchStartedMs;
  }
  return elapsedMs;
}

/**
 * Steady state on the full table: each login (admit + start) is paired with a logout (stop), so the
 * table neither grows nor shrinks; this is the per-packet cost a loaded AAA node pays.
 */
function churnTable(table: InMemorySessionTable, sessionCount: number): number {
  const inputs: LiveSessionInput[] = [];
  for (let offset = 0; offset < CHURN_COUNT; offset++)
    inputs.push(makeInput(sessionCount + offset, sessionCount));
  const victims = table.sessionsOfNas(nasIds[0]!).slice(0, CHURN_COUNT);
  const startedMs = performance.now();
  inputs.forEach((input, index) => {
    table.admitDevice({ ...input, deviceLimit: DEVICE_LIMIT, nowMs: START_MS });
    table.startSession(input);
    const victim = victims[index % victims.length]!;
    table.stopSession(victim.nasId, victim.acctSessionId);
  });
  return performance.now() - startedMs;
}

function timeMs<Result>(work: () => Result): { result: Result; elapsedMs: number } {
  const startedMs = performance.now();
  const result = work();
  return { result, elapsedMs: performance.now() - startedMs };
}

function main(): void {
  const sessionCount = Number(process.argv[2] ?? SESSION_COUNT_DEFAULT);
  collectGarbage();
  const heapBeforeBytes = process.memoryUsage().heapUsed;
  const table = new InMemorySessionTable();
  const fillMs = fillTable(table, sessionCount);
  collectGarbage();
  const memory = process.memoryUsage();
  const heapDeltaBytes = memory.heapUsed - heapBeforeBytes;
  const sweepNowMs = START_MS + 3_600_000 + 2 * INTERIM_INTERVAL_SECONDS * 1_000;
  const sweepAll = () => table.findStaleSessions(sweepNowMs, STALE_GRACE_MS, Number.POSITIVE_INFINITY);
  // The first sweep runs before the JIT has seen the loop; later ones are what a periodic sweep costs.
  const firstSweep = timeMs(sweepAll);
  const warmSweepsMs = Array.from({ length: SWEEP_REPEATS }, () => timeMs(sweepAll).elapsedMs);
  const page = timeMs(() => table.sessionsOfTenant(tenantIds[0]!, { limit: 100 }));
  const tenantSessions = table.countsByTenant().get(tenantIds[0]!) ?? 0;
  const churnMs = churnTable(table, sessionCount);
  const report = {
    sessions: table.size,
    pendingSlots: table.pendingSlotCount,
    heapDeltaMiB: round(heapDeltaBytes / MEBIBYTE),
    bytesPerSession: Math.round(heapDeltaBytes / sessionCount),
    heapUsedMiB: round(memory.heapUsed / MEBIBYTE),
    heapTotalMiB: round(memory.heapTotal / MEBIBYTE),
    rssMiB: round(memory.rss / MEBIBYTE),
    admitAndStartMicrosecondsPerOperation: round((fillMs * 1_000) / sessionCount),
    loginLogoutOnFullTableMicrosecondsPerOperation: round((churnMs * 1_000) / CHURN_COUNT),
    firstStaleSweepMs: round(firstSweep.elapsedMs),
    warmStaleSweepMs: round(Math.min(...warmSweepsMs)),
    staleSessionsFound: firstSweep.result.length,
    tenantPageOf100Ms: round(page.elapsedMs),
    tenantSessions,
    isWithinTarget: heapDeltaBytes * (SESSION_COUNT_DEFAULT / sessionCount) < HEAP_TARGET_BYTES,
  };
  console.log(JSON.stringify(report, null, 2));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main();
