// Property: two AAA nodes interleaving Accepts, Starts, Stops, reboots and sweeps never let a subject exceed its device limit.
import fc from 'fast-check';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCallingStationId } from './calling-station-id';
import { InMemorySessionStore } from './in-memory-session-store';
import { PENDING_SLOT_TIMEOUT_MS } from './limits';
import { RedisSessionTable } from './redis/redis-session-table';
import type { SessionStore } from './session-store';
import type { LiveSession } from './session-table';
import { type RedisServer, startRedisServer } from './testing/redis-server';
import { TRAFFIC_DEVICES, TRAFFIC_NAS_IDS, TRAFFIC_SUBJECTS } from './testing/session-fixtures';

const SUBJECTS = TRAFFIC_SUBJECTS;
const DEVICES = TRAFFIC_DEVICES;
const NAS_IDS = TRAFFIC_NAS_IDS;
const TENANT_IDS = ['ten_a', 'ten_b'];
const INTERIM_INTERVAL_SECONDS = 60;
const STALE_GRACE_MS = 30_000;
/** Operations that one round runs at once, split over the two nodes, so their commands interleave. */
const ROUND_OPERATIONS_MAX = 4;
const ROUNDS_MAX = 25;
const RUNS = 60;

const subjectIndex = fc.nat(SUBJECTS.length - 1);
const deviceIndex = fc.nat(DEVICES.length - 1);
const nasIndex = fc.nat(NAS_IDS.length - 1);
const acctIndex = fc.nat(4);
const nodeIndex = fc.nat(1);

const operationArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('admit' as const), nodeIndex, subjectIndex, deviceIndex }),
  fc.record({
    kind: fc.constant('start' as const),
    nodeIndex,
    subjectIndex,
    deviceIndex,
    nasIndex,
    acctIndex,
  }),
  fc.record({ kind: fc.constant('stop' as const), nodeIndex, subjectIndex, nasIndex, acctIndex }),
  fc.record({ kind: fc.constant('closeNas' as const), nodeIndex, subjectIndex, nasIndex }),
  fc.record({ kind: fc.constant('expire' as const), nodeIndex }),
  fc.record({ kind: fc.constant('sweepStale' as const), nodeIndex }),
);
type Operation = typeof operationArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

const roundArbitrary = fc.record({
  operations: fc.array(operationArbitrary, { minLength: 1, maxLength: ROUND_OPERATIONS_MAX }),
  // Time moves only between rounds: within one, every node sees the same clock.
  advanceMs: fc.integer({ min: 0, max: 2 * PENDING_SLOT_TIMEOUT_MS }),
});

/** What the NAS knows: an Accept (until its slot would expire) allows exactly one Start. */
interface Run {
  nowMs: number;
  readonly acceptedUntilMs: Map<string, number>;
}

async function applyOperation(nodes: readonly SessionStore[], operation: Operation, run: Run): Promise<void> {
  const node = nodes[operation.nodeIndex]!;
  const subject = SUBJECTS['subjectIndex' in operation ? operation.subjectIndex : 0]!;
  switch (operation.kind) {
    case 'admit': {
      const callingStationId = DEVICES[operation.deviceIndex]!;
      const result = await node.admitDevice({ ...subject, callingStationId, nowMs: run.nowMs });
      const acceptKey = `${operation.subjectIndex}/${normalizeCallingStationId(callingStationId)}`;
      if (result.admitted) run.acceptedUntilMs.set(acceptKey, run.nowMs + PENDING_SLOT_TIMEOUT_MS);
      return;
    }
    case 'start':
      return startIfAccepted(node, operation, run);
    case 'stop':
      await node.stopSession({
        tenantId: subject.tenantId,
        nasId: NAS_IDS[operation.nasIndex]!,
        acctSessionId: `acct_${operation.acctIndex}`,
      });
      return;
    case 'closeNas':
      await node.closeSessionsOfNas(subject.tenantId, NAS_IDS[operation.nasIndex]!);
      return;
    case 'expire':
      await node.expirePendingSlots(run.nowMs);
      return;
    case 'sweepStale':
      await node.claimStaleSessions(run.nowMs, STALE_GRACE_MS);
  }
}

/** A NAS sends one Start per Accept, while that Accept's slot is still held; the Accept is used up at once. */
async function startIfAccepted(
  node: SessionStore,
  operation: Extract<Operation, { kind: 'start' }>,
  run: Run,
): Promise<void> {
  const subject = SUBJECTS[operation.subjectIndex]!;
  const callingStationId = DEVICES[operation.deviceIndex]!;
  const acceptKey = `${operation.subjectIndex}/${normalizeCallingStationId(callingStationId)}`;
  const acceptedUntilMs = run.acceptedUntilMs.get(acceptKey);
  if (acceptedUntilMs === undefined || acceptedUntilMs <= run.nowMs) return;
  run.acceptedUntilMs.delete(acceptKey);
  const nasId = NAS_IDS[operation.nasIndex]!;
  const acctSessionId = `acct_${operation.acctIndex}`;
  await node.startSession({
    tenantId: subject.tenantId,
    subjectKind: subject.subjectKind,
    subjectId: subject.subjectId,
    // Unique per (tenant, NAS, Acct-Session-Id), as the database's id is.
    sessionId: `ses_${subject.tenantId}_${nasId}_${acctSessionId}`,
    nasId,
    acctSessionId,
    username: subject.subjectId,
    callingStationId,
    framedIp: null,
    startedAtMs: run.nowMs,
    lastUpdateMs: run.nowMs,
    interimIntervalSeconds: INTERIM_INTERVAL_SECONDS,
    inputOctets: 0,
    outputOctets: 0,
  });
}

async function assertLimitsAndIndexes(nodes: readonly SessionStore[]): Promise<void> {
  const [first, second] = nodes as [SessionStore, SessionStore];
  for (const subject of SUBJECTS) {
    const devices = (await first.devicesOfSubject(subject)).sort();
    expect(devices.length).toBeLessThanOrEqual(subject.deviceLimit);
    expect((await second.devicesOfSubject(subject)).sort()).toEqual(devices);
  }
  const { openSessions } = await first.counts();
  const perNas: LiveSession[] = [];
  for (const tenantId of TENANT_IDS) {
    for (const nasId of NAS_IDS) perNas.push(...(await second.sessionsOfNas(tenantId, nasId)));
  }
  const perSubject = (await Promise.all(SUBJECTS.map((subject) => first.sessionsOfSubject(subject)))).flat();
  const perTenant = [...(await second.countsByTenant()).values()].reduce((sum, count) => sum + count, 0);
  expect(perNas).toHaveLength(openSessions);
  expect(perSubject).toHaveLength(openSessions);
  expect(perTenant).toBe(openSessions);
  for (const session of perNas)
    expect(await first.findSession(session.tenantId, session.sessionId)).toEqual(session);
}

/** Long after everything: both nodes sweep at once; each session is claimed once and nothing is left. */
async function assertConvergence(nodes: readonly SessionStore[], run: Run): Promise<void> {
  const [first, second] = nodes as [SessionStore, SessionStore];
  const { openSessions } = await first.counts();
  run.nowMs += 10 * PENDING_SLOT_TIMEOUT_MS;
  const [claimedByFirst, claimedBySecond] = await Promise.all([
    first.claimStaleSessions(run.nowMs, STALE_GRACE_MS),
    second.claimStaleSessions(run.nowMs, STALE_GRACE_MS),
  ]);
  await Promise.all([first.expirePendingSlots(run.nowMs), second.expirePendingSlots(run.nowMs)]);
  const claimedIds = [...claimedByFirst, ...claimedBySecond].map((session) => session.sessionId);
  expect(new Set(claimedIds).size).toBe(claimedIds.length);
  expect(claimedIds).toHaveLength(openSessions);
  expect(await second.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
}

type NodesFactory = () => Promise<readonly [SessionStore, SessionStore]>;

function describeTwoNodeProperty(name: string, createNodes: () => NodesFactory): void {
  describe(`${name} under two nodes' random traffic`, () => {
    it('never lets a subject hold more devices than its limit, keeps its indexes consistent, and converges', async () => {
      const nodesForRun = createNodes();
      await fc.assert(
        fc.asyncProperty(fc.array(roundArbitrary, { maxLength: ROUNDS_MAX }), async (rounds) => {
          const nodes = await nodesForRun();
          const run: Run = { nowMs: Date.UTC(2026, 0, 1), acceptedUntilMs: new Map() };
          for (const round of rounds) {
            await Promise.all(round.operations.map((operation) => applyOperation(nodes, operation, run)));
            await assertLimitsAndIndexes(nodes);
            run.nowMs += round.advanceMs;
          }
          await assertConvergence(nodes, run);
        }),
        { numRuns: RUNS },
      );
    });
  });
}

describeTwoNodeProperty('InMemorySessionStore', () => async () => {
  // One process, one table: both "nodes" are the same store.
  const store = new InMemorySessionStore();
  return [store, store];
});

describe('RedisSessionTable', () => {
  let server: RedisServer;
  let admin: Redis;
  let nodes: readonly [RedisSessionTable, RedisSessionTable];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
    const connect = () => RedisSessionTable.connect({ url: server.url, openSessions: () => [] });
    nodes = [await connect(), await connect()];
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await admin.quit();
    await server.dispose();
  });

  describeTwoNodeProperty('two RedisSessionTable connections', () => async () => {
    await admin.flushall();
    await nodes[0].ensureRebuilt();
    return nodes;
  });
});
