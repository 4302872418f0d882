// The Access-Request decision log against real tenant databases (SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres): decisions land in their own tenant only, each login name keeps its
// last 50, and a full buffer drops and counts instead of growing or blocking.
import type { SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AccessDecisionEntry,
  DECISION_BUFFER_MAX,
  DECISIONS_PER_SUBJECT_MAX,
  DecisionLog,
} from './decision-log';

const testDatabases = useTestDatabases();
let tenantCounter = 0;
let databases: Map<string, SqlDatabase>;
let firstTenant: string;
let secondTenant: string;

beforeEach(async () => {
  firstTenant = `ten_decisions_${++tenantCounter}`;
  secondTenant = `ten_decisions_${++tenantCounter}`;
  databases = new Map([
    [firstTenant, await testDatabases().createTenantDatabase(firstTenant)],
    [secondTenant, await testDatabases().createTenantDatabase(secondTenant)],
  ]);
});

function decision(tenantId: string, username: string, decidedAtMs: number): AccessDecisionEntry {
  return {
    tenantId,
    decidedAtMs,
    username,
    nasId: 'nas_1',
    macAddress: '02:00:00:00:00:01',
    result: 'reject',
    reasonCode: 'device_limit_reached',
  };
}

function databaseOf(tenantId: string): SqlDatabase {
  const database = databases.get(tenantId);
  if (!database) throw new Error(`no test database for ${tenantId}`);
  return database;
}

describe('DecisionLog', () => {
  it("writes each tenant's decisions to that tenant only, keeping the last 50 per login name", async () => {
    const log = new DecisionLog(databaseOf);
    for (let index = 0; index < DECISIONS_PER_SUBJECT_MAX + 20; index += 1) {
      log.record(decision(firstTenant, 'ABC123', 1_000 + index));
    }
    log.record(decision(firstTenant, 'other', 5_000));
    log.record(decision(secondTenant, 'ABC123', 9_000));
    await log.flush();
    // A second batch trims again: what stays is always the newest 50.
    log.record(decision(firstTenant, 'ABC123', 2_000));
    await log.flush();

    const kept = await databaseOf(firstTenant).column<number>(
      `SELECT decided_at FROM access_decisions WHERE username = 'ABC123' ORDER BY id`,
    );
    expect(kept).toHaveLength(DECISIONS_PER_SUBJECT_MAX);
    expect(kept.at(-1)).toBe(2_000);
    expect(kept[0]).toBe(1_000 + 21);
    expect(
      await databaseOf(firstTenant).column<string>(
        'SELECT username FROM access_decisions WHERE username = ?',
        ['other'],
      ),
    ).toEqual(['other']);
    expect(await databaseOf(secondTenant).column<number>('SELECT decided_at FROM access_decisions')).toEqual([
      9_000,
    ]);
    expect(log.written).toBe(DECISIONS_PER_SUBJECT_MAX + 20 + 3);
    expect(log.dropped).toBe(0);
  });

  it('counts a name it has not seen, written by another process, and keeps trimming it to the last 50', async () => {
    // Another AAA node (or an earlier run of this one) left 50 decisions of this name.
    const earlier = new DecisionLog(databaseOf);
    for (let index = 0; index < DECISIONS_PER_SUBJECT_MAX; index += 1) {
      earlier.record(decision(firstTenant, 'SEEN50', 1_000 + index));
    }
    await earlier.flush();
    const log = new DecisionLog(databaseOf);
    for (const decidedAtMs of [3_000, 3_001, 3_002]) {
      log.record(decision(firstTenant, 'SEEN50', decidedAtMs));
      await log.flush();
    }
    const kept = await databaseOf(firstTenant).column<number>(
      `SELECT decided_at FROM access_decisions WHERE username = 'SEEN50' ORDER BY id`,
    );
    expect(kept).toHaveLength(DECISIONS_PER_SUBJECT_MAX);
    expect(kept.slice(-3)).toEqual([3_000, 3_001, 3_002]);
    expect(kept[0]).toBe(1_000 + 3);
  });

  it('logs a late retransmission timed by the NAS once, and every decision timed on receipt', async () => {
    const log = new DecisionLog(databaseOf);
    const nasTimed = { ...decision(firstTenant, 'RETRY1', 7_000), isNasEventTime: true };
    log.record(nasTimed);
    await log.flush();
    // The same request again 20 s later (past the 5 s duplicate cache): same Event-Timestamp.
    log.record({ ...nasTimed });
    // A new login a second later is a decision of its own.
    log.record({ ...nasTimed, decidedAtMs: 8_000 });
    // Timed on receipt, two decisions are two decisions even at the same millisecond.
    log.record(decision(firstTenant, 'RETRY2', 7_000));
    log.record(decision(firstTenant, 'RETRY2', 7_000));
    await log.flush();
    expect(
      await databaseOf(firstTenant).column<number>(
        `SELECT decided_at FROM access_decisions WHERE username = 'RETRY1' ORDER BY id`,
      ),
    ).toEqual([7_000, 8_000]);
    expect(
      await databaseOf(firstTenant).column<number>(
        `SELECT decided_at FROM access_decisions WHERE username = 'RETRY2' ORDER BY id`,
      ),
    ).toEqual([7_000, 7_000]);
    expect(log.repeated).toBe(1);
  });

  it('drops and counts decisions past the buffer bound instead of blocking', async () => {
    const log = new DecisionLog(databaseOf);
    for (let index = 0; index < DECISION_BUFFER_MAX + 7; index += 1) {
      log.record(decision(firstTenant, `user-${index % 500}`, index));
    }
    expect(log.dropped).toBe(7);
    await log.flush();
    expect(log.written).toBe(DECISION_BUFFER_MAX);
  });

  it('counts a batch whose tenant database fails as dropped and keeps serving the others', async () => {
    const errors: unknown[] = [];
    const log = new DecisionLog(
      (tenantId) => {
        if (tenantId === 'ten_gone') throw new Error('no such tenant');
        return databaseOf(tenantId);
      },
      (error) => errors.push(error),
    );
    log.record(decision('ten_gone', 'ABC123', 1));
    log.record(decision(firstTenant, 'ABC123', 2));
    await log.flush();
    expect(log.dropped).toBe(1);
    expect(errors).toHaveLength(1);
    expect(await databaseOf(firstTenant).column<number>('SELECT decided_at FROM access_decisions')).toEqual([
      2,
    ]);
  });
});
