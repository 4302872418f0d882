// Report tables of one ISP's shard: sales totals per local day and per hour, kept by triggers on payments.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Matched payments per local (Nairobi) day, provider and plan, so the sales report reads a month
 * of a million payments as a few thousand rows (issue 12 "Measure"). Written only by the triggers
 * on payments (migration `reports_sales_totals`), in the statement that inserts, matches or
 * deletes a payment, so it is exact whichever code path writes payments.
 */
export const salesDailyTotals = sqliteTable(
  'sales_daily_totals',
  {
    /** Days since 1970-01-01 in Nairobi: (received_at + 3 h) / 24 h, integer division. */
    dayIndex: integer('day_index').notNull(),
    /** payments.provider: mpesa_stk | mpesa_c2b | manual */
    provider: text('provider').notNull(),
    /** The plan bought (a purchase's or a voucher's plan); '' when the payment has none. */
    planKey: text('plan_key').notNull(),
    paymentCount: integer('payment_count').notNull(),
    amountCents: integer('amount_cents').notNull(),
  },
  (table) => [
    primaryKey({
      name: 'sales_daily_totals_pkey',
      columns: [table.dayIndex, table.provider, table.planKey],
    }),
  ],
);

/**
 * The same totals per hour (UTC hours since 1970; Nairobi's offset is whole hours, so every hour lies
 * in one local day): a range that starts or ends inside a day reads that day's whole hours here and
 * only the partial hours from payments.
 */
export const salesHourlyTotals = sqliteTable(
  'sales_hourly_totals',
  {
    /** received_at / 1 h, integer division. */
    hourIndex: integer('hour_index').notNull(),
    provider: text('provider').notNull(),
    planKey: text('plan_key').notNull(),
    paymentCount: integer('payment_count').notNull(),
    amountCents: integer('amount_cents').notNull(),
  },
  (table) => [
    primaryKey({
      name: 'sales_hourly_totals_pkey',
      columns: [table.hourIndex, table.provider, table.planKey],
    }),
  ],
);
