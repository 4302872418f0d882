// Property: whatever order Accepts, Starts, Stops, reboots and time arrive in, no subject exceeds its device limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCallingStationId } from './calling-station-id';
import { InMemorySessionTable } from './in-memory-session-table';
import { PENDING_SLOT_TIMEOUT_MS } from './limits';
import { TRAFFIC_DEVICES, TRAFFIC_NAS_IDS, TRAFFIC_SUBJECTS } from './testing/session-fixtures';

const SUBJECTS = TRAFFIC_SUBJECTS;
const DEVICES = TRAFFIC_DEVICES;
const NAS_IDS = TRAFFIC_NAS_IDS;

const subjectIndex = fc.nat(SUBJECTS.length - 1);
const deviceIndex = fc.nat(DEVICES.length - 1);
const nasIndex = fc.nat(NAS_IDS.length - 1);
const acctIndex = fc.nat(5);

const operationArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('admit' as const), subjectIndex, deviceIndex }),
  fc.record({ kind: fc.constant('start' as const), subjectIndex, deviceIndex, nasIndex, acctIndex }),
  fc.record({ kind: fc.constant('stop' as const), nasIndex, acctIndex }),
  fc.record({ kind: fc.constant('closeNas' as const), nasIndex }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('sweepStale' as const) }),
  fc.record({
    kind: fc.constant('advance' as const),
    durationMs: fc.integer({ min: 0, max: 2 * PENDING_SLOT_TIMEOUT_MS }),
  }),
);
type Operation = typeof operationArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

const INTERIM_INTERVAL_SECONDS = 60;
const STALE_GRACE_MS = 30_000;

function applyOperation(table: InMemorySessionTable, operation: Operation, clock: { nowMs: number }): void {
  switch (operation.kind) {
    case 'admit': {
      const subject = SUBJECTS[operation.subjectIndex]!;
      const callingStationId = DEVICES[operation.deviceIndex]!;
      table.admitDevice({ ...subject, callingStationId, nowMs: clock.nowMs });
      return;
    }
    case 'start':
      startIfAdmitted(table, operation, clock.nowMs);
      return;
    case 'stop':
      table.stopSession(NAS_IDS[operation.nasIndex]!, `acct_${operation.acctIndex}`);
      return;
    case 'closeNas':
      table.closeSessionsOfNas(NAS_IDS[operation.nasIndex]!);
      return;
    case 'expire':
      table.expirePendingSlots(clock.nowMs);
      return;
    case 'sweepStale':
      for (const session of table.findStaleSessions(clock.nowMs, STALE_GRACE_MS)) {
        table.removeSession(session.sessionId);
      }
      return;
    case 'advance':
      clock.nowMs += operation.durationMs;
  }
}

/** A NAS only starts a session for a device it got an Accept for, and that device still holds its place. */
function startIfAdmitted(
  table: InMemorySessionTable,
  operation: Extract<Operation, { kind: 'start' }>,
  nowMs: number,
): void {
  const subject = SUBJECTS[operation.subjectIndex]!;
  const callingStationId = DEVICES[operation.deviceIndex]!;
  const devices = table.devicesOfSubject(subject.tenantId, subject.subjectKind, subject.subjectId);
  if (!devices.includes(normalizeCallingStationId(callingStationId))) return;
  const nasId = NAS_IDS[operation.nasIndex]!;
  const acctSessionId = `acct_${operation.acctIndex}`;
  table.startSession({
    ...subject,
    sessionId: `ses_${nasId}_${acctSessionId}`,
    nasId,
    acctSessionId,
    username: subject.subjectId,
    callingStationId,
    framedIp: null,
    startedAtMs: nowMs,
    lastUpdateMs: nowMs,
    interimIntervalSeconds: INTERIM_INTERVAL_SECONDS,
    inputOctets: 0,
    outputOctets: 0,
  });
}

function assertConsistent(table: InMemorySessionTable): void {
  for (const subject of SUBJECTS) {
    const devices = table.devicesOfSubject(subject.tenantId, subject.subjectKind, subject.subjectId);
    expect(devices.length).toBeLessThanOrEqual(subject.deviceLimit);
  }
  const perNas = NAS_IDS.flatMap((nasId) => table.sessionsOfNas(nasId));
  const perSubject = SUBJECTS.flatMap((subject) =>
    table.sessionsOfSubject(subject.tenantId, subject.subjectKind, subject.subjectId),
  );
  const perTenant = [...table.countsByTenant().values()].reduce((sum, count) => sum + count, 0);
  expect(perNas).toHaveLength(table.size);
  expect(perSubject).toHaveLength(table.size);
  expect(perTenant).toBe(table.size);
  for (const session of perNas) expect(table.findBySessionId(session.sessionId)).toBe(session);
  for (const tenantId of ['ten_a', 'ten_b']) {
    const page = table.sessionsOfTenant(tenantId, { limit: 100 });
    expect(page.sessions).toHaveLength(table.countsByTenant().get(tenantId) ?? 0);
  }
}

describe('InMemorySessionTable under random traffic', () => {
  it('never lets a subject hold more devices than its limit, and keeps its indexes consistent', () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 120 }), (operations) => {
        const table = new InMemorySessionTable();
        const clock = { nowMs: Date.UTC(2026, 0, 1) };
        for (const operation of operations) {
          applyOperation(table, operation, clock);
          assertConsistent(table);
        }
        // Long after everything: every slot expires, every session goes stale.
        clock.nowMs += 10 * PENDING_SLOT_TIMEOUT_MS;
        table.expirePendingSlots(clock.nowMs);
        for (const session of table.findStaleSessions(clock.nowMs, STALE_GRACE_MS)) {
          table.removeSession(session.sessionId);
        }
        expect(table.size).toBe(0);
        expect(table.pendingSlotCount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
