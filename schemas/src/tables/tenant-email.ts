// Tables of an ISP's database for email to subscribers (issue 14): which invoices were mailed.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** An invoice queued in the platform's mail outbox for its subscriber: one row, so it is mailed once. */
export const invoiceMails = sqliteTable('invoice_mails', {
  invoiceId: text('invoice_id').primaryKey(),
  /** The mail_outbox row in the platform database. */
  mailId: text('mail_id').notNull(),
  recipient: text('recipient').notNull(),
  queuedAt: integer('queued_at').notNull(),
});
