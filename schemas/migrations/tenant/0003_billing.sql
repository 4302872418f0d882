CREATE TABLE `billing_counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_pending_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscriber_id` text NOT NULL,
	`line` text NOT NULL,
	`created_at` integer NOT NULL,
	`invoice_id` text
);
--> statement-breakpoint
CREATE INDEX `pending_lines_subscriber` ON `billing_pending_lines` (`subscriber_id`,`invoice_id`);--> statement-breakpoint
CREATE TABLE `billing_subscribers` (
	`subscriber_id` text PRIMARY KEY NOT NULL,
	`service_start_at` integer,
	`cycle_length_months` integer,
	`cycle_anchor_day` text,
	`suspended_by_key` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dunning_actions` (
	`key` text PRIMARY KEY NOT NULL,
	`subscriber_id` text NOT NULL,
	`action` text NOT NULL,
	`invoice_id` text,
	`done_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dunning_subscriber` ON `dunning_actions` (`subscriber_id`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`subscriber_id` text NOT NULL,
	`account_number` text NOT NULL,
	`cycle_key` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`status` text NOT NULL,
	`lines` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_unique` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_idempotency_unique` ON `invoices` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `invoices_subscriber` ON `invoices` (`subscriber_id`,`period_end`);--> statement-breakpoint
CREATE INDEX `invoices_status` ON `invoices` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `invoices_issued` ON `invoices` (`issued_at`,`id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`subscriber_id` text NOT NULL,
	`recipient` text,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe_unique` ON `notifications` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notifications_status` ON `notifications` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `invoice_id` text;--> statement-breakpoint
CREATE INDEX `ledger_invoice` ON `ledger_entries` (`invoice_id`);