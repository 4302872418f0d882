// A subscriber's own billing terms: a cycle that overrides the ISP's rule, and when service started.
import type { SqlDatabase } from '@kiunga/schemas';
import type { CycleRule } from './core/cycles';
import { assertSubscriberExists } from './payments-store';
import { cycleOverrideOf } from './store';

export interface SubscriberTerms {
  subscriberId: string;
  /** Null: the ISP's rule. */
  cycle: CycleRule | null;
  /** When service started (the first cycle is prorated from this day); null = when created. */
  serviceStartAt: number | null;
}

/** Throws not_found unless the subscriber exists. */
export async function readSubscriberTerms(
  database: SqlDatabase,
  subscriberId: string,
): Promise<SubscriberTerms> {
  await assertSubscriberExists(database, subscriberId);
  const row = await database.get<{
    serviceStartAt: number | null;
    cycleLengthMonths: number | null;
    cycleAnchorDay: string | null;
  }>(
    `SELECT service_start_at AS "serviceStartAt", cycle_length_months AS "cycleLengthMonths",
            cycle_anchor_day AS "cycleAnchorDay" FROM billing_subscribers WHERE subscriber_id = ?`,
    [subscriberId],
  );
  return { subscriberId, cycle: cycleOverrideOf(row), serviceStartAt: row?.serviceStartAt ?? null };
}

/** Changes the terms given, keeps the others; returns the terms now in force. */
export function updateSubscriberTerms(
  database: SqlDatabase,
  subscriberId: string,
  change: Partial<Omit<SubscriberTerms, 'subscriberId'>>,
  nowMs: number,
): Promise<SubscriberTerms> {
  return database.transaction(async (transaction) => {
    const terms = { ...(await readSubscriberTerms(transaction, subscriberId)), ...change };
    await transaction.run(
      `INSERT INTO billing_subscribers (subscriber_id, service_start_at, cycle_length_months, cycle_anchor_day, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subscriber_id) DO UPDATE SET service_start_at = excluded.service_start_at,
         cycle_length_months = excluded.cycle_length_months, cycle_anchor_day = excluded.cycle_anchor_day,
         updated_at = excluded.updated_at`,
      [
        terms.subscriberId,
        terms.serviceStartAt,
        terms.cycle?.lengthMonths ?? null,
        terms.cycle === null ? null : String(terms.cycle.anchorDay),
        nowMs,
      ],
    );
    return terms;
  });
}
