// Bounds of the Redis-backed session table: time limits on every call, key lifetimes, batch and page sizes.
import { PENDING_SLOT_TIMEOUT_MS } from '../limits';

/**
 * Longest wait for one Redis reply. A healthy Redis answers one of these scripts in well under a
 * millisecond; one second means it is stuck or gone, and the node gives up well before the router
 * (the generated RouterOS script sets `timeout=3s`) retries or fails over to another RADIUS server.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * A reply later than REDIS_COMMAND_TIMEOUT_MS on a live connection is a slow Redis (a loaded machine,
 * a long script of another node), not a lost one: that request fails, the node stays on the shared
 * table. Only when Redis has answered nothing for this long (or the connection is down) is it judged
 * unreachable, and the node decides on its own table: by then a router has failed over twice (3 s).
 */
export const REDIS_UNRESPONSIVE_MS = 5_000;

/**
 * Session changes per APPLY_SESSION_CHANGES run at most. A change costs the script a few commands
 * (about 10 µs of Redis time), so 200 hold Redis for about 2 ms: other nodes' logins wait no longer than
 * that behind one group, and a full group of 1,000 records (ACCOUNTING_BATCH_MAX) takes five runs.
 */
export const SESSION_CHANGES_PER_SCRIPT_MAX = 200;

/** Longest wait for a TCP connection and the ready check, at start and on every reconnect. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/** Reconnect attempts back off to at most this: a restarted Redis is used again within a second. */
export const REDIS_RECONNECT_DELAY_MAX_MS = 1_000;

/**
 * Extra life of a pending slot's keys beyond the slot timeout. The script honours each slot's own
 * expiry; the key lifetime is only the safety net, so it allows for clock skew between AAA nodes.
 */
export const PENDING_KEY_TTL_MARGIN_MS = 60_000;

/** How long the keys of pending slots live after the last Access-Accept that touched them. */
export const PENDING_KEY_TTL_MS = PENDING_SLOT_TIMEOUT_MS + PENDING_KEY_TTL_MARGIN_MS;

/**
 * Extra life of a session's keys beyond 2 × its interim interval. Every AAA node reaps silent
 * sessions within seconds of that deadline; a day more means a session's keys only expire by
 * themselves when no node reaped for a day (all were down), and the next rebuild brings back from
 * the database whatever is still open.
 */
export const SESSION_KEY_TTL_MARGIN_MS = 24 * 60 * 60 * 1_000;

/**
 * The longest interim interval a tenant can set (the ISP console's RADIUS settings accept 60 s to one
 * hour, schemas/src/api/branding.ts). Index keys live long enough for a session with this interval.
 */
export const INTERIM_INTERVAL_SECONDS_MAX = 3_600;

/**
 * Life of a tenant's session indexes (listing, stale, NAS sets, a subject's sessions), renewed by every
 * Start and interim update: at least as long as any of its sessions' keys, so an index never expires
 * before a session it names (a session beyond INTERIM_INTERVAL_SECONDS_MAX lengthens it further).
 */
export const INDEX_KEY_TTL_MS = SESSION_KEY_TTL_MARGIN_MS + 2 * INTERIM_INTERVAL_SECONDS_MAX * 1_000;

/**
 * Lifetime of the markers that say "this table holds the database's open sessions" (the table's and
 * each tenant's) and of the tenant registry. Every reaper sweep renews the table marker, so it only
 * lapses when no node ran for an hour; the table is then rebuilt before it is trusted again. Kept well
 * under SESSION_KEY_TTL_MARGIN_MS so that the marker never outlives the data it vouches for.
 */
export const TABLE_MARKER_TTL_MS = 60 * 60 * 1_000;

/** A rebuild lock dies this long after its holder stopped renewing it (it renews after every batch). */
export const REBUILD_LOCK_TTL_MS = 30_000;

/** Open sessions written per pipelined round trip while rebuilding: big enough to stream, small enough to renew the lock often. */
export const REBUILD_BATCH_SIZE = 500;

/** How often a node waiting for another node's rebuild looks whether it has finished. */
export const REBUILD_POLL_INTERVAL_MS = 200;

/** A node waits at most this many polls (10 minutes) for another node's rebuild, then reports the table unavailable. */
export const REBUILD_POLL_ATTEMPTS_MAX = 3_000;

/**
 * How long one RADIUS request waits for a rebuild in progress before its call fails as unavailable
 * (the packet is then dropped and the router retries): a third of the router's 3 s timeout.
 */
export const REQUEST_REBUILD_WAIT_MS = 1_000;

/** A call that finds its tenant not ready makes it ready and tries once more; a second refusal is an outage. */
export const TABLE_READY_ATTEMPTS_MAX = 2;

/**
 * Open sessions one tenant may hold in Redis. Redis keeps about 1 KB per session (ops/bench/sessions/
 * redis.bench.ts prints it); 200,000 is several times the biggest ISP this platform serves and caps
 * one tenant at a few hundred megabytes, so one runaway NAS cannot fill the memory every ISP shares.
 */
export const TENANT_OPEN_SESSIONS_MAX = 200_000;

/** Pending slots one tenant may hold: a tenth of its sessions, the same ratio as the in-memory table. */
export const TENANT_PENDING_SLOTS_MAX = 20_000;

/** Sessions one script removes when a NAS reboots: a NAS with thousands of sessions never blocks Redis for long. */
export const NAS_CLOSE_BATCH_SIZE = 500;

/** Expired pending slots one script frees: bounds the time one sweep holds Redis. */
export const PENDING_SWEEP_BATCH_SIZE = 1_000;

/** SSCAN COUNT hint when listing a NAS's sessions or the tenant registry. */
export const SCAN_PAGE_SIZE = 500;

/** Passes one listing script makes past entries whose session has expired, so a page is never empty while more follow. */
export const LISTING_PASSES_MAX = 4;

/** A closing NAS's set of sessions outlives an interrupted drain by this much, then Redis drops it. */
export const CLOSING_SET_TTL_MS = 10 * 60 * 1_000;
