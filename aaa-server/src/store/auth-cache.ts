// What authorises a tenant's logins, cached in memory: voucher/subscriber lookups and the RADIUS settings.
// SQLite triggers bump the shard's change generation on every write to vouchers, subscribers or plans
// (tenant migration 0001), and writeTenantRadiusSettings bumps it too. Every Access-Request reads that
// counter (one indexed read) before trusting the cache, so a change committed by anyone - the control API
// in this process, a job, another process - is honoured by the very next request.
import { readTenantRadiusSettings, type TenantRadiusSettings, type TenantShard } from '@kiunga/schemas';

/** Entries per tenant; beyond it the tenant's lookups start afresh (cheap, and bounds memory). */
export const AUTH_CACHE_ENTRIES_MAX = 100_000;
/**
 * Accounting only asks which subject a session is (when the NAS lost our Class) and the interim interval:
 * neither is a decision about access, so it may rely on a check this recent instead of one per record.
 */
export const AUTH_CACHE_ACCOUNTING_RECHECK_MS = 250;
/** Settings written by hand in SQL (not through writeTenantRadiusSettings) are still seen within this. */
export const AUTH_CACHE_SETTINGS_REREAD_MS = 10_000;

const GENERATION_SQL = `SELECT value FROM change_generation WHERE name = 'auth'`;

function readGeneration(shard: TenantShard): number {
  // pluck(): the bare number, no row object, on a path taken once per Access-Request.
  const value = shard.statement(GENERATION_SQL).pluck().get() as number | undefined;
  return value ?? 0;
}

/** One tenant's cached lookups and settings, valid for the generation they were read at. */
export class TenantAuthData<Subject> {
  private readonly subjects = new Map<string, Subject | null>();
  private settings: TenantRadiusSettings | undefined;
  private settingsReadAtMs = 0;

  constructor(
    public generation: number,
    public checkedAtMs: number,
  ) {}

  /**
   * The cached value, null when known absent, undefined when not cached. Get and `remember` are separate
   * calls (not a loader callback) so the login path creates no closure per request.
   */
  subject(key: string): Subject | null | undefined {
    return this.subjects.get(key);
  }

  /** Remembers what a lookup found (undefined: known absent); call right after `subject` missed. */
  remember(key: string, value: Subject | undefined): void {
    if (this.subjects.size >= AUTH_CACHE_ENTRIES_MAX) this.subjects.clear();
    this.subjects.set(key, value ?? null);
  }

  settingsOf(shard: TenantShard, nowMs: number): TenantRadiusSettings {
    if (this.settings === undefined || nowMs - this.settingsReadAtMs >= AUTH_CACHE_SETTINGS_REREAD_MS) {
      this.settings = readTenantRadiusSettings(shard);
      this.settingsReadAtMs = nowMs;
    }
    return this.settings;
  }
}

export class AuthCache<Subject> {
  private readonly tenants = new Map<string, TenantAuthData<Subject>>();

  /** For an Access-Request: reads the generation counter now and starts afresh if it moved. */
  current(shard: TenantShard, nowMs: number): TenantAuthData<Subject> {
    return this.checked(shard, nowMs, readGeneration(shard));
  }

  /** For accounting: what a check at most AUTH_CACHE_ACCOUNTING_RECHECK_MS old saw (see there). */
  recent(shard: TenantShard, nowMs: number): TenantAuthData<Subject> {
    const tenant = this.tenants.get(shard.tenantId);
    if (tenant !== undefined && nowMs - tenant.checkedAtMs < AUTH_CACHE_ACCOUNTING_RECHECK_MS) return tenant;
    return this.current(shard, nowMs);
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

  private checked(shard: TenantShard, nowMs: number, generation: number): TenantAuthData<Subject> {
    let tenant = this.tenants.get(shard.tenantId);
    if (tenant === undefined || tenant.generation !== generation) {
      tenant = new TenantAuthData<Subject>(generation, nowMs);
      this.tenants.set(shard.tenantId, tenant);
    }
    tenant.checkedAtMs = nowMs;
    return tenant;
  }
}
