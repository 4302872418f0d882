// The meter states a process last committed for one tenant, so the next batch need not read and parse
// them again (about a third of metering's CPU on SQLite: ops/bench/metering/README.md). Trusted only
// while the tenant's cursor is where this process left it: every write of meter states moves the cursor
// in the same transaction, so an unchanged cursor means no other run (on any node) wrote one since.
import { SESSION_STATE_RETENTION_MS, type SessionMeterState } from './core/index';

/**
 * Sessions remembered per tenant: about 300 bytes each, so 100,000 (a large ISP's evening peak) keep
 * ~30 MB; past it the least recently metered are forgotten and read from the database when they return.
 */
export const METER_STATE_CACHE_SESSIONS_MAX = 100_000;
/**
 * The retention job deletes states idle for SESSION_STATE_RETENTION_MS without moving the cursor: a
 * remembered state this close to that age is read from the database instead, so what the meter sees
 * is what is stored even when another node's clock is up to an hour ahead.
 */
const RETENTION_MARGIN_MS = 60 * 60 * 1000;

export class MeterStateCache {
  /** The cursor this process's last committed batch left; null: nothing trusted. */
  private cursor: number | null = null;
  /** In the order they were last metered, oldest first. */
  private readonly states = new Map<string, SessionMeterState>();

  /**
   * Of `sessionKeys`, the states remembered (when the stored cursor is still `cursor`), and the keys to
   * read from the database.
   */
  recall(
    cursor: number,
    sessionKeys: readonly string[],
    nowMs: number,
  ): { known: Map<string, SessionMeterState>; unknown: string[] } {
    const known = new Map<string, SessionMeterState>();
    if (this.cursor !== cursor) {
      this.forget();
      return { known, unknown: [...sessionKeys] };
    }
    const unknown: string[] = [];
    const oldestTrustedMs = nowMs - SESSION_STATE_RETENTION_MS + RETENTION_MARGIN_MS;
    for (const key of sessionKeys) {
      const state = this.states.get(key);
      if (state === undefined || state.lastEventTimeMs < oldestTrustedMs) unknown.push(key);
      else known.set(key, state);
    }
    return { known, unknown };
  }

  /** After a batch committed: the cursor it left and the states it wrote. */
  remember(cursor: number, written: ReadonlyMap<string, SessionMeterState>): void {
    this.cursor = cursor;
    for (const [key, state] of written) {
      this.states.delete(key);
      this.states.set(key, state);
    }
    for (const key of this.states.keys()) {
      if (this.states.size <= METER_STATE_CACHE_SESSIONS_MAX) break;
      this.states.delete(key);
    }
  }

  /** A batch failed or another run moved the cursor: nothing remembered is trusted. */
  forget(): void {
    this.cursor = null;
    this.states.clear();
  }
}

/** One cache per tenant per set of databases (an app instance), made on first use. */
const cachesByDatabases = new WeakMap<object, Map<string, MeterStateCache>>();

export function meterStateCacheOf(databases: object, tenantId: string): MeterStateCache {
  let caches = cachesByDatabases.get(databases);
  if (caches === undefined) {
    caches = new Map();
    cachesByDatabases.set(databases, caches);
  }
  let cache = caches.get(tenantId);
  if (cache === undefined) {
    cache = new MeterStateCache();
    caches.set(tenantId, cache);
  }
  return cache;
}
