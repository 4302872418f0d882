// Usage rating's memory in one ISP's shard: what each billing period's usage line charged for.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The usage of a subscriber's billing period as the billing run rated it (issue 12), with the pricing
 * it used. Accounting of that period metered after the run (a NAS reporting late, or the metering run
 * coming after the billing run) is charged on the next invoice from here, by the cumulative floor, so
 * the charges of a period add up to exactly what its whole usage comes to.
 */
export const usageRatedPeriods = sqliteTable(
  'usage_rated_periods',
  {
    subscriberId: text('subscriber_id').notNull(),
    /** The billing period [period_start, period_end), epoch ms. */
    periodStart: integer('period_start').notNull(),
    periodEnd: integer('period_end').notNull(),
    planId: text('plan_id').notNull(),
    planName: text('plan_name').notNull(),
    includedBytes: integer('included_bytes').notNull(),
    pricePerGigabyteCents: integer('price_per_gigabyte_cents').notNull(),
    /** Input + output octets of the period already rated (charged or found within the allowance). */
    ratedBytes: integer('rated_bytes').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    primaryKey({
      name: 'usage_rated_periods_pkey',
      columns: [table.subscriberId, table.periodStart],
    }),
  ],
);
