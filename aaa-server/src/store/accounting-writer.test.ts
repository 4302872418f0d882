// The accounting writer against a real tenant database (SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres): grouped commits, callers told only once their record is durable (seen
// from another connection), sessions upserted in order, and a bounded queue.
import type { Databases, SqlDatabase, SqlValue } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTING_LOG_ROWS_PER_INSERT,
  type AccountingOutcome,
  type AccountingRecord,
  AcctStatus,
} from './accounting-records';
import { ACCOUNTING_COMMIT_WINDOW_MS, AccountingWriter } from './accounting-writer';
import { accountingRecordOf } from './testing/accounting-record';

const testDatabases = useTestDatabases();
let tenantCounter = 0;
let TENANT_ID: string;
let database: SqlDatabase;
/** The same databases on connections of their own, as another process has. */
let outside: Databases;

beforeEach(async () => {
  TENANT_ID = `ten_acct_${++tenantCounter}`;
  database = await testDatabases().createTenantDatabase(TENANT_ID);
  outside = await testDatabases().openOtherConnections();
});

afterEach(async () => {
  await outside.close();
});

function newWriter(): AccountingWriter {
  return new AccountingWriter(() => database);
}

function record(
  acctSessionId: string,
  statusType: number,
  overrides: Partial<AccountingRecord> = {},
): AccountingRecord {
  return accountingRecordOf(TENANT_ID, acctSessionId, statusType, overrides);
}

/** Reads the tenant's database as another process would: its own connection, committed data only. */
function fromOutside<Row>(sql: string, ...parameters: SqlValue[]): Promise<Row[]> {
  return outside.forTenant(TENANT_ID).all<Row>(sql, parameters);
}

function submitAll(writer: AccountingWriter, records: AccountingRecord[]): Promise<AccountingOutcome[]> {
  return Promise.all(
    records.map(
      (item) =>
        new Promise<AccountingOutcome>((resolve, reject) => {
          const isQueued = writer.submit(item, (error, outcome) => {
            if (error !== null || outcome === null) reject(error);
            else resolve(outcome);
          });
          if (!isQueued) reject(new Error('queue full'));
        }),
    ),
  );
}

describe('AccountingWriter', () => {
  it('tells each caller only after its record can be read from another connection', async () => {
    const writer = newWriter();
    const seenAtAnswer: number[] = [];
    await new Promise<void>((resolve, reject) => {
      writer.submit(record('s1', AcctStatus.Start), () => {
        // Both reads leave at once, before anything else can commit.
        Promise.all([
          fromOutside('SELECT 1 FROM accounting_log WHERE acct_session_id = ?', 's1'),
          fromOutside("SELECT 1 FROM sessions WHERE acct_session_id = ? AND status = 'open'", 's1'),
        ]).then((seen) => {
          seenAtAnswer.push(...seen.map((rows) => rows.length));
          resolve();
        }, reject);
      });
    });
    expect(seenAtAnswer).toEqual([1, 1]);
  });

  it('writes a group bigger than one INSERT, and applies each session’s records in order', async () => {
    const writer = newWriter();
    const sessions = ACCOUNTING_LOG_ROWS_PER_INSERT + 7;
    const records: AccountingRecord[] = [];
    for (let index = 0; index < sessions; index += 1) records.push(record(`b${index}`, AcctStatus.Start));
    for (let index = 0; index < sessions; index += 1) {
      records.push(
        record(`b${index}`, AcctStatus.InterimUpdate, { inputOctets: 500, sessionTimeSeconds: 300 }),
      );
    }
    records.push(
      record('b0', AcctStatus.Stop, { inputOctets: 900, sessionTimeSeconds: 600, terminateCause: 4 }),
    );
    const outcomes = await submitAll(writer, records);
    expect(outcomes[0]!.sessionId).toMatch(/^ses_/);
    // The interim and the stop name the session the start opened.
    expect(outcomes[sessions]!.sessionId).toBe(outcomes[0]!.sessionId);
    expect(outcomes.at(-1)!.sessionId).toBe(outcomes[0]!.sessionId);
    expect(
      (await fromOutside<{ count: number }>('SELECT COUNT(*) AS count FROM accounting_log'))[0]!.count,
    ).toBe(records.length);
    expect(
      await fromOutside(
        'SELECT status, input_octets AS "inputOctets", terminate_cause AS cause FROM sessions WHERE acct_session_id = ?',
        'b0',
      ),
    ).toEqual([{ status: 'closed', inputOctets: 900, cause: 'Idle-Timeout' }]);
    expect(writer.written).toBe(records.length);
  });

  it('gives a session met several times in one group the row its records give one after the other', async () => {
    const start = 1_780_000_000_000;
    const outcomes = await submitAll(newWriter(), [
      record('f1', AcctStatus.Start, { receivedAtMs: start, framedIp: '10.0.0.1' }),
      record('f1', AcctStatus.InterimUpdate, {
        receivedAtMs: start + 300_000,
        framedIp: null,
        inputOctets: 700,
        outputOctets: 50,
        inputPackets: 7,
        sessionTimeSeconds: 300,
      }),
      // Reordered: an older interim arrives after a newer one and moves nothing back.
      record('f1', AcctStatus.InterimUpdate, {
        receivedAtMs: start + 200_000,
        framedIp: '10.0.0.2',
        inputOctets: 400,
        outputOctets: 90,
        sessionTimeSeconds: 200,
      }),
      record('f1', AcctStatus.Stop, {
        receivedAtMs: start + 400_000,
        framedIp: null,
        inputOctets: 900,
        sessionTimeSeconds: 400,
        terminateCause: 1,
      }),
      // A late interim after the stop leaves the session closed.
      record('f1', AcctStatus.InterimUpdate, {
        receivedAtMs: start + 500_000,
        framedIp: null,
        sessionTimeSeconds: 350,
      }),
    ]);
    expect(new Set(outcomes.map((outcome) => outcome.sessionId)).size).toBe(1);
    expect(
      await fromOutside(
        `SELECT id, status, framed_ip AS "framedIp", started_at AS "startedAt", updated_at AS "updatedAt",
                stopped_at AS "stoppedAt", input_octets AS "inputOctets", output_octets AS "outputOctets",
                input_packets AS "inputPackets", session_time_seconds AS "sessionTimeSeconds",
                terminate_cause AS "terminateCause"
           FROM sessions WHERE acct_session_id = ?`,
        'f1',
      ),
    ).toEqual([
      {
        id: outcomes[0]!.sessionId,
        status: 'closed',
        framedIp: '10.0.0.2',
        startedAt: start,
        updatedAt: start + 500_000,
        stoppedAt: start + 400_000,
        inputOctets: 900,
        outputOctets: 90,
        inputPackets: 7,
        sessionTimeSeconds: 400,
        terminateCause: 'User-Request',
      },
    ]);
    expect(
      await fromOutside<{ statusType: number }>(
        `SELECT status_type AS "statusType" FROM accounting_log WHERE acct_session_id = ? ORDER BY id`,
        'f1',
      ),
    ).toEqual([1, 3, 3, 2, 3].map((statusType) => ({ statusType })));
  });

  it('moves a stored session’s counters only forward on an interim, opens one it has not seen, and leaves a closed one closed', async () => {
    const writer = newWriter();
    const interim = (acctSessionId: string, seconds: number, octets: number, receivedAtMs: number) =>
      record(acctSessionId, AcctStatus.InterimUpdate, {
        sessionTimeSeconds: seconds,
        inputOctets: octets,
        outputOctets: octets * 2,
        inputPackets: octets / 100,
        outputPackets: octets / 50,
        receivedAtMs,
      });
    const [started] = await submitAll(writer, [
      record('f1', AcctStatus.Start),
      record('f2', AcctStatus.Start),
    ]);
    await submitAll(writer, [
      interim('f1', 600, 9_000, 1_780_000_600_000),
      // A session whose Start was lost: its first interim opens it.
      interim('f3', 300, 4_000, 1_780_000_300_000),
      record('f2', AcctStatus.Stop, { sessionTimeSeconds: 300, inputOctets: 700, terminateCause: 1 }),
    ]);
    const [reordered] = await submitAll(writer, [
      // Late and reordered: the older interim must not move anything back.
      interim('f1', 300, 5_000, 1_780_000_300_000),
      interim('f2', 900, 800, 1_780_000_900_000),
    ]);
    expect(reordered!.sessionId).toBe(started!.sessionId);
    const rows = await fromOutside(
      `SELECT acct_session_id AS "acctSessionId", status, updated_at AS "updatedAt", input_octets AS "inputOctets",
              output_octets AS "outputOctets", input_packets AS "inputPackets", output_packets AS "outputPackets",
              session_time_seconds AS "sessionTimeSeconds", terminate_cause AS cause, stopped_at AS "stoppedAt"
         FROM sessions ORDER BY acct_session_id`,
    );
    expect(rows).toEqual([
      {
        acctSessionId: 'f1',
        status: 'open',
        updatedAt: 1_780_000_600_000,
        inputOctets: 9_000,
        outputOctets: 18_000,
        inputPackets: 90,
        outputPackets: 180,
        sessionTimeSeconds: 600,
        cause: null,
        stoppedAt: null,
      },
      {
        acctSessionId: 'f2',
        status: 'closed',
        updatedAt: 1_780_000_900_000,
        inputOctets: 800,
        outputOctets: 1_600,
        inputPackets: 8,
        outputPackets: 16,
        sessionTimeSeconds: 900,
        cause: 'User-Request',
        stoppedAt: 1_780_000_000_000,
      },
      {
        acctSessionId: 'f3',
        status: 'open',
        updatedAt: 1_780_000_300_000,
        inputOctets: 4_000,
        outputOctets: 8_000,
        inputPackets: 40,
        outputPackets: 80,
        sessionTimeSeconds: 300,
        cause: null,
        stoppedAt: null,
      },
    ]);
  });

  it('closes every open session of a NAS on Accounting-On', async () => {
    const writer = newWriter();
    await submitAll(writer, [record('c1', AcctStatus.Start), record('c2', AcctStatus.Start)]);
    await submitAll(writer, [record('', AcctStatus.AccountingOn, { subjectKind: null, subjectId: null })]);
    expect(await fromOutside("SELECT acct_session_id FROM sessions WHERE status = 'open'")).toEqual([]);
  });

  it('applies an Accounting-On in its place within one group: it closes the sessions before it only', async () => {
    const writer = newWriter();
    const outcomes = await submitAll(writer, [
      record('h1', AcctStatus.Start),
      record('', AcctStatus.AccountingOn, { subjectKind: null, subjectId: null, sessionTimeSeconds: null }),
      record('h2', AcctStatus.Start),
      record('h1', AcctStatus.InterimUpdate, { sessionTimeSeconds: 60 }),
    ]);
    expect(outcomes.map((outcome) => outcome.sessionId === null)).toEqual([false, true, false, false]);
    expect(outcomes[3]!.sessionId).toBe(outcomes[0]!.sessionId);
    expect(
      await fromOutside('SELECT acct_session_id AS id, status FROM sessions ORDER BY acct_session_id'),
    ).toEqual([
      // A closed session stays closed when a late interim arrives.
      { id: 'h1', status: 'closed' },
      { id: 'h2', status: 'open' },
    ]);
  });

  it('writes what is queued at shutdown without waiting for the window', async () => {
    const writer = newWriter();
    let isAnswered = false;
    writer.submit(record('d1', AcctStatus.Start), () => {
      isAnswered = true;
    });
    await writer.flush();
    expect(isAnswered).toBe(true);
    expect(await fromOutside('SELECT 1 FROM accounting_log WHERE acct_session_id = ?', 'd1')).toHaveLength(1);
  });

  it('stores a retransmitted record once, in the same group or from another node, and answers every copy', async () => {
    const interim = record('f1', AcctStatus.InterimUpdate, { inputOctets: 700, sessionTimeSeconds: 300 });
    // A copy a second later (Acct-Delay-Time moved the receive time) in the same group.
    const outcomes = await submitAll(newWriter(), [
      interim,
      { ...interim, receivedAtMs: interim.receivedAtMs + 1_000 },
    ]);
    expect(outcomes).toHaveLength(2);
    // Another node's writer, on its own connection, gets the same record later.
    const otherNode = new AccountingWriter(() => outside.forTenant(TENANT_ID));
    await expect(submitAll(otherNode, [interim])).resolves.toHaveLength(1);
    const next = record('f1', AcctStatus.InterimUpdate, { inputOctets: 900, sessionTimeSeconds: 600 });
    await submitAll(newWriter(), [next]);
    expect(
      await fromOutside(
        'SELECT session_time_seconds AS "sessionTimeSeconds" FROM accounting_log WHERE acct_session_id = ? ORDER BY id',
        'f1',
      ),
    ).toEqual([{ sessionTimeSeconds: 300 }, { sessionTimeSeconds: 600 }]);
  });

  it('keeps every record without an Acct-Session-Time (nothing tells two of them apart)', async () => {
    const accountingOn = record('g1', AcctStatus.AccountingOn, {
      subjectKind: null,
      subjectId: null,
      sessionTimeSeconds: null,
    });
    await submitAll(newWriter(), [accountingOn, accountingOn]);
    expect(await fromOutside('SELECT 1 FROM accounting_log WHERE acct_session_id = ?', 'g1')).toHaveLength(2);
  });

  it("gathers what arrives during a tenant's slow commit into one next commit, instead of one commit per window", async () => {
    // The first commit waits on a gate, as a PostgreSQL commit waits on its round trips.
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let isFirstCommit = true;
    const waitIfFirst = async () => {
      if (isFirstCommit) {
        isFirstCommit = false;
        await gate;
      }
    };
    const slowFirst = Object.create(database) as SqlDatabase;
    slowFirst.transaction = async (work, options) => {
      await waitIfFirst();
      return database.transaction(work, options);
    };
    // PostgreSQL: a group is one statement, a transaction of its own (accounting-records-postgres.ts).
    slowFirst.all = async <Row>(sql: string, params?: readonly SqlValue[]) => {
      await waitIfFirst();
      return database.all<Row>(sql, params);
    };
    const writer = new AccountingWriter(() => slowFirst);
    const answered = submitAll(writer, [record('w1', AcctStatus.Start)]);
    const later: Array<Promise<AccountingOutcome[]>> = [];
    for (let index = 2; index <= 6; index += 1) {
      // Each arrives after a commit window has passed.
      await new Promise((resolve) => setTimeout(resolve, ACCOUNTING_COMMIT_WINDOW_MS * 2));
      later.push(submitAll(writer, [record(`w${index}`, AcctStatus.Start)]));
    }
    expect(writer.commitCount).toBe(1);
    openGate();
    await Promise.all([answered, ...later]);
    expect(writer.commitCount).toBe(2);
    expect(
      await fromOutside<{ acctSessionId: string }>(
        `SELECT acct_session_id AS "acctSessionId" FROM accounting_log WHERE acct_session_id LIKE 'w%' ORDER BY id`,
      ),
    ).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map((acctSessionId) => ({ acctSessionId })));
  });

  it('gives what arrives during a quick commit the rest of its window, so one group follows, not one per commit', async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let isFirstCommit = true;
    const held = Object.create(database) as SqlDatabase;
    held.transaction = async (work, options) => {
      if (isFirstCommit) {
        isFirstCommit = false;
        await gate;
      }
      return database.transaction(work, options);
    };
    held.all = async <Row>(sql: string, params?: readonly SqlValue[]) => database.all<Row>(sql, params);
    const writer = new AccountingWriter(() => held);
    const first = submitAll(writer, [record('q1', AcctStatus.Start)]);
    await new Promise((resolve) => setTimeout(resolve, ACCOUNTING_COMMIT_WINDOW_MS * 2));
    expect(writer.commitCount).toBe(1);
    // Arrives while the first commit is under way, which then ends well within this record's window.
    const during = submitAll(writer, [record('q2', AcctStatus.Start)]);
    openGate();
    await first;
    // Right behind the first commit, another record: it shares q2's commit instead of a third one.
    const after = submitAll(writer, [record('q3', AcctStatus.Start)]);
    await Promise.all([during, after]);
    expect(writer.commitCount).toBe(2);
  });

  it('puts 600 records that arrive over two turns of the event loop into one commit (one fsync)', async () => {
    const writer = newWriter();
    const first = Array.from({ length: 300 }, (_, index) => record(`t${index}`, AcctStatus.Start));
    const second = Array.from({ length: 300 }, (_, index) => record(`t${300 + index}`, AcctStatus.Start));
    const answered = submitAll(writer, first);
    // The next turn's datagrams: a group of 300 no longer commits at once without them.
    await new Promise((resolve) => setImmediate(resolve));
    const answeredToo = submitAll(writer, second);
    await Promise.all([answered, answeredToo]);
    expect(writer.commitCount).toBe(1);
    expect(await fromOutside("SELECT 1 FROM accounting_log WHERE acct_session_id LIKE 't%'")).toHaveLength(
      600,
    );
  });

  it('tells every caller of a group that failed, and keeps going for the next', async () => {
    const writer = newWriter();
    // accounting_log.nas_id is NOT NULL: the group's transaction rolls back.
    const broken = record('e1', AcctStatus.Start, { nasId: null as unknown as string });
    await expect(submitAll(writer, [broken])).rejects.toBeDefined();
    await expect(submitAll(writer, [record('e2', AcctStatus.Start)])).resolves.toHaveLength(1);
  });
});
