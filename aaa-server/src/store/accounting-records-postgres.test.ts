// Which way the accounting writer sends a PostgreSQL commit group: one statement that is its own
// transaction (no BEGIN/COMMIT round trips), or the portable path in a transaction when an
// Accounting-On/Off must close sessions in its place. The SQL itself runs against PostgreSQL in
// accounting-writer.test.ts (KIUNGA_TEST_DATABASE=postgres).
import type { SqlDatabase, SqlValue } from '@kiunga/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AccountingRecord, AcctStatus } from './accounting-records';
import {
  ACCOUNTING_COMMIT_WINDOW_MS,
  ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS,
  AccountingWriter,
} from './accounting-writer';
import { accountingRecordOf } from './testing/accounting-record';

const TENANT_ID = 'ten_pg_group';

function record(acctSessionId: string, statusType: number): AccountingRecord {
  return accountingRecordOf(TENANT_ID, acctSessionId, statusType, {
    inputOctets: 10,
    outputOctets: 20,
    inputPackets: 1,
    outputPackets: 2,
    sessionTimeSeconds: 60,
  });
}

/** A PostgreSQL database that records what it is asked and answers the group statement's RETURNING. */
function recordingDatabase(): { database: SqlDatabase; calls: string[] } {
  const calls: string[] = [];
  const database: SqlDatabase = {
    dialect: 'postgres',
    async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      calls.push(sql.includes('json_to_recordset') ? 'group statement' : 'other statement');
      const sessions = JSON.parse(String(params[1] ?? '[]')) as Array<Record<string, string>>;
      return sessions.map((row) => ({
        id: `ses_${row.acct_session_id}`,
        nasId: row.nas_id,
        acctSessionId: row.acct_session_id,
      })) as Row[];
    },
    async get() {
      calls.push('other statement');
      return undefined;
    },
    async column() {
      calls.push('other statement');
      return [];
    },
    async run() {
      calls.push('other statement');
      return { changes: 0 };
    },
    async transaction<Result>(work: (transaction: SqlDatabase) => Promise<Result>): Promise<Result> {
      calls.push('transaction');
      return work(database);
    },
  };
  return { database, calls };
}

function submit(writer: AccountingWriter, item: AccountingRecord): Promise<string | null> {
  return new Promise((resolve, reject) => {
    writer.submit(item, (error, outcome) => {
      if (error !== null || outcome === null) reject(error);
      else resolve(outcome.sessionId);
    });
  });
}

describe('AccountingWriter on PostgreSQL', () => {
  it('writes a group of Starts, interims and Stops as one statement outside any transaction', async () => {
    const { database, calls } = recordingDatabase();
    const writer = new AccountingWriter(() => database);
    const answers = Promise.all([
      submit(writer, record('a1', AcctStatus.Start)),
      submit(writer, record('a2', AcctStatus.InterimUpdate)),
      submit(writer, record('a1', AcctStatus.Stop)),
    ]);
    await writer.flush();
    expect(await answers).toEqual(['ses_a1', 'ses_a2', 'ses_a1']);
    expect(calls).toEqual(['group statement']);
  });

  it('keeps a group with an Accounting-On in a transaction, where it closes the NAS sessions in order', async () => {
    const { database, calls } = recordingDatabase();
    const writer = new AccountingWriter(() => database);
    const answers = Promise.all([
      submit(writer, record('b1', AcctStatus.InterimUpdate)),
      submit(writer, { ...record('', AcctStatus.AccountingOn), subjectKind: null, subjectId: null }),
    ]);
    await writer.flush();
    await answers.catch(() => undefined);
    expect(calls[0]).toBe('transaction');
    expect(calls).not.toContain('group statement');
  });

  describe('commit window', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('commits a lone record after the window it is given (PostgreSQL), before the default (embedded) one', async () => {
      vi.useFakeTimers();
      const postgres = recordingDatabase();
      const defaultWindow = recordingDatabase();
      const postgresWriter = new AccountingWriter(
        () => postgres.database,
        undefined,
        ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS,
      );
      const defaultWindowWriter = new AccountingWriter(() => defaultWindow.database);
      const answers = [
        submit(postgresWriter, record('c1', AcctStatus.Start)),
        submit(defaultWindowWriter, record('c2', AcctStatus.Start)),
      ];
      await vi.advanceTimersByTimeAsync(ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS);
      expect(postgres.calls).toEqual(['group statement']);
      expect(defaultWindow.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(ACCOUNTING_COMMIT_WINDOW_MS);
      expect(defaultWindow.calls).toEqual(['group statement']);
      expect(await Promise.all(answers)).toEqual(['ses_c1', 'ses_c2']);
    });
  });
});
