// The SQL of usage_rated_periods: what the billing run rated per subscriber and period, for the
// true-up of usage metered after the run (billing/usage-lines.ts).
import type { SqlDatabase } from '@kiunga/schemas';

/** A period as rated: the plan and pricing used, and the bytes already rated. */
export interface RatedPeriod {
  subscriberId: string;
  periodStartMs: number;
  periodEndMs: number;
  planId: string;
  planName: string;
  includedBytes: number;
  pricePerGigabyteCents: number;
  ratedBytes: number;
}

/** Whether the ISP has ever rated usage: most ISPs price none, and their runs then look for no late usage. */
export async function hasRatedPeriods(database: SqlDatabase): Promise<boolean> {
  return (await database.get('SELECT 1 AS one FROM usage_rated_periods LIMIT 1')) !== undefined;
}

/** The subscriber's last rated period that ended by `endMs`, or undefined. */
export function readRatedPeriodEndingBy(
  database: SqlDatabase,
  subscriberId: string,
  endMs: number,
): Promise<RatedPeriod | undefined> {
  return database.get<RatedPeriod>(
    `SELECT subscriber_id AS "subscriberId", period_start AS "periodStartMs", period_end AS "periodEndMs",
            plan_id AS "planId", plan_name AS "planName", included_bytes AS "includedBytes",
            price_per_gigabyte_cents AS "pricePerGigabyteCents", rated_bytes AS "ratedBytes"
       FROM usage_rated_periods
      WHERE subscriber_id = ? AND period_end <= ?
      ORDER BY period_end DESC LIMIT 1`,
    [subscriberId, endMs],
  );
}

/** Records (or moves forward) what a period's rating has covered. */
export async function saveRatedPeriod(
  database: SqlDatabase,
  period: RatedPeriod,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO usage_rated_periods (subscriber_id, period_start, period_end, plan_id, plan_name, included_bytes,
                                      price_per_gigabyte_cents, rated_bytes, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (subscriber_id, period_start) DO UPDATE SET
       rated_bytes = excluded.rated_bytes, updated_at = excluded.updated_at`,
    [
      period.subscriberId,
      period.periodStartMs,
      period.periodEndMs,
      period.planId,
      period.planName,
      period.includedBytes,
      period.pricePerGigabyteCents,
      period.ratedBytes,
      nowMs,
    ],
  );
}
