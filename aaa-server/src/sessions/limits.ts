// Sizes of the live session table, named once so every bound says why it is that number.

/**
 * Open sessions held at most. One machine is sized for ~1,000,000 concurrent sessions in 1 GiB of
 * heap (see ops/bench/sessions); twice that leaves headroom for a burst after a NAS reboot storm
 * while still fitting a 2 GiB heap. When full, new devices are refused (`table_full`) rather than
 * letting the process run out of memory and drop every session at once.
 */
export const OPEN_SESSIONS_MAX = 2_000_000;

/**
 * Pending device slots held at most. A slot lives from Access-Accept until Accounting-Start (or
 * the timeout), so this bounds Accepts in flight over one minute: 200,000 is far above the login
 * rate of a full machine (~3,000/s) and caps the memory a flood of Access-Requests can pin.
 */
export const PENDING_SLOTS_MAX = 200_000;

/**
 * How long a device slot is held after Access-Accept without an Accounting-Start. MikroTik sends
 * Start within a second or two of Accept; 60 s covers retransmits to a slow accounting server,
 * yet a device that never starts a session frees its place within a minute.
 */
export const PENDING_SLOT_TIMEOUT_MS = 60_000;

/**
 * Largest page `sessionsOfTenant` returns: each page scans the tenant's sessions once, so a bound
 * on the page keeps both the scan's selection work and the HTTP response small.
 */
export const SESSIONS_PAGE_MAX = 1_000;

/**
 * Most stale sessions one `findStaleSessions` call returns, so that closing them (a SQLite write
 * each) happens in batches that never block the RADIUS socket for long; the next sweep takes the rest.
 */
export const STALE_SESSIONS_BATCH_MAX = 10_000;
