// The claim → settle steps every outbox shares (the tenant's SMS notifications, the platform's mail): a
// due row is claimed ('pending' → 'sending', its attempt counted, a lease set) by one conditional UPDATE so
// two runs or two nodes never send it twice; the attempt's decision then settles it (sent, failed, pending
// again with backoff) only while it is still 'sending'; a claim whose lease ran out is settled as an
// interrupted attempt. Both dialects: plain UPDATE … RETURNING, which SQLite and PostgreSQL both run.
import type { SqlDatabase } from '@kiunga/schemas';
import { decideAfterAttempt, type SendAttemptOutcome, type SendDecision } from './send-policy';

/** One outbox table as the shared steps see it. Names are the caller's constants, never input. */
export interface OutboxTable {
  readonly table: string;
  /** The column holding when a claim's lease runs out. */
  readonly leaseColumn: string;
  /** Narrows which pending rows this sender sends (the notifications table holds other channels). */
  readonly dueCondition?: string;
}

/** Pending rows due now, oldest first. */
export function dueOutboxIds<Id extends string | number>(
  database: SqlDatabase,
  outbox: OutboxTable,
  nowMs: number,
  limit: number,
): Promise<Id[]> {
  const extra = outbox.dueCondition === undefined ? '' : ` AND ${outbox.dueCondition}`;
  return database.column<Id>(
    `SELECT id FROM ${outbox.table}
      WHERE status = 'pending'${extra} AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      ORDER BY created_at, id LIMIT ?`,
    [nowMs, limit],
  );
}

/**
 * Takes the row for this sender if it is still pending and due, counting the attempt; null when another run
 * has it. `returning` lists the columns the sender needs (`attempts` counts this attempt).
 */
export async function claimOutboxRow<Row>(
  database: SqlDatabase,
  outbox: OutboxTable,
  id: string | number,
  claim: { nowMs: number; leaseMs: number; returning: string },
): Promise<Row | null> {
  const row = await database.get<Row>(
    `UPDATE ${outbox.table} SET status = 'sending', attempts = attempts + 1, ${outbox.leaseColumn} = ?
      WHERE id = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
      RETURNING ${claim.returning}`,
    [claim.nowMs + claim.leaseMs, id, claim.nowMs],
  );
  return row ?? null;
}

/** Records the decision for a row this sender claimed; a row no longer 'sending' is left alone. */
export async function settleOutboxRow(
  database: SqlDatabase,
  outbox: OutboxTable,
  id: string | number,
  decision: SendDecision,
): Promise<void> {
  if (decision.status === 'sent') {
    await database.run(
      `UPDATE ${outbox.table} SET status = 'sent', sent_at = ?, provider_message_id = ?, last_error = NULL,
         ${outbox.leaseColumn} = NULL, next_attempt_at = NULL WHERE id = ? AND status = 'sending'`,
      [decision.sentAt, decision.providerMessageId, id],
    );
    return;
  }
  await database.run(
    `UPDATE ${outbox.table} SET status = ?, last_error = ?, next_attempt_at = ?, ${outbox.leaseColumn} = NULL
      WHERE id = ? AND status = 'sending'`,
    [decision.status, decision.lastError, decision.status === 'pending' ? decision.nextAttemptAt : null, id],
  );
}

/** Decides after one attempt of a claimed row and settles it; the decision for the job's counts and logs. */
export async function settleOutboxAttempt(
  database: SqlDatabase,
  outbox: OutboxTable,
  claimed: { id: string | number; attempts: number },
  outcome: SendAttemptOutcome,
  nowMs: number,
): Promise<SendDecision> {
  const decision = decideAfterAttempt(outcome, claimed.attempts, nowMs);
  await settleOutboxRow(database, outbox, claimed.id, decision);
  return decision;
}

/**
 * A sender that died mid-send left rows 'sending' past their lease: whether the gateway or mail server got
 * them is unknown, as after a timeout, so each is settled as a retryable attempt (or given up at the last).
 */
export async function recoverExpiredOutboxClaims(
  database: SqlDatabase,
  outbox: OutboxTable,
  nowMs: number,
  limit: number,
): Promise<number> {
  const expired = await database.all<{ id: string | number; attempts: number }>(
    `SELECT id, attempts FROM ${outbox.table}
      WHERE status = 'sending' AND ${outbox.leaseColumn} < ? ORDER BY ${outbox.leaseColumn}, id LIMIT ?`,
    [nowMs, limit],
  );
  const interrupted: SendAttemptOutcome = { kind: 'retryable', reason: 'sending was interrupted' };
  for (const claim of expired) await settleOutboxAttempt(database, outbox, claim, interrupted, nowMs);
  return expired.length;
}
