// The `from`/`to` of usage queries and reports: instants, where a plain date means local midnight in Nairobi.
import { z } from 'zod';
import { DAY_MS, localMidnightMs } from '../billing/core/calendar';

/** A year and a day: a leap year's hourly usage (8,784 points) or daily report rows, never more. */
export const TIME_RANGE_DAYS_MAX = 367;

/** Epoch milliseconds, an ISO 8601 date-time with offset, or a date (its local midnight, EAT). */
export const localInstantSchema = z.union([
  z.coerce.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
  z.iso.date().transform((text) => {
    const [year = 0, month = 1, day = 1] = text.split('-').map(Number);
    return localMidnightMs({ year, month, day });
  }),
]);

/** [fromMs, toMs): `to` is exclusive, so `from=2030-03-01&to=2030-04-01` is all of March. */
export const timeRangeSchema = z
  .object({ from: localInstantSchema, to: localInstantSchema })
  .refine((range) => range.from < range.to, { message: 'from must be before to', path: ['to'] })
  .refine((range) => range.to - range.from <= TIME_RANGE_DAYS_MAX * DAY_MS, {
    message: `at most ${TIME_RANGE_DAYS_MAX} days`,
    path: ['to'],
  })
  .transform((range) => ({ fromMs: range.from, toMs: range.to }));

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Inside a query schema's transform: the parsed range, or the range's issues added to the query's. */
export function timeRangeOf(
  query: { from: unknown; to: unknown },
  context: z.RefinementCtx,
): TimeRange | typeof z.NEVER {
  const range = timeRangeSchema.safeParse({ from: query.from, to: query.to });
  if (range.success) return range.data;
  for (const issue of range.error.issues)
    context.addIssue({ ...issue, code: 'custom', message: issue.message });
  return z.NEVER;
}
