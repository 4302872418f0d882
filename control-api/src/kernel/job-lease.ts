// Job leases: each scheduled job run first takes a lease, so that one run happens per round however
// many API nodes are up (PostgreSQL advisory locks), or, embedded, one at a time in this process.
import { createHash } from 'node:crypto';
import { type AdvisoryLockKey, tryTakeAdvisoryLease } from '@kiunga/schemas';
import type { Logger } from 'pino';

export interface JobLease {
  /** Larger for every later lease of any job on any node: a fencing token a job's writes can carry. */
  readonly token: number;
  release(): Promise<void>;
}

export interface JobLeases {
  readonly kind: 'in_process' | 'postgres';
  /** The lease on `jobName`, or null when another run (on this node or another) holds it. */
  tryTake(jobName: string): Promise<JobLease | null>;
  /** Releases every lease still held (a stopping node leaves nothing locked behind). */
  close(): Promise<void>;
}

/**
 * A run holds its lease at least this long, even when it finished sooner. Nodes' cron ticks of one
 * round do not fire at the same instant (clock skew between machines, a busy event loop): a node whose
 * tick comes up to this much later still finds the lease taken and skips. Half a minute is half the
 * period of a job run every minute, so the next round's tick always finds it free again; a job run more
 * often passes half its own period as `holdMinMs`, or a round's later ticks all skip.
 */
export const JOB_LEASE_HOLD_MIN_MS = 30_000;
/**
 * The hold of a job run every 10 seconds (the mail and SMS outboxes): half its period, so a late tick of
 * the same round on another node still skips and the next round's tick finds the lease free.
 */
export const TEN_SECOND_JOB_LEASE_HOLD_MIN_MS = 5_000;

/**
 * The first key of every job lease's two-key advisory lock ("KJob" in ASCII): a class of locks of our
 * own, apart from the schema migration locks (single-key form) and anything else on the database.
 */
const JOB_LOCK_CLASS_ID = 0x4b4a6f62;

/** A stable key per job name on every node and version: the first 32 bits of its SHA-256, signed. */
export function jobLockKey(jobName: string): AdvisoryLockKey {
  const digest = createHash('sha256').update(`kiunga job ${jobName}`).digest();
  return { classId: JOB_LOCK_CLASS_ID, objectId: digest.readInt32BE(0) };
}

/** One node: a lease per job name held in memory; tokens count up from 1. */
export function createInProcessJobLeases(): JobLeases {
  const held = new Set<string>();
  let lastToken = 0;
  return {
    kind: 'in_process',
    async tryTake(jobName) {
      if (held.has(jobName)) return null;
      held.add(jobName);
      lastToken += 1;
      let isHeld = true;
      return {
        token: lastToken,
        async release() {
          if (isHeld) held.delete(jobName);
          isHeld = false;
        },
      };
    },
    async close() {
      held.clear();
    },
  };
}

/** Every node on one PostgreSQL database: a session-level advisory lock per job, on its own connection. */
export function createPostgresJobLeases(databaseUrl: string, logger?: Logger): JobLeases {
  const open = new Set<JobLease>();
  return {
    kind: 'postgres',
    async tryTake(jobName) {
      const lease = await tryTakeAdvisoryLease(databaseUrl, jobLockKey(jobName), {
        applicationName: `kiunga-job ${jobName}`,
        onLost: (error) => logger?.warn({ job: jobName, err: error }, 'job lease lost with its connection'),
      });
      if (lease === null) return null;
      const jobLease: JobLease = {
        token: lease.token,
        async release() {
          open.delete(jobLease);
          await lease.release();
        },
      };
      open.add(jobLease);
      return jobLease;
    },
    async close() {
      await Promise.all([...open].map((lease) => lease.release()));
    },
  };
}

export type LeasedRunOutcome<Result> =
  | { readonly ran: true; readonly token: number; readonly result: Result }
  | { readonly ran: false };

/**
 * Runs `job` under the lease on `jobName`, or skips it (debug log) when another run holds the lease.
 * The lease is kept until the run ends and at least `holdMinMs` after it was taken (released by a timer
 * that does not keep the process alive). A database that cannot be reached fails the run like the job
 * itself would.
 */
export async function runLeased<Result>(
  leases: JobLeases,
  jobName: string,
  job: (token: number) => Promise<Result>,
  options: { logger: Logger; holdMinMs?: number; nowMs?: () => number },
): Promise<LeasedRunOutcome<Result>> {
  const nowMs = options.nowMs ?? (() => performance.now());
  const lease = await leases.tryTake(jobName);
  if (lease === null) {
    options.logger.debug({ job: jobName }, 'job skipped: its lease is held elsewhere');
    return { ran: false };
  }
  const takenAtMs = nowMs();
  // Logged as the lease is taken, not when the run ends: a node's decisions read in order (a later
  // tick's skip, logged at once, must not seem to come before a long run's start).
  options.logger.debug({ job: jobName, leaseToken: lease.token }, 'job started');
  try {
    return { ran: true, token: lease.token, result: await job(lease.token) };
  } finally {
    const remainingMs = takenAtMs + (options.holdMinMs ?? JOB_LEASE_HOLD_MIN_MS) - nowMs();
    const release = () =>
      lease.release().catch((error: unknown) => {
        options.logger.warn({ job: jobName, err: error }, 'job lease release failed');
      });
    if (remainingMs <= 0) await release();
    else setTimeout(release, remainingMs).unref();
  }
}
