// Fair use (issue 12), after each metering run: for every subject whose usage grew (and every one
// still throttled or capped), its usage in the current cycle against its plan (decideFairUse). A
// change reaches live sessions at once (CoA-Request with the new Mikrotik-Rate-Limit, RFC 5176
// section 3.1, or Disconnect-Request at the data cap) and the next login through fair_use_states,
// which the AAA server's lookups read (a write there moves the change generation, migration 0006).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AaaControl, SqlDatabase } from '@kiunga/schemas';
import { cycleContaining, resolveCycleAnchor } from '../../billing/core/cycles';
import { cycleRuleOf, readBillingSettings } from '../../billing/settings';
import { readSubscriberTerms } from '../../billing/terms-store';
import { liveSessionsOfSubject } from '../sessions/service';
import { decideFairUse, type FairUsePlan, type FairUseState } from './core/index';
import { usageBytesBetween } from './store';

/** Subjects checked per tenant per run: bounds a run's reads; the rest are checked next minute. */
export const FAIR_USE_SUBJECTS_PER_RUN_MAX = 5_000;
/**
 * Subjects checked between two turns of the event loop. Each check is a few reads (~80 µs embedded)
 * that resolve at once, so the loop over a run's 5,000 subjects never let the event loop read a
 * datagram: the AAA server in the same process stalled ~400 ms each minute (the p99 of the sustained
 * metering bench). 100 keeps a turn under ~10 ms.
 */
export const FAIR_USE_SUBJECTS_PER_TURN = 100;

interface SubjectTerms extends FairUsePlan {
  planId: string;
  createdAt: number;
}

export interface FairUseChange {
  subject: string;
  from: FairUseState;
  to: FairUseState;
  sessions: number;
}

const PLAN_COLUMNS = `p.id AS "planId", p.rate_up_kbps AS "upKbps", p.rate_down_kbps AS "downKbps",
  p.burst_up_kbps AS "burstUpKbps", p.burst_down_kbps AS "burstDownKbps",
  p.burst_threshold_up_kbps AS "burstThresholdUpKbps", p.burst_threshold_down_kbps AS "burstThresholdDownKbps",
  p.burst_time_seconds AS "burstTimeSeconds", p.fup_threshold_bytes AS "fupThresholdBytes",
  p.fup_rate_up_kbps AS "fupRateUpKbps", p.fup_rate_down_kbps AS "fupRateDownKbps"`;

async function termsOf(
  database: SqlDatabase,
  kind: 'voucher' | 'subscriber',
  id: string,
): Promise<SubjectTerms | undefined> {
  // A voucher keeps the data cap it was sold with; a subscriber follows its plan.
  const sql =
    kind === 'voucher'
      ? `SELECT ${PLAN_COLUMNS}, v.data_cap_bytes AS "dataCapBytes",
                v.created_at AS "createdAt" FROM vouchers v JOIN plans p ON p.id = v.plan_id WHERE v.id = ?`
      : `SELECT ${PLAN_COLUMNS}, p.data_cap_bytes AS "dataCapBytes",
                s.created_at AS "createdAt" FROM subscribers s JOIN plans p ON p.id = s.plan_id WHERE s.id = ?`;
  return database.get<SubjectTerms>(sql, [id]);
}

/** Start of the subject's current cycle: a subscriber's billing cycle (local midnight); a voucher's life. */
async function cycleStartOf(
  database: SqlDatabase,
  kind: 'voucher' | 'subscriber',
  id: string,
  terms: SubjectTerms,
  nowMs: number,
): Promise<number> {
  // A voucher's one cycle is its whole life: all its rollups count (the README's rule).
  if (kind === 'voucher') return 0;
  const [settings, subscriberTerms] = await Promise.all([
    readBillingSettings(database),
    readSubscriberTerms(database, id),
  ]);
  const anchor = resolveCycleAnchor(
    cycleRuleOf(settings),
    subscriberTerms.cycle,
    subscriberTerms.serviceStartAt ?? terms.createdAt,
  );
  return cycleContaining(anchor, nowMs).startMs;
}

/** Checks the given subjects ("kind:id") and those not in the normal state; returns what changed. */
export async function applyFairUse(
  database: SqlDatabase,
  aaa: AaaControl,
  tenantId: string,
  touchedSubjects: ReadonlySet<string>,
  nowMs: number,
): Promise<FairUseChange[]> {
  const stored = await database.all<{ subject: string; state: FairUseState }>(
    `SELECT subject_kind || ':' || subject_id AS subject, state FROM fair_use_states ORDER BY subject_id`,
  );
  const applied = new Map(stored.map((row) => [row.subject, row.state]));
  const subjects = new Set([
    ...stored.filter((row) => row.state !== 'normal').map((row) => row.subject),
    ...touchedSubjects,
  ]);
  const changes: FairUseChange[] = [];
  for (const [index, subject] of [...subjects].slice(0, FAIR_USE_SUBJECTS_PER_RUN_MAX).entries()) {
    if (index > 0 && index % FAIR_USE_SUBJECTS_PER_TURN === 0) await yieldToEventLoop();
    const change = await checkSubject(
      database,
      aaa,
      tenantId,
      subject,
      applied.get(subject) ?? 'normal',
      nowMs,
    );
    if (change) changes.push(change);
  }
  return changes;
}

async function checkSubject(
  database: SqlDatabase,
  aaa: AaaControl,
  tenantId: string,
  subject: string,
  appliedState: FairUseState,
  nowMs: number,
): Promise<FairUseChange | null> {
  const [kind, id = ''] = subject.split(':') as ['voucher' | 'subscriber', string];
  const terms = await termsOf(database, kind, id);
  if (!terms) return null;
  const cycleStartMs = await cycleStartOf(database, kind, id, terms, nowMs);
  const usageBytes = await usageBytesBetween(database, kind, id, cycleStartMs, nowMs + 1);
  const decision = decideFairUse(terms, usageBytes, appliedState);
  if (decision.state === appliedState) return null;
  await database.run(
    `INSERT INTO fair_use_states (subject_kind, subject_id, state, rate_limit, cycle_start, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (subject_id) DO UPDATE SET state = excluded.state, rate_limit = excluded.rate_limit,
       cycle_start = excluded.cycle_start, updated_at = excluded.updated_at`,
    [
      kind,
      id,
      decision.state,
      decision.state === 'throttled' ? decision.rateLimit : null,
      cycleStartMs,
      nowMs,
    ],
  );
  const sessions = await liveSessionsOfSubject(aaa, tenantId, kind, new Set([id]));
  for (const session of sessions) {
    if (decision.sessionAction === 'disconnect') await aaa.disconnectSession(tenantId, session.sessionId);
    else if (decision.rateLimit !== null)
      await aaa.changeSessionRate(tenantId, session.sessionId, decision.rateLimit);
  }
  return { subject, from: appliedState, to: decision.state, sessions: sessions.length };
}
