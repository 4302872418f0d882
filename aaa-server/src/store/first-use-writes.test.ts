// Vouchers' first logins committed in groups: what arrives while a group commits goes in the next
// transaction together, each login learns its stored expiry, and the cache may take the whole move of the
// change generation as this process's own. Runs on the test run's backend (KIUNGA_TEST_DATABASE).
import type { SqlDatabase, SqlTransactionOptions } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { FirstUseWrites } from './first-use-writes';
import { readChangeGeneration, recordVoucherFirstUses } from './tenant-records';

const testDatabases = useTestDatabases();
const nowMs = 1_780_000_000_000;
const HOUR_MS = 3_600_000;
let tenantCounter = 0;
let tenantId: string;
let database: SqlDatabase;

beforeEach(async () => {
  tenantId = `ten_first_use_${++tenantCounter}`;
  database = await testDatabases().createTenantDatabase(tenantId);
  await database.run(
    `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
     VALUES ('pln_f', 'Plan', 'hotspot', 100, 1, 1, 0, 0)`,
  );
  await database.run(
    `INSERT INTO vouchers (id, code, plan_id, price_cents, validity_seconds, device_limit, rate_limit, created_at)
     VALUES ('vch_a', 'CODEA', 'pln_f', 100, 3600, 1, '1M/1M', 0),
            ('vch_b', 'CODEB', 'pln_f', 100, 3600, 1, '1M/1M', 0),
            ('vch_c', 'CODEC', 'pln_f', 100, 3600, 1, '1M/1M', 0)`,
  );
});

/** The tenant's database, counting the transactions begun on it. */
function countingTransactions(): { database: SqlDatabase; transactions: () => number } {
  let transactions = 0;
  const counted = Object.create(database) as SqlDatabase;
  counted.transaction = <Result>(
    work: (transaction: SqlDatabase) => Promise<Result>,
    options?: SqlTransactionOptions,
  ): Promise<Result> => {
    transactions += 1;
    return database.transaction(work, options);
  };
  return { database: counted, transactions: () => transactions };
}

async function storedFirstUses(): Promise<unknown[]> {
  return database.all(
    `SELECT id, first_used_at AS "firstUsedAt", expires_at AS "expiresAt", status FROM vouchers ORDER BY id`,
  );
}

describe('recordVoucherFirstUses', () => {
  it('stores each first use in one transaction and counts only the rows it updated in the generation move', async () => {
    const before = await readChangeGeneration(database);
    const recorded = await recordVoucherFirstUses(database, [
      { voucherId: 'vch_a', firstUsedAtMs: nowMs, expiresAtMs: nowMs + HOUR_MS },
      { voucherId: 'vch_gone', firstUsedAtMs: nowMs, expiresAtMs: nowMs + 5 },
      { voucherId: 'vch_b', firstUsedAtMs: nowMs + 1, expiresAtMs: nowMs + 1 + HOUR_MS },
    ]);
    expect(recorded.expiresAtMs).toEqual([nowMs + HOUR_MS, nowMs + 5, nowMs + 1 + HOUR_MS]);
    // Two rows updated: a move of two is claimed as this write's own. (PostgreSQL's statement trigger also
    // moves it for the UPDATE that found no row; that move is not claimed, so a cache there starts afresh.)
    expect(recorded.generationAfter - recorded.generationBefore).toBe(2);
    expect(recorded.generationBefore).toBeGreaterThanOrEqual(before);
    expect(await readChangeGeneration(database)).toBe(recorded.generationAfter);
  });
});

describe('FirstUseWrites', () => {
  it('writes the first of a burst at once and those arriving during its commit together in the next', async () => {
    const counting = countingTransactions();
    const writes = new FirstUseWrites();
    const generationBefore = await readChangeGeneration(database);
    const stored = await Promise.all(
      (['vch_a', 'vch_b', 'vch_c'] as const).map((voucherId, index) =>
        writes.record(tenantId, counting.database, {
          voucherId,
          firstUsedAtMs: nowMs + index,
          expiresAtMs: nowMs + index + HOUR_MS,
        }),
      ),
    );
    // One at once, then the two that waited: two commits for three first logins, not three.
    expect(counting.transactions()).toBe(2);
    expect(stored.map((item) => item.expiresAtMs)).toEqual([
      nowMs + HOUR_MS,
      nowMs + 1 + HOUR_MS,
      nowMs + 2 + HOUR_MS,
    ]);
    expect(stored.map((item) => [item.generationBefore, item.generationAfter])).toEqual([
      [generationBefore, generationBefore + 1],
      [generationBefore + 1, generationBefore + 3],
      [generationBefore + 1, generationBefore + 3],
    ]);
    expect(await storedFirstUses()).toEqual([
      { id: 'vch_a', firstUsedAt: nowMs, expiresAt: nowMs + HOUR_MS, status: 'active' },
      { id: 'vch_b', firstUsedAt: nowMs + 1, expiresAt: nowMs + 1 + HOUR_MS, status: 'active' },
      { id: 'vch_c', firstUsedAt: nowMs + 2, expiresAt: nowMs + 2 + HOUR_MS, status: 'active' },
    ]);
  });

  it('keeps an earlier first use of the same voucher in one group; a failed group refuses its logins, the next is written', async () => {
    const writes = new FirstUseWrites();
    const first = writes.record(tenantId, database, {
      voucherId: 'vch_a',
      firstUsedAtMs: nowMs,
      expiresAtMs: nowMs + HOUR_MS,
    });
    // Two devices' first logins of one voucher, both waiting for the next group: the first stored wins.
    const [second, third] = await Promise.all([
      writes.record(tenantId, database, {
        voucherId: 'vch_b',
        firstUsedAtMs: nowMs + 10,
        expiresAtMs: nowMs + 10 + HOUR_MS,
      }),
      writes.record(tenantId, database, {
        voucherId: 'vch_b',
        firstUsedAtMs: nowMs + 20,
        expiresAtMs: nowMs + 20 + HOUR_MS,
      }),
    ]);
    expect([(await first).expiresAtMs, second.expiresAtMs, third.expiresAtMs]).toEqual([
      nowMs + HOUR_MS,
      nowMs + 10 + HOUR_MS,
      nowMs + 10 + HOUR_MS,
    ]);
    const failing = Object.create(database) as SqlDatabase;
    failing.transaction = () => Promise.reject(new Error('disk full'));
    await expect(
      writes.record(tenantId, failing, { voucherId: 'vch_c', firstUsedAtMs: nowMs, expiresAtMs: nowMs + 1 }),
    ).rejects.toThrow('disk full');
    // The tenant's writes go on with the next login.
    await expect(
      writes.record(tenantId, database, { voucherId: 'vch_c', firstUsedAtMs: nowMs, expiresAtMs: nowMs + 1 }),
    ).resolves.toMatchObject({ expiresAtMs: nowMs + 1 });
  });
});
