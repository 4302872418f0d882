// The accounting writer against a real shard: grouped commits, callers told only once their record is
// on disk (seen from another connection), sessions upserted in order, and a bounded queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardRegistry } from '@kiunga/schemas';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNTING_LOG_ROWS_PER_INSERT,
  type AccountingOutcome,
  type AccountingRecord,
  AcctStatus,
} from './accounting-records';
import { AccountingWriter } from './accounting-writer';

const TENANT_ID = 'ten_acct';
let dataDir: string;
let shards: ShardRegistry;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiunga-accounting-'));
  shards = new ShardRegistry({ dataDir });
  shards.forTenant(TENANT_ID);
});

afterEach(() => {
  shards.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});

function record(
  acctSessionId: string,
  statusType: number,
  overrides: Partial<AccountingRecord> = {},
): AccountingRecord {
  return {
    tenantId: TENANT_ID,
    nasId: 'nas_1',
    statusType,
    receivedAtMs: 1_780_000_000_000,
    acctSessionId,
    username: 'code-1',
    subjectKind: 'voucher',
    subjectId: 'vch_1',
    callingStationId: '02:00:00:00:00:01',
    framedIp: '10.0.0.1',
    nasPortId: null,
    inputOctets: 0,
    outputOctets: 0,
    inputPackets: 0,
    outputPackets: 0,
    sessionTimeSeconds: 0,
    terminateCause: null,
    interimIntervalSeconds: 300,
    ...overrides,
  };
}

/** Reads the shard as another process would: its own connection, committed data only. */
function fromOutside<Row>(sql: string, ...parameters: unknown[]): Row[] {
  const outside = new Database(join(dataDir, 'tenants', `${TENANT_ID}.db`), { readonly: true });
  try {
    return outside.prepare(sql).all(...parameters) as Row[];
  } finally {
    outside.close();
  }
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
    const writer = new AccountingWriter(shards);
    const seenAtAnswer: number[] = [];
    await new Promise<void>((resolve) => {
      writer.submit(record('s1', AcctStatus.Start), () => {
        seenAtAnswer.push(fromOutside('SELECT 1 FROM accounting_log WHERE acct_session_id = ?', 's1').length);
        seenAtAnswer.push(
          fromOutside("SELECT 1 FROM sessions WHERE acct_session_id = ? AND status = 'open'", 's1').length,
        );
        resolve();
      });
    });
    expect(seenAtAnswer).toEqual([1, 1]);
  });

  it('writes a group bigger than one INSERT, and applies each session’s records in order', async () => {
    const writer = new AccountingWriter(shards);
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
    expect(fromOutside<{ count: number }>('SELECT COUNT(*) AS count FROM accounting_log')[0]!.count).toBe(
      records.length,
    );
    expect(
      fromOutside(
        'SELECT status, input_octets AS inputOctets, terminate_cause AS cause FROM sessions WHERE acct_session_id = ?',
        'b0',
      ),
    ).toEqual([{ status: 'closed', inputOctets: 900, cause: 'Idle-Timeout' }]);
    expect(writer.written).toBe(records.length);
  });

  it('closes every open session of a NAS on Accounting-On', async () => {
    const writer = new AccountingWriter(shards);
    await submitAll(writer, [record('c1', AcctStatus.Start), record('c2', AcctStatus.Start)]);
    await submitAll(writer, [record('', AcctStatus.AccountingOn, { subjectKind: null, subjectId: null })]);
    expect(fromOutside("SELECT acct_session_id FROM sessions WHERE status = 'open'")).toEqual([]);
  });

  it('writes what is queued at shutdown without waiting for the window', () => {
    const writer = new AccountingWriter(shards);
    let isAnswered = false;
    writer.submit(record('d1', AcctStatus.Start), () => {
      isAnswered = true;
    });
    writer.flushNow();
    expect(isAnswered).toBe(true);
    expect(fromOutside('SELECT 1 FROM accounting_log WHERE acct_session_id = ?', 'd1')).toHaveLength(1);
  });

  it('tells every caller of a group that failed, and keeps going for the next', async () => {
    const writer = new AccountingWriter(shards);
    // accounting_log.nas_id is NOT NULL: the group's transaction rolls back.
    const broken = record('e1', AcctStatus.Start, { nasId: null as unknown as string });
    await expect(submitAll(writer, [broken])).rejects.toBeDefined();
    await expect(submitAll(writer, [record('e2', AcctStatus.Start)])).resolves.toHaveLength(1);
  });
});
