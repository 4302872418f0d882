// What authorises a tenant's logins, cached in memory: voucher/subscriber lookups and the RADIUS settings.
// SQLite triggers bump the shard's change generation on every write to vouchers, subscribers or plans
// (tenant migration 0001), and writeTenantRadiusSettings bumps it too. Every Access-Request makes sure
// nothing was committed since the cache was last checked, so a change committed by anyone - the control
// API in this process, a job, another process - is honoured by the very next request (wal-index.ts says
// how that stays cheap).
import {
  OPEN_SHARDS_MAX,
  readTenantRadiusSettings,
  type TenantRadiusSettings,
  type TenantShard,
} from '@kiunga/schemas';
import { WalIndexWatch } from './wal-index';

/** Entries per tenant; beyond it the tenant's lookups start afresh (cheap, and bounds memory). */
export const AUTH_CACHE_ENTRIES_MAX = 100_000;
/** Tenants cached at once, each with one open file: as many as the shard registry keeps open. */
export const AUTH_CACHE_TENANTS_MAX = OPEN_SHARDS_MAX;
/**
 * Accounting only asks which subject a session is (when the NAS lost our Class) and the interim interval:
 * neither is a decision about access, so it may rely on a check this recent instead of one per record.
 */
export const AUTH_CACHE_ACCOUNTING_RECHECK_MS = 250;
/** Settings written by hand in SQL (not through writeTenantRadiusSettings) are still seen within this. */
export const AUTH_CACHE_SETTINGS_REREAD_MS = 10_000;

const GENERATION_SQL = `SELECT value FROM change_generation WHERE name = 'auth'`;

function readGeneration(shard: TenantShard): number {
  // pluck(): the bare number, no row object.
  const value = shard.statement(GENERATION_SQL).pluck().get() as number | undefined;
  return value ?? 0;
}

/** One tenant's cached lookups and settings, valid for the generation they were read at. */
export class TenantAuthData<Subject> {
  // PPP logins look for a subscriber first, the rest for a voucher first (intake/subject.ts): one map
  // each, keyed by the User-Name itself, so a lookup builds no key string.
  private readonly framedSubjects = new Map<string, Subject | null>();
  private readonly loginSubjects = new Map<string, Subject | null>();
  private settings: TenantRadiusSettings | undefined;
  private settingsReadAtMs = 0;

  constructor(
    readonly shard: TenantShard,
    readonly watch: WalIndexWatch,
    public generation: number,
    public checkedAtMs: number,
  ) {}

  /**
   * The cached value, null when known absent, undefined when not cached. Get and `remember` are separate
   * calls (not a loader callback) so the login path creates no closure per request.
   */
  subject(isFramed: boolean, username: string): Subject | null | undefined {
    return (isFramed ? this.framedSubjects : this.loginSubjects).get(username);
  }

  /** Remembers what a lookup found (undefined: known absent); call right after `subject` missed. */
  remember(isFramed: boolean, username: string, value: Subject | undefined): void {
    const subjects = isFramed ? this.framedSubjects : this.loginSubjects;
    if (subjects.size >= AUTH_CACHE_ENTRIES_MAX) subjects.clear();
    subjects.set(username, value ?? null);
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

  /**
   * For an Access-Request: the tenant's cache as of now. When the shard's wal-index shows no commit since
   * the last check, that is all it costs; otherwise the generation counter is read, and a moved counter
   * starts the tenant afresh.
   */
  current(shard: TenantShard, nowMs: number): TenantAuthData<Subject> {
    let tenant = this.tenants.get(shard.tenantId);
    if (tenant !== undefined && tenant.shard !== shard) {
      // The registry closed and reopened the shard: start from a new handle.
      this.drop(tenant);
      tenant = undefined;
    }
    const watch = tenant?.watch ?? WalIndexWatch.open(shard);
    // The header is read before the counter, so a commit that lands in between is seen next time.
    if (watch.readHeader() && tenant !== undefined && watch.isUnchangedSinceAccepted()) {
      tenant.checkedAtMs = nowMs;
      return tenant;
    }
    const generation = readGeneration(shard);
    if (tenant === undefined || tenant.generation !== generation) {
      if (tenant === undefined) this.makeRoom();
      tenant = new TenantAuthData<Subject>(shard, watch, generation, nowMs);
      this.tenants.set(shard.tenantId, tenant);
    }
    watch.acceptHeader();
    tenant.checkedAtMs = nowMs;
    return tenant;
  }

  /** For accounting: what a check at most AUTH_CACHE_ACCOUNTING_RECHECK_MS old saw (see there). */
  recent(shard: TenantShard, nowMs: number): TenantAuthData<Subject> {
    const tenant = this.tenants.get(shard.tenantId);
    if (tenant?.shard === shard && nowMs - tenant.checkedAtMs < AUTH_CACHE_ACCOUNTING_RECHECK_MS)
      return tenant;
    return this.current(shard, nowMs);
  }

  /**
   * After this process changed `rowsChanged` rows itself (and updated the cached values in place):
   * accept the generation it moved to, unless someone else wrote in between, then start afresh.
   */
  acknowledgeOwnWrite(shard: TenantShard, rowsChanged: number): void {
    const tenant = this.tenants.get(shard.tenantId);
    if (tenant?.shard !== shard) return;
    const hasHeader = tenant.watch.readHeader();
    const generation = readGeneration(shard);
    if (generation !== tenant.generation + rowsChanged) {
      this.drop(tenant);
      return;
    }
    tenant.generation = generation;
    if (hasHeader) tenant.watch.acceptHeader();
  }

  /** Closes the files it watches; at shutdown. */
  close(): void {
    for (const tenant of this.tenants.values()) tenant.watch.close();
    this.tenants.clear();
  }

  private makeRoom(): void {
    if (this.tenants.size < AUTH_CACHE_TENANTS_MAX) return;
    // Insertion order: the tenant cached longest ago goes (it is read back from SQLite when it returns).
    const oldest = this.tenants.values().next().value;
    if (oldest !== undefined) this.drop(oldest);
  }

  private drop(tenant: TenantAuthData<Subject>): void {
    tenant.watch.close();
    if (this.tenants.get(tenant.shard.tenantId) === tenant) this.tenants.delete(tenant.shard.tenantId);
  }
}
