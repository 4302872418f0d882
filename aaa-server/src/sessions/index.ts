// The session table's public face: the interface, its in-memory implementation, limits and pure helpers.
export { normalizeCallingStationId } from './calling-station-id';
export { InMemorySessionTable, type InMemorySessionTableOptions } from './in-memory-session-table';
export {
  OPEN_SESSIONS_MAX,
  PENDING_SLOT_TIMEOUT_MS,
  PENDING_SLOTS_MAX,
  SESSIONS_PAGE_MAX,
  STALE_SESSIONS_BATCH_MAX,
} from './limits';
export { isSessionStale } from './session-staleness';
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
