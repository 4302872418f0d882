// Cache of voucher/subscriber lookups per tenant. SQLite triggers bump a generation counter on
// every write to vouchers, subscribers or plans (migration 0001); the cache re-reads it at most
// every CHECK_INTERVAL_MS and empties itself when it moved, so an edit in the console, another
// process or a revocation is seen within that interval, and most logins touch no SQL at all.
import type { TenantShard } from '@kiunga/schemas';

/** Staleness bound for edits made by anyone else: a quarter second. */
export const SUBJECT_CACHE_CHECK_INTERVAL_MS = 250;
/** Entries per tenant; beyond it the tenant's cache starts afresh (cheap, and bounds memory). */
export const SUBJECT_CACHE_ENTRIES_MAX = 100_000;

interface TenantCache<Value> {
  generation: number;
  checkedAtMs: number;
  entries: Map<string, Value | null>;
}

function readGeneration(shard: TenantShard): number {
  const row = shard.statement(`SELECT value FROM change_generation WHERE name = 'auth'`).get() as
    | { value: number }
    | undefined;
  return row?.value ?? 0;
}

export class SubjectCache<Value> {
  private readonly tenants = new Map<string, TenantCache<Value>>();

  /**
   * The cached value, null when known absent, undefined when not cached. Get and `remember` are
   * separate calls (not a loader callback) so the login path creates no closure per request.
   */
  get(shard: TenantShard, key: string, nowMs: number): Value | null | undefined {
    return this.freshTenant(shard, nowMs).entries.get(key);
  }

  /** Remembers what a lookup found (undefined: known absent); call right after `get` missed. */
  remember(shard: TenantShard, key: string, value: Value | undefined): void {
    const tenant = this.tenants.get(shard.tenantId);
    if (!tenant) return;
    if (tenant.entries.size >= SUBJECT_CACHE_ENTRIES_MAX) tenant.entries.clear();
    tenant.entries.set(key, value ?? null);
  }

  /**
   * After this process changed `rowsChanged` rows itself (and updated the cached values in place):
   * accept the generation it moved to, unless someone else wrote in between, then start afresh.
   */
  acknowledgeOwnWrite(shard: TenantShard, rowsChanged: number): void {
    const tenant = this.tenants.get(shard.tenantId);
    if (!tenant) return;
    const generation = readGeneration(shard);
    if (generation === tenant.generation + rowsChanged) tenant.generation = generation;
    else this.tenants.delete(shard.tenantId);
  }

  forget(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  private freshTenant(shard: TenantShard, nowMs: number): TenantCache<Value> {
    let tenant = this.tenants.get(shard.tenantId);
    if (tenant && nowMs - tenant.checkedAtMs < SUBJECT_CACHE_CHECK_INTERVAL_MS) return tenant;
    const generation = readGeneration(shard);
    if (!tenant || tenant.generation !== generation) {
      tenant = { generation, checkedAtMs: nowMs, entries: new Map() };
      this.tenants.set(shard.tenantId, tenant);
    }
    tenant.checkedAtMs = nowMs;
    return tenant;
  }
}
