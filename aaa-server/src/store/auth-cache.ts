// What authorises a tenant's logins, cached in memory: voucher/subscriber lookups and the RADIUS settings.
// Every write to vouchers, subscribers or plans moves the tenant's change generation (tenant migration
// 0001: SQLite row triggers, PostgreSQL statement triggers), and writeTenantRadiusSettings moves it too.
// Every Access-Request makes sure nothing was committed since the cache was last checked, so a change
// committed by anyone - the control API in this process, a job, another process or node - is honoured by
// the very next request. The check is synchronous when the layer's ChangeWatch vouches that nothing was
// committed (SQLite: the shard's wal-index header, sqlite-change-watch.ts); otherwise the generation is
// read, and only that request awaits.
import {
  type ChangeWatch,
  type Databases,
  OPEN_SHARDS_MAX,
  readTenantRadiusSettings,
  type SqlDatabase,
  type TenantRadiusSettings,
} from '@kiunga/schemas';
import { readChangeGeneration } from './tenant-records';

/** Entries per tenant; beyond it the tenant's lookups start afresh (cheap, and bounds memory). */
export const AUTH_CACHE_ENTRIES_MAX = 100_000;
/** Tenants cached at once, each with a watch (SQLite: one open file): as many as the shard registry keeps open. */
export const AUTH_CACHE_TENANTS_MAX = OPEN_SHARDS_MAX;
/**
 * Accounting only asks which subject a session is (when the NAS lost our Class) and the interim interval:
 * neither is a decision about access, so it may rely on a check this recent instead of one per record.
 */
export const AUTH_CACHE_ACCOUNTING_RECHECK_MS = 250;
/** Settings written by hand in SQL (not through writeTenantRadiusSettings) are still seen within this. */
export const AUTH_CACHE_SETTINGS_REREAD_MS = 10_000;
/**
 * A freshness read (change generation, settings) for a cached tenant that has not answered within this
 * is given up when the database is unreachable: the request is answered from memory (docs/scaling.md,
 * "PostgreSQL unreachable"). A third of the router's 3 s RADIUS timeout, so the answer still reaches it.
 * Slow is not unreachable: while the watch says the database answers (PostgreSQL: the change listener's
 * heartbeat, which counts only silence as a loss), the read is waited for in steps of this length.
 * Answering from memory on a merely slow read served stale decisions, and since such an answer accepts
 * no mark, every next request read again and loaded the database further (a spiral under load).
 */
export const AUTH_CACHE_UNREACHABLE_READ_MS = 1_000;

/** One tenant's cached lookups and settings, valid for the generation they were read at. */
export class TenantAuthData<Subject> {
  // PPP logins look for a subscriber first, the rest for a voucher first (intake/subject.ts): one map
  // each, keyed by the User-Name itself, so a lookup builds no key string.
  private readonly framedSubjects = new Map<string, Subject | null>();
  private readonly loginSubjects = new Map<string, Subject | null>();
  private settings: TenantRadiusSettings | undefined;
  private settingsReadAtMs = 0;

  constructor(
    public generation: number,
    public checkedAtMs: number,
    /** Whether the database answers, however slowly (ChangeWatch.isDatabaseAnswering). */
    private readonly isDatabaseAnswering: () => boolean = () => false,
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

  /** The settings when read recently enough, else undefined (then `settingsOf` reads them). */
  cachedSettings(nowMs: number): TenantRadiusSettings | undefined {
    if (this.settings === undefined || nowMs - this.settingsReadAtMs >= AUTH_CACHE_SETTINGS_REREAD_MS) {
      return undefined;
    }
    return this.settings;
  }

  /**
   * The settings, read from the tenant's database when not cached recently enough; the last ones read
   * when the database cannot answer (see AUTH_CACHE_UNREACHABLE_READ_MS).
   */
  async settingsOf(database: SqlDatabase, nowMs: number): Promise<TenantRadiusSettings> {
    const cached = this.cachedSettings(nowMs);
    if (cached !== undefined) return cached;
    const previous = this.settings;
    if (previous !== undefined) {
      const fresh = await answeredUnlessUnreachable(
        readTenantRadiusSettings(database),
        this.isDatabaseAnswering,
      );
      if (fresh === UNANSWERED) return previous;
      this.settings = fresh;
      this.settingsReadAtMs = nowMs;
      return fresh;
    }
    const settings = await readTenantRadiusSettings(database);
    this.settings = settings;
    this.settingsReadAtMs = nowMs;
    return settings;
  }
}

/** A tenant as the cache knows it: its database, its watch and its data (none until first checked). */
interface CachedTenant<Subject> {
  readonly database: SqlDatabase;
  readonly watch: ChangeWatch;
  data: TenantAuthData<Subject> | undefined;
}

export class AuthCache<Subject> {
  private readonly tenants = new Map<string, CachedTenant<Subject>>();

  constructor(private readonly databases: Databases) {}

  /** The tenant's database (one handle per cached tenant; the layer reopens a closed shard itself). */
  databaseOf(tenantId: string): SqlDatabase {
    return this.tenantOf(tenantId).database;
  }

  /**
   * For an Access-Request: the tenant's cache as of now. When the watch vouches that nothing was
   * committed since the last check, that is all it costs (no promise); otherwise the generation is
   * read, and a moved generation starts the tenant afresh.
   */
  current(tenantId: string, nowMs: number): TenantAuthData<Subject> | Promise<TenantAuthData<Subject>> {
    const tenant = this.tenantOf(tenantId);
    // The watch is read before the generation, so a commit that lands in between is seen next time.
    if (tenant.watch.isUnchangedSinceAccepted() && tenant.data !== undefined) {
      // PostgreSQL: news of a commit acknowledged before this request may still be on its way.
      if (tenant.watch.deliveredUpToNow !== undefined) return this.confirmUnchanged(tenant, nowMs);
      tenant.data.checkedAtMs = nowMs;
      return tenant.data;
    }
    return this.refresh(tenant, nowMs);
  }

  /** Waits until every notification sent before now has arrived, then trusts the watch or reads. */
  private async confirmUnchanged(
    tenant: CachedTenant<Subject>,
    nowMs: number,
  ): Promise<TenantAuthData<Subject>> {
    const data = tenant.data;
    try {
      await tenant.watch.deliveredUpToNow?.();
    } catch {
      return this.refresh(tenant, nowMs);
    }
    if (tenant.data === data && data !== undefined && tenant.watch.isUnchangedSinceAccepted()) {
      data.checkedAtMs = nowMs;
      return data;
    }
    return this.refresh(tenant, nowMs);
  }

  /** For accounting: what a check at most AUTH_CACHE_ACCOUNTING_RECHECK_MS old saw (see there). */
  recent(tenantId: string, nowMs: number): TenantAuthData<Subject> | Promise<TenantAuthData<Subject>> {
    const data = this.tenants.get(tenantId)?.data;
    if (data !== undefined && nowMs - data.checkedAtMs < AUTH_CACHE_ACCOUNTING_RECHECK_MS) return data;
    return this.current(tenantId, nowMs);
  }

  /**
   * After this process changed the tenant's rows itself (and updated the cached values in place), with
   * every generation move from `generationBefore` to `generationAfter` its own (recordVoucherFirstUse):
   * the cache moves along unless it was not at `generationBefore`, then it starts afresh.
   */
  acknowledgeOwnWrite(tenantId: string, generationBefore: number, generationAfter: number): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant?.data === undefined) return;
    if (tenant.data.generation === generationBefore) tenant.data.generation = generationAfter;
    else if (tenant.data.generation < generationAfter) tenant.data = undefined;
  }

  /** Closes what the watches hold open; at shutdown. */
  close(): void {
    for (const tenant of this.tenants.values()) tenant.watch.close();
    this.tenants.clear();
  }

  private async refresh(tenant: CachedTenant<Subject>, nowMs: number): Promise<TenantAuthData<Subject>> {
    const mark = tenant.watch.markOfLastCheck();
    const cached = tenant.data;
    const read =
      cached === undefined
        ? await readChangeGeneration(tenant.database)
        : await answeredUnlessUnreachable(readChangeGeneration(tenant.database), () =>
            isDatabaseAnswering(tenant.watch),
          );
    // The database cannot answer: what is cached still answers (documented degradation); the mark is
    // not accepted, so the next request asks again.
    if (read === UNANSWERED) return cached as TenantAuthData<Subject>;
    const generation = read;
    // Another request's refresh may have finished first: a newer generation's data is kept as it is.
    let data = tenant.data;
    if (data === undefined || generation > data.generation) {
      data = new TenantAuthData<Subject>(generation, nowMs, () => isDatabaseAnswering(tenant.watch));
      tenant.data = data;
    }
    if (generation === data.generation) tenant.watch.accept(mark);
    data.checkedAtMs = nowMs;
    return data;
  }

  private tenantOf(tenantId: string): CachedTenant<Subject> {
    const cached = this.tenants.get(tenantId);
    if (cached !== undefined) return cached;
    this.makeRoom();
    const tenant: CachedTenant<Subject> = {
      database: this.databases.forTenant(tenantId),
      watch: this.databases.watchChanges(tenantId),
      data: undefined,
    };
    this.tenants.set(tenantId, tenant);
    return tenant;
  }

  private makeRoom(): void {
    if (this.tenants.size < AUTH_CACHE_TENANTS_MAX) return;
    // Insertion order: the tenant cached longest ago goes (it is read back from the database when it returns).
    const [oldestId, oldest] = this.tenants.entries().next().value ?? [];
    if (oldestId === undefined || oldest === undefined) return;
    oldest.watch.close();
    this.tenants.delete(oldestId);
  }
}

const UNANSWERED = Symbol('unanswered');

const STILL_WAITING = Symbol('still waiting');

function isDatabaseAnswering(watch: ChangeWatch): boolean {
  return watch.isDatabaseAnswering?.() === true;
}

/**
 * The read's value; UNANSWERED when it failed, or when it has waited AUTH_CACHE_UNREACHABLE_READ_MS
 * (or a further step of it) and the database is not known to be answering.
 */
async function answeredUnlessUnreachable<Value>(
  read: Promise<Value>,
  isAnswering: () => boolean,
): Promise<Value | typeof UNANSWERED> {
  const settled = read.catch((): typeof UNANSWERED => UNANSWERED);
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const step = new Promise<typeof STILL_WAITING>((resolve) => {
      timer = setTimeout(() => resolve(STILL_WAITING), AUTH_CACHE_UNREACHABLE_READ_MS);
    });
    try {
      const outcome = await Promise.race([settled, step]);
      if (outcome !== STILL_WAITING) return outcome;
    } finally {
      clearTimeout(timer);
    }
    if (!isAnswering()) return UNANSWERED;
  }
}
