// Accounting end to end through radclient: an Accounting-Response only for a record that is committed
// (a failing commit leaves the NAS unanswered, so it retransmits), and a record that arrives twice - a
// retransmission the duplicate cache cannot know, as one sent to another node - is stored once.
import { describe, expect, it } from 'vitest';
import { changeTenant, queryTenant } from './support/data-access';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';
import { databaseUrlFor } from './support/test-database';

const running = useDemoKiunga();
/** radclient's try timeout when silence is the expected answer: far longer than a group commit takes. */
const SILENT_TIMEOUT_SECONDS = 1;

const tenant = () => running.demo.tenants[0]!;
const secret = () => tenant().nas[0]!.secret;

function account(attributes: Record<string, string | number>, timeoutSeconds?: number) {
  return radclient({
    server: `127.0.0.1:${running.kiunga.acctPort}`,
    command: 'acct',
    secret: secret(),
    attributes,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds, retries: 1 }),
  });
}

async function storedRecords(acctSessionId: string): Promise<number> {
  const row = await queryTenant<{ count: number }>(
    running.dataDir,
    tenant().id,
    'SELECT COUNT(*) AS count FROM accounting_log WHERE acct_session_id = ?',
    acctSessionId,
  );
  return Number(row?.count ?? 0);
}

/** Makes every accounting_log insert fail, as a full disk or a lost database would; undone by `healDisk`. */
async function breakDisk(): Promise<void> {
  const isPostgres = (await databaseUrlFor(running.dataDir)) !== undefined;
  const statements = isPostgres
    ? [
        `CREATE FUNCTION refuse_accounting() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'test: disk gone'; END $$ LANGUAGE plpgsql`,
        `CREATE TRIGGER refuse_accounting BEFORE INSERT ON accounting_log
           FOR EACH ROW EXECUTE FUNCTION refuse_accounting()`,
      ]
    : [
        `CREATE TRIGGER refuse_accounting BEFORE INSERT ON accounting_log
           BEGIN SELECT RAISE(ABORT, 'test: disk gone'); END`,
      ];
  for (const statement of statements) await changeTenant(running.dataDir, tenant().id, statement);
}

async function healDisk(): Promise<void> {
  const isPostgres = (await databaseUrlFor(running.dataDir)) !== undefined;
  const statements = isPostgres
    ? ['DROP TRIGGER refuse_accounting ON accounting_log', 'DROP FUNCTION refuse_accounting()']
    : ['DROP TRIGGER refuse_accounting'];
  for (const statement of statements) await changeTenant(running.dataDir, tenant().id, statement);
}

describe('accounting is answered only once it is stored', () => {
  it('sends no Accounting-Response while commits fail, and stores and answers the retransmission after', async () => {
    const start = {
      'User-Name': tenant().vouchers[0]!.code,
      'Acct-Session-Id': 'durable-1',
      'Acct-Status-Type': 'Start',
      'Calling-Station-Id': '02:00:00:00:d1:01',
    };
    await breakDisk();
    try {
      const unanswered = await account(start, SILENT_TIMEOUT_SECONDS);
      expect(unanswered.code).toBeNull();
      expect(await storedRecords('durable-1')).toBe(0);
    } finally {
      await healDisk();
    }
    expect((await account(start)).code).toBe('Accounting-Response');
    expect(await storedRecords('durable-1')).toBe(1);
  });
});

describe('a record that arrives twice (RFC 2866 §2: the NAS retransmits, maybe to another server)', () => {
  it('is answered both times and stored once; the next interim of the session is stored too', async () => {
    const interim = {
      'User-Name': tenant().vouchers[0]!.code,
      'Acct-Session-Id': 'twice-1',
      'Acct-Status-Type': 'Interim-Update',
      'Acct-Session-Time': 300,
      'Acct-Input-Octets': 1000,
      'Calling-Station-Id': '02:00:00:00:d2:01',
    };
    // Two radclient runs: two source ports, so the duplicate cache sees two different requests.
    expect((await account(interim)).code).toBe('Accounting-Response');
    expect((await account({ ...interim, 'Acct-Delay-Time': 3 })).code).toBe('Accounting-Response');
    expect(await storedRecords('twice-1')).toBe(1);
    const next = { ...interim, 'Acct-Session-Time': 600, 'Acct-Input-Octets': 2000 };
    expect((await account(next)).code).toBe('Accounting-Response');
    expect(await storedRecords('twice-1')).toBe(2);
  });

  it('keeps every record that carries no Acct-Session-Time: without it two records cannot be told apart', async () => {
    const accountingOn = { 'Acct-Session-Id': 'no-time-1', 'Acct-Status-Type': 'Accounting-On' };
    expect((await account(accountingOn)).code).toBe('Accounting-Response');
    expect((await account(accountingOn)).code).toBe('Accounting-Response');
    expect(await storedRecords('no-time-1')).toBe(2);
  });
});
