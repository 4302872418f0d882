// A cluster-wide lease on PostgreSQL: a session-level advisory lock held on a connection of its own.
//
// Why an advisory lock rather than a lease row (PostgreSQL manual 13.3.5 "Advisory Locks"): a lock
// taken at session level "is held until explicitly released or the session ends", so a node that dies
// (process killed, connection closed) gives it back at once, with no expiry to tune and no clock to
// trust, and it needs no table (no migration). Because a session that holds a lock is granted it again
// ("a lock can be acquired multiple times by its owning process"), each lease has its own connection,
// never a pooled one that another lease could reuse.
import pg from 'pg';

/**
 * The two-key form, pg_try_advisory_lock(int4, int4): its key space does not overlap the single bigint
 * form (manual 9.28.10 "Advisory Lock Functions"), which the schema migration locks use (hashtext).
 */
export interface AdvisoryLockKey {
  readonly classId: number;
  readonly objectId: number;
}

export interface AdvisoryLease {
  /**
   * A fencing token: the 64-bit id of the transaction that took the lease (pg_current_xact_id, an xid8
   * that "does not wrap around during the life of an installation", manual 9.27 "Transaction ID and
   * Snapshot Information Functions"). Any lease taken later, on any node, has a larger one.
   */
  readonly token: number;
  /** False once the connection was lost: the lock went with it, another node may hold it now. */
  isHeld(): boolean;
  /** Unlocks and closes the connection; safe to call twice. */
  release(): Promise<void>;
}

/** Taking a lease is one round trip on loopback; a database this slow to accept counts as unreachable. */
export const ADVISORY_LEASE_CONNECT_TIMEOUT_MS = 5_000;

/** The lease on `key`, or null when another session holds it. Throws when PostgreSQL cannot be reached. */
export async function tryTakeAdvisoryLease(
  databaseUrl: string,
  key: AdvisoryLockKey,
  options: { applicationName?: string; onLost?: (error: Error) => void } = {},
): Promise<AdvisoryLease | null> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: options.applicationName ?? 'kiunga-lease',
    connectionTimeoutMillis: ADVISORY_LEASE_CONNECT_TIMEOUT_MS,
    // A peer that vanished without a FIN is noticed by TCP keepalive rather than never.
    keepAlive: true,
  });
  let isHeld = false;
  client.on('error', (error) => {
    if (isHeld) options.onLost?.(error);
    isHeld = false;
  });
  await client.connect();
  try {
    const result = await client.query<{ taken: boolean; token: string }>(
      'SELECT pg_try_advisory_lock($1::int4, $2::int4) AS taken, pg_current_xact_id()::text AS token',
      [key.classId, key.objectId],
    );
    const row = result.rows[0];
    if (!row?.taken) {
      await client.end();
      return null;
    }
    isHeld = true;
    return {
      token: Number(row.token),
      isHeld: () => isHeld,
      async release() {
        if (!isHeld) return;
        isHeld = false;
        // Closing the session releases every lock it holds; the explicit unlock only says so sooner,
        // and when the connection is already gone, so is the lock.
        try {
          await client.query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [key.classId, key.objectId]);
        } catch {
          // the session ended: nothing is held any more
        } finally {
          await client.end().catch(() => {});
        }
      },
    };
  } catch (error) {
    isHeld = false;
    await client.end().catch(() => {});
    throw error;
  }
}
