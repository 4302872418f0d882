// The Access-Request decision log against real tenant databases (SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres): decisions land in their own tenant only, a repeat of a subject's
// latest decision is counted in its row, each login name keeps its last 50 rows, and a full buffer
// drops and counts instead of growing or blocking.
import type { SqlDatabase } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AccessDecisionEntry,
  DECISION_BUFFER_MAX,
  DECISION_COALESCE_WINDOW_MS,
  DECISION_REPEAT_WRITE_EVERY_FLUSHES,
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

/** Decision times far enough apart that each makes a row of its own. */
function apart(index: number): number {
  return 1_000 + index * DECISION_COALESCE_WINDOW_MS;
}

async function rowsOf(username: string) {
  const rows = await databaseOf(firstTenant).all<{ decidedAt: number; repeatCount: number; lastAt: number }>(
    `SELECT decided_at AS "decidedAt", repeat_count AS "repeatCount", last_at AS "lastAt"
       FROM access_decisions WHERE username = ? ORDER BY id`,
    [username],
  );
  return rows.map((row) => ({
    decidedAt: Number(row.decidedAt),
    repeatCount: Number(row.repeatCount),
    lastAt: Number(row.lastAt),
  }));
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
      log.record(decision(firstTenant, 'ABC123', apart(index)));
    }
    log.record(decision(firstTenant, 'other', 5_000));
    log.record(decision(secondTenant, 'ABC123', 9_000));
    await log.flush();
    // A second batch trims again: what stays is always the newest 50.
    log.record(decision(firstTenant, 'ABC123', apart(DECISIONS_PER_SUBJECT_MAX + 20)));
    await log.flush();

    const kept = await databaseOf(firstTenant).column<number>(
      `SELECT decided_at FROM access_decisions WHERE username = 'ABC123' ORDER BY id`,
    );
    expect(kept).toHaveLength(DECISIONS_PER_SUBJECT_MAX);
    expect(kept.at(-1)).toBe(apart(DECISIONS_PER_SUBJECT_MAX + 20));
    expect(kept[0]).toBe(apart(21));
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
      earlier.record(decision(firstTenant, 'SEEN50', apart(index)));
    }
    await earlier.flush();
    const log = new DecisionLog(databaseOf);
    const later = [0, 1, 2].map((offset) => apart(DECISIONS_PER_SUBJECT_MAX + offset));
    for (const decidedAtMs of later) {
      log.record(decision(firstTenant, 'SEEN50', decidedAtMs));
      await log.flush();
    }
    const kept = await databaseOf(firstTenant).column<number>(
      `SELECT decided_at FROM access_decisions WHERE username = 'SEEN50' ORDER BY id`,
    );
    expect(kept).toHaveLength(DECISIONS_PER_SUBJECT_MAX);
    expect(kept.slice(-3)).toEqual(later);
    expect(kept[0]).toBe(apart(3));
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
    expect(await rowsOf('RETRY1')).toEqual([{ decidedAt: 7_000, repeatCount: 2, lastAt: 8_000 }]);
    expect(await rowsOf('RETRY2')).toEqual([{ decidedAt: 7_000, repeatCount: 2, lastAt: 7_000 }]);
    expect(log.repeated).toBe(1);
  });

  it("counts a repeat of the subject's latest decision in its row, within a flush and across flushes", async () => {
    const log = new DecisionLog(databaseOf);
    log.record(decision(firstTenant, 'REPEAT', 10_000));
    log.record(decision(firstTenant, 'REPEAT', 11_000));
    await log.flush();
    log.record(decision(firstTenant, 'REPEAT', 12_000));
    log.record(decision(firstTenant, 'REPEAT', 13_000));
    await log.flush();
    await log.flush();
    expect(await rowsOf('REPEAT')).toEqual([{ decidedAt: 10_000, repeatCount: 4, lastAt: 13_000 }]);
    expect(log.written).toBe(4);
  });

  it('starts a new row for another NAS, device, result or reason, for a change back, and past the window', async () => {
    const log = new DecisionLog(databaseOf);
    const first = decision(firstTenant, 'CHANGES', 10_000);
    log.record(first);
    log.record({ ...first, decidedAtMs: 11_000, nasId: 'nas_2' });
    log.record({ ...first, decidedAtMs: 12_000, nasId: 'nas_2', macAddress: '02:00:00:00:00:02' });
    log.record({
      ...first,
      decidedAtMs: 13_000,
      nasId: 'nas_2',
      macAddress: '02:00:00:00:00:02',
      reasonCode: 'voucher_expired',
    });
    log.record({ ...first, decidedAtMs: 14_000, result: 'accept', reasonCode: null });
    // Back to the first decision: not the latest any more, so a row of its own.
    log.record({ ...first, decidedAtMs: 15_000 });
    log.record({ ...first, decidedAtMs: 15_000 + DECISION_COALESCE_WINDOW_MS - 1 });
    log.record({ ...first, decidedAtMs: 15_000 + DECISION_COALESCE_WINDOW_MS });
    await log.flush();
    expect(await rowsOf('CHANGES')).toEqual([
      { decidedAt: 10_000, repeatCount: 1, lastAt: 10_000 },
      { decidedAt: 11_000, repeatCount: 1, lastAt: 11_000 },
      { decidedAt: 12_000, repeatCount: 1, lastAt: 12_000 },
      { decidedAt: 13_000, repeatCount: 1, lastAt: 13_000 },
      { decidedAt: 14_000, repeatCount: 1, lastAt: 14_000 },
      { decidedAt: 15_000, repeatCount: 2, lastAt: 15_000 + DECISION_COALESCE_WINDOW_MS - 1 },
      {
        decidedAt: 15_000 + DECISION_COALESCE_WINDOW_MS,
        repeatCount: 1,
        lastAt: 15_000 + DECISION_COALESCE_WINDOW_MS,
      },
    ]);
  });

  it('keeps repeats that arrive while their row is being written for the next flush', async () => {
    const log = new DecisionLog(databaseOf);
    log.record(decision(firstTenant, 'DURING', 10_000));
    const writing = log.flush();
    // The write is under way (awaiting the database): these must not be lost or counted twice.
    log.record(decision(firstTenant, 'DURING', 11_000));
    log.record(decision(firstTenant, 'DURING', 12_000));
    await writing;
    await log.flush();
    expect(await rowsOf('DURING')).toEqual([{ decidedAt: 10_000, repeatCount: 3, lastAt: 12_000 }]);
    expect(log.written).toBe(3);
  });

  it("writes a new decision at every timed flush and its row's repeats at every 10th", async () => {
    const log = new DecisionLog(databaseOf);
    log.record(decision(firstTenant, 'TIMED', 10_000));
    await log.flushDue();
    log.record(decision(firstTenant, 'TIMED', 11_000));
    log.record(decision(firstTenant, 'TIMED', 12_000));
    log.record(decision(firstTenant, 'LATER', 12_500));
    await log.flushDue();
    // The new subject is there at once; the repeats are still waiting (and counted once written).
    expect(await rowsOf('TIMED')).toEqual([{ decidedAt: 10_000, repeatCount: 1, lastAt: 10_000 }]);
    expect(await rowsOf('LATER')).toEqual([{ decidedAt: 12_500, repeatCount: 1, lastAt: 12_500 }]);
    log.record(decision(firstTenant, 'TIMED', 13_000));
    // Two timed flushes so far; up to the one before the 10th, the repeats keep waiting.
    for (let flush = 3; flush < DECISION_REPEAT_WRITE_EVERY_FLUSHES; flush += 1) await log.flushDue();
    expect(await rowsOf('TIMED')).toEqual([{ decidedAt: 10_000, repeatCount: 1, lastAt: 10_000 }]);
    await log.flushDue();
    expect(await rowsOf('TIMED')).toEqual([{ decidedAt: 10_000, repeatCount: 4, lastAt: 13_000 }]);
    expect(log.written).toBe(5);
  });

  it('bounds the new decisions waiting, not the repeats waiting to add to rows already written', async () => {
    const log = new DecisionLog(databaseOf);
    log.record(decision(firstTenant, 'WRITTEN', 1));
    await log.flush();
    log.record(decision(firstTenant, 'WRITTEN', 2));
    for (let index = 0; index < DECISION_BUFFER_MAX; index += 1) {
      log.record(decision(firstTenant, `user-${index}`, index));
    }
    expect(log.dropped).toBe(0);
    log.record(decision(firstTenant, 'one-too-many', 3));
    expect(log.dropped).toBe(1);
    await log.flushDue();
    expect(log.written).toBe(1 + DECISION_BUFFER_MAX);
  });

  it('drops and counts decisions past the buffer bound instead of blocking', async () => {
    const log = new DecisionLog(databaseOf);
    for (let index = 0; index < DECISION_BUFFER_MAX + 7; index += 1) {
      log.record(decision(firstTenant, `user-${index}`, index));
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
