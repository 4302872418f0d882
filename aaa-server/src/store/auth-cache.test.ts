// The AAA server's cache of lookups and settings: a change committed by anyone is seen by the next
// Access-Request, with no time passing; accounting may reuse a check a quarter second old. On SQLite a
// cached answer costs no statement at all (the wal-index watch); on PostgreSQL each check reads the
// change generation. Runs on the test run's backend (KIUNGA_TEST_DATABASE).
import {
  type ChangeWatch,
  type Databases,
  type SqlDatabase,
  writeTenantRadiusSettings,
} from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTH_CACHE_ACCOUNTING_RECHECK_MS,
  AUTH_CACHE_UNREACHABLE_READ_MS,
  AuthCache,
  type TenantAuthData,
} from './auth-cache';
import { recordVoucherFirstUse } from './tenant-records';

const testDatabases = useTestDatabases();
const nowMs = 1_780_000_000_000;
let tenantCounter = 0;
let tenantId: string;
let database: SqlDatabase;
/** The same databases on connections of their own: another process. */
let otherProcess: Databases;
let cacheInUse: AuthCache<string> | undefined;

function newCache(): AuthCache<string> {
  cacheInUse = new AuthCache<string>(testDatabases().databases);
  return cacheInUse;
}

/** The tenant's cache data, whether the check answered at once or had to read. */
async function checked(
  data: TenantAuthData<string> | Promise<TenantAuthData<string>>,
): Promise<TenantAuthData<string>> {
  return data;
}

beforeEach(async () => {
  tenantId = `ten_cache_${++tenantCounter}`;
  database = await testDatabases().createTenantDatabase(tenantId);
  otherProcess = await testDatabases().openOtherConnections();
});

afterEach(async () => {
  cacheInUse?.close();
  cacheInUse = undefined;
  await otherProcess.close();
});

const PLAN_SQL = `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
                  VALUES (?, 'Plan', 'pppoe', 100, 1, 1, 0, 0)`;

/** A write to the plans table as another process makes it: its own connection, its own commit. */
async function addPlanFromAnotherConnection(id: string): Promise<void> {
  await otherProcess.forTenant(tenantId).run(PLAN_SQL, [id]);
}

describe('AuthCache', () => {
  it('forgets a tenant’s lookups on the next Access-Request after another process changed its data', async () => {
    const cache = newCache();
    (await checked(cache.current(tenantId, nowMs))).remember(false, 'code-1', 'voucher-1');
    expect((await checked(cache.current(tenantId, nowMs))).subject(false, 'code-1')).toBe('voucher-1');
    await addPlanFromAnotherConnection('pln_a');
    // Same instant: no interval has to pass.
    expect((await checked(cache.current(tenantId, nowMs))).subject(false, 'code-1')).toBeUndefined();
  });

  it('sees a change made through this process’s own database handle at once too', async () => {
    const cache = newCache();
    (await checked(cache.current(tenantId, nowMs))).remember(true, 'otieno', 'subscriber-1');
    await database.run(PLAN_SQL, ['pln_b']);
    expect((await checked(cache.current(tenantId, nowMs))).subject(true, 'otieno')).toBeUndefined();
  });

  it('reads RADIUS settings written through writeTenantRadiusSettings on the next request', async () => {
    const cache = newCache();
    const before = await checked(cache.current(tenantId, nowMs));
    expect((await before.settingsOf(database, nowMs)).expiredAccountPolicy).toBe('reject');
    await writeTenantRadiusSettings(
      database,
      { expiredAccountPolicy: 'walled_garden', idleTimeoutSeconds: 600 },
      nowMs,
    );
    const after = await checked(cache.current(tenantId, nowMs));
    const settings = await after.settingsOf(database, nowMs);
    expect(settings).toMatchObject({ expiredAccountPolicy: 'walled_garden', idleTimeoutSeconds: 600 });
  });

  it('lets accounting reuse a check younger than a quarter second, and no older', async () => {
    const cache = newCache();
    (await checked(cache.current(tenantId, nowMs))).remember(false, 'code-2', 'voucher-2');
    await addPlanFromAnotherConnection('pln_c');
    const soon = nowMs + AUTH_CACHE_ACCOUNTING_RECHECK_MS - 1;
    expect((await checked(cache.recent(tenantId, soon))).subject(false, 'code-2')).toBe('voucher-2');
    const later = nowMs + AUTH_CACHE_ACCOUNTING_RECHECK_MS;
    expect((await checked(cache.recent(tenantId, later))).subject(false, 'code-2')).toBeUndefined();
  });

  it('keeps its entries after its own write, and drops them when someone else wrote as well', async () => {
    await database.run(PLAN_SQL, ['pln_x']);
    await database.run(
      `INSERT INTO vouchers (id, code, plan_id, price_cents, validity_seconds, device_limit, rate_limit, created_at)
       VALUES ('vch_1', 'CODE1', 'pln_x', 100, 3600, 1, '1M/1M', 0),
              ('vch_2', 'CODE2', 'pln_x', 100, 3600, 1, '1M/1M', 0)`,
    );
    const cache = newCache();
    (await checked(cache.current(tenantId, nowMs))).remember(false, 'code-3', 'voucher-3');
    const own = await recordVoucherFirstUse(database, 'vch_1', nowMs, nowMs + 3_600_000);
    cache.acknowledgeOwnWrite(tenantId, own.generationBefore, own.generationAfter);
    expect((await checked(cache.current(tenantId, nowMs))).subject(false, 'code-3')).toBe('voucher-3');
    await addPlanFromAnotherConnection('pln_d');
    const second = await recordVoucherFirstUse(database, 'vch_2', nowMs, nowMs + 3_600_000);
    cache.acknowledgeOwnWrite(tenantId, second.generationBefore, second.generationAfter);
    expect((await checked(cache.current(tenantId, nowMs))).subject(false, 'code-3')).toBeUndefined();
  });

  it('keeps the first login’s start when a second first use comes later (another node), and returns it', async () => {
    await database.run(PLAN_SQL, ['pln_r']);
    await database.run(
      `INSERT INTO vouchers (id, code, plan_id, price_cents, validity_seconds, device_limit, rate_limit, created_at)
       VALUES ('vch_r', 'CODER', 'pln_r', 100, 3600, 1, '1M/1M', 0)`,
    );
    const first = await recordVoucherFirstUse(database, 'vch_r', nowMs, nowMs + 3_600_000);
    const late = await recordVoucherFirstUse(
      otherProcess.forTenant(tenantId),
      'vch_r',
      nowMs + 5_000,
      nowMs + 3_605_000,
    );
    expect([first.expiresAtMs, late.expiresAtMs]).toEqual([nowMs + 3_600_000, nowMs + 3_600_000]);
    expect(first.generationAfter).toBe(first.generationBefore + 1);
    expect(late.generationBefore).toBe(first.generationAfter);
    expect(
      await database.get('SELECT first_used_at AS "firstUsedAt", status FROM vouchers WHERE id = ?', [
        'vch_r',
      ]),
    ).toEqual({ firstUsedAt: nowMs, status: 'active' });
    const missing = await recordVoucherFirstUse(database, 'vch_gone', nowMs, nowMs + 1_000);
    // Nothing written: no move is claimed as this write's own.
    expect(missing.generationBefore).toBe(missing.generationAfter);
  });

  it('answers from memory while nothing was committed, and reads again after any commit', async () => {
    const cache = newCache();
    (await checked(cache.current(tenantId, nowMs))).remember(false, 'code-4', 'voucher-4');
    const isSqlite = testDatabases().databases.dialect === 'sqlite';
    for (let index = 0; index < 10; index += 1) {
      const current = cache.current(tenantId, nowMs);
      // SQLite: no statement, not even a promise. PostgreSQL: the generation is read, the lookups kept.
      expect(current instanceof Promise).toBe(!isSqlite);
      expect((await checked(current)).subject(false, 'code-4')).toBe('voucher-4');
    }
    await addPlanFromAnotherConnection('pln_e');
    const afterCommit = cache.current(tenantId, nowMs);
    expect(afterCommit instanceof Promise).toBe(true);
    expect((await checked(afterCommit)).subject(false, 'code-4')).toBeUndefined();
  });

  it('waits for a slow freshness read while the database answers, and answers from memory only when it does not', async () => {
    // The change generation as the database will answer each read, when the test lets it.
    const reads: Array<(generation: number) => void> = [];
    const slowDatabase = Object.create(database) as SqlDatabase;
    slowDatabase.column = (<Value>() =>
      new Promise<Value[]>((resolve) =>
        reads.push((generation) => resolve([generation as Value])),
      )) as SqlDatabase['column'];
    let isAnswering = true;
    // A watch that never vouches (every request reads), with the database's liveness set by the test.
    const watch: ChangeWatch = {
      isUnchangedSinceAccepted: () => false,
      markOfLastCheck: () => null,
      accept: () => {},
      isDatabaseAnswering: () => isAnswering,
      close: () => {},
    };
    const databases = {
      ...testDatabases().databases,
      forTenant: () => slowDatabase,
      watchChanges: () => watch,
    };
    const cache = new AuthCache<string>(databases);
    const first = cache.current(tenantId, nowMs);
    reads.shift()?.(1);
    (await checked(first)).remember(false, 'code-5', 'voucher-5');
    // Loaded, not down: the read answers after three of the steps that once meant "unreachable".
    const slow = cache.current(tenantId, nowMs);
    setTimeout(() => reads.shift()?.(2), AUTH_CACHE_UNREACHABLE_READ_MS * 3);
    const afterSlowRead = await checked(slow);
    expect(afterSlowRead.generation).toBe(2);
    expect(afterSlowRead.subject(false, 'code-5')).toBeUndefined();
    afterSlowRead.remember(false, 'code-5', 'voucher-5b');
    // Not answering at all: the cached tenant is answered from memory after one step.
    isAnswering = false;
    const startedAt = performance.now();
    const fromMemory = await checked(cache.current(tenantId, nowMs));
    expect(performance.now() - startedAt).toBeLessThan(AUTH_CACHE_UNREACHABLE_READ_MS * 2.5);
    expect(fromMemory.subject(false, 'code-5')).toBe('voucher-5b');
    cache.close();
  });
});
