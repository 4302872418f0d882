// The AAA server's cache of lookups and settings: a change committed by anyone is seen by the next
// Access-Request, with no time passing; accounting may reuse a check a quarter second old.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardRegistry, SqliteDatabase, type TenantShard, writeTenantRadiusSettings } from '@kiunga/schemas';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH_CACHE_ACCOUNTING_RECHECK_MS, AuthCache } from './auth-cache';
import { WalIndexWatch } from './wal-index';

const TENANT_ID = 'ten_cache';
const nowMs = 1_780_000_000_000;
let dataDir: string;
let shards: ShardRegistry;
let shard: TenantShard;
let cacheInUse: AuthCache<string> | undefined;

function newCache(): AuthCache<string> {
  cacheInUse = new AuthCache<string>();
  return cacheInUse;
}

/** The same shard, counting the statements asked of it. */
function countingShard(): { shard: TenantShard; statements: () => number } {
  let count = 0;
  const counted: TenantShard = {
    ...shard,
    tenantId: shard.tenantId,
    sqlite: shard.sqlite,
    orm: shard.orm,
    statement(sql) {
      count += 1;
      return shard.statement(sql);
    },
  };
  return { shard: counted, statements: () => count };
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiunga-auth-cache-'));
  shards = new ShardRegistry({ dataDir });
  shard = shards.forTenant(TENANT_ID);
});

afterEach(() => {
  cacheInUse?.close();
  cacheInUse = undefined;
  shards.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A write to the plans table as another process makes it: its own connection, its own commit. */
function addPlanFromAnotherConnection(id: string): void {
  const other = new Database(join(dataDir, 'tenants', `${TENANT_ID}.db`));
  other
    .prepare(
      `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, 'Plan', 'pppoe', 100, 1, 1, 0, 0)`,
    )
    .run(id);
  other.close();
}

describe('AuthCache', () => {
  it('forgets a tenant’s lookups on the next Access-Request after another process changed its data', () => {
    const cache = newCache();
    cache.current(shard, nowMs).remember(false, 'code-1', 'voucher-1');
    expect(cache.current(shard, nowMs).subject(false, 'code-1')).toBe('voucher-1');
    addPlanFromAnotherConnection('pln_a');
    // Same instant: no interval has to pass.
    expect(cache.current(shard, nowMs).subject(false, 'code-1')).toBeUndefined();
  });

  it('sees a change made through this process’s own shard handle at once too', () => {
    const cache = newCache();
    cache.current(shard, nowMs).remember(true, 'otieno', 'subscriber-1');
    shard.sqlite
      .prepare(
        `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
         VALUES ('pln_b', 'Plan', 'pppoe', 100, 1, 1, 0, 0)`,
      )
      .run();
    expect(cache.current(shard, nowMs).subject(true, 'otieno')).toBeUndefined();
  });

  it('reads RADIUS settings written through writeTenantRadiusSettings on the next request', async () => {
    const cache = newCache();
    expect(cache.current(shard, nowMs).settingsOf(shard, nowMs).expiredAccountPolicy).toBe('reject');
    await writeTenantRadiusSettings(
      new SqliteDatabase(shard.sqlite),
      { expiredAccountPolicy: 'walled_garden', idleTimeoutSeconds: 600 },
      nowMs,
    );
    const settings = cache.current(shard, nowMs).settingsOf(shard, nowMs);
    expect(settings).toMatchObject({ expiredAccountPolicy: 'walled_garden', idleTimeoutSeconds: 600 });
  });

  it('lets accounting reuse a check younger than a quarter second, and no older', () => {
    const cache = newCache();
    cache.current(shard, nowMs).remember(false, 'code-2', 'voucher-2');
    addPlanFromAnotherConnection('pln_c');
    const soon = nowMs + AUTH_CACHE_ACCOUNTING_RECHECK_MS - 1;
    expect(cache.recent(shard, soon).subject(false, 'code-2')).toBe('voucher-2');
    const later = nowMs + AUTH_CACHE_ACCOUNTING_RECHECK_MS;
    expect(cache.recent(shard, later).subject(false, 'code-2')).toBeUndefined();
  });

  it('keeps its entries after its own write, and drops them when someone else wrote as well', () => {
    const cache = newCache();
    cache.current(shard, nowMs).remember(false, 'code-3', 'voucher-3');
    shard.statement(`UPDATE change_generation SET value = value + 1 WHERE name = 'auth'`).run();
    cache.acknowledgeOwnWrite(shard, 1);
    expect(cache.current(shard, nowMs).subject(false, 'code-3')).toBe('voucher-3');
    shard.statement(`UPDATE change_generation SET value = value + 1 WHERE name = 'auth'`).run();
    addPlanFromAnotherConnection('pln_d');
    cache.acknowledgeOwnWrite(shard, 1);
    expect(cache.current(shard, nowMs).subject(false, 'code-3')).toBeUndefined();
  });

  it('asks SQLite nothing while nothing was committed, and asks again after any commit', () => {
    const { shard: counted, statements } = countingShard();
    const cache = newCache();
    cache.current(counted, nowMs).remember(false, 'code-4', 'voucher-4');
    const afterFirst = statements();
    for (let index = 0; index < 10; index += 1) {
      expect(cache.current(counted, nowMs).subject(false, 'code-4')).toBe('voucher-4');
    }
    expect(statements()).toBe(afterFirst);
    addPlanFromAnotherConnection('pln_e');
    expect(cache.current(counted, nowMs).subject(false, 'code-4')).toBeUndefined();
    expect(statements()).toBeGreaterThan(afterFirst);
  });
});

describe('WalIndexWatch', () => {
  it('sees every commit in the wal-index header, whoever made it', () => {
    const watch = WalIndexWatch.open(shard);
    expect(watch.readHeader()).toBe(true);
    watch.acceptHeader();
    expect(watch.readHeader() && watch.isUnchangedSinceAccepted()).toBe(true);
    addPlanFromAnotherConnection('pln_f');
    expect(watch.readHeader()).toBe(true);
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    watch.close();
  });

  it('never calls a shard unchanged when its wal-index cannot be read', () => {
    const missing = { ...shard, sqlite: { name: join(dataDir, 'no-such.db') } } as unknown as TenantShard;
    const watch = WalIndexWatch.open(missing);
    expect(watch.readHeader()).toBe(false);
    watch.acceptHeader();
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
  });
});
