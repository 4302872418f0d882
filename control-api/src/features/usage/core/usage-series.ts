// `GET /api/v1/usage`: a subscriber's or voucher's usage per hour or day over a range, gaps filled, with totals.
import { z } from 'zod';
import { DAY_MS, startOfLocalDayMs } from '../../../billing/core/calendar';
import { TIME_RANGE_DAYS_MAX, type TimeRange, timeRangeOf } from '../../../kernel/time-range';
import { HOUR_MS, type UsageAmounts, type UsageGranularity } from './rollups';

/** A year and a day of hours: the longest series one query returns. */
export const USAGE_SERIES_POINTS_MAX = TIME_RANGE_DAYS_MAX * 24;

/** The query: exactly one of subscriberId or voucherId, a range, and hour or day. */
export const usageQuerySchema = z
  .object({
    subscriberId: z.string().min(1).max(64).optional(),
    voucherId: z.string().min(1).max(64).optional(),
    from: z.unknown(),
    to: z.unknown(),
    granularity: z.enum(['hour', 'day']).default('day'),
  })
  .refine((query) => (query.subscriberId === undefined) !== (query.voucherId === undefined), {
    message: 'give exactly one of subscriberId and voucherId',
    path: ['subscriberId'],
  })
  .transform((query, context) => {
    const range = timeRangeOf(query, context);
    if (range === z.NEVER) return z.NEVER;
    const subject =
      query.subscriberId !== undefined
        ? { kind: 'subscriber' as const, id: query.subscriberId }
        : { kind: 'voucher' as const, id: query.voucherId ?? '' };
    return { subject, range, granularity: query.granularity };
  });

export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface UsageRow extends UsageAmounts {
  readonly bucketStartMs: number;
}

export interface UsagePoint extends UsageAmounts {
  /** Start of the hour, or local midnight of the day (epoch milliseconds). */
  readonly start: number;
}

export interface UsageSeries {
  readonly items: UsagePoint[];
  readonly totals: UsageAmounts;
}

/** The bucket starts of a range: the hour (or local day) holding `fromMs`, up to before `toMs`. */
export function bucketStarts(range: TimeRange, granularity: UsageGranularity): number[] {
  const stepMs = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const firstMs =
    granularity === 'hour' ? range.fromMs - (range.fromMs % HOUR_MS) : startOfLocalDayMs(range.fromMs);
  const count = Math.ceil((range.toMs - firstMs) / stepMs);
  if (count > USAGE_SERIES_POINTS_MAX)
    throw new RangeError(`a series has at most ${USAGE_SERIES_POINTS_MAX} points`);
  return Array.from({ length: Math.max(count, 0) }, (_, index) => firstMs + index * stepMs);
}

/** Rows of one subject at one granularity → every bucket of the range (zero where none), and totals. */
export function buildUsageSeries(
  rows: readonly UsageRow[],
  range: TimeRange,
  granularity: UsageGranularity,
): UsageSeries {
  const byStart = new Map<number, UsageAmounts>();
  for (const row of rows) {
    const sum = byStart.get(row.bucketStartMs);
    byStart.set(row.bucketStartMs, {
      inputOctets: (sum?.inputOctets ?? 0) + row.inputOctets,
      outputOctets: (sum?.outputOctets ?? 0) + row.outputOctets,
      sessionSeconds: (sum?.sessionSeconds ?? 0) + row.sessionSeconds,
    });
  }
  const totals = { inputOctets: 0, outputOctets: 0, sessionSeconds: 0 };
  const items = bucketStarts(range, granularity).map((start) => {
    const amounts = byStart.get(start) ?? { inputOctets: 0, outputOctets: 0, sessionSeconds: 0 };
    totals.inputOctets += amounts.inputOctets;
    totals.outputOctets += amounts.outputOctets;
    totals.sessionSeconds += amounts.sessionSeconds;
    return { start, ...amounts };
  });
  return { items, totals };
}
