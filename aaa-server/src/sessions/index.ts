// The session table's public face: the interfaces, the in-memory and Redis implementations, limits and pure helpers.
export { normalizeCallingStationId } from './calling-station-id';
export { InMemorySessionStore, type InMemorySessionStoreOptions } from './in-memory-session-store';
export { InMemorySessionTable, type InMemorySessionTableOptions } from './in-memory-session-table';
export {
  OPEN_SESSIONS_MAX,
  PENDING_SLOT_TIMEOUT_MS,
  PENDING_SLOTS_MAX,
  SESSIONS_PAGE_MAX,
  STALE_SESSIONS_BATCH_MAX,
} from './limits';
export {
  OUTAGE_JOURNAL_MAX,
  OutageFallbackStore,
  SHARED_TABLE_PROBE_INTERVAL_MS,
} from './redis/outage-fallback-store';
export { RedisSessionTable, type RedisSessionTableOptions } from './redis/redis-session-table';
export { isSessionStale } from './session-staleness';
export {
  isSessionStoreUnavailable,
  type OpenSessionSource,
  type RebuildOutcome,
  type SessionCounts,
  type SessionKey,
  type SessionStore,
} from './session-store';
export type {
  AdmitDeviceRequest,
  AdmitDeviceResult,
  AdmitRefusalReason,
  LiveSession,
  LiveSessionInput,
  SessionPage,
  SessionPageRequest,
  SessionTable,
  SessionUpdate,
  StartSessionResult,
  SubjectKind,
  SubjectReference,
} from './session-table';
