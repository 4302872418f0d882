// Router health tables of one ISP's shard (issue 12): when each NAS's accounting last arrived.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The latest received_at of each NAS's rows in accounting_log, kept by the router health job as it
 * follows the log by id (its cursor is the usage_meter_cursor row 'nas_last_accounting'); it outlives
 * the raw rows' retention.
 */
export const nasLastAccounting = sqliteTable('nas_last_accounting', {
  nasId: text('nas_id').primaryKey(),
  lastAccountingAt: integer('last_accounting_at').notNull(),
});
