CREATE TABLE `accounting_connections` (
	`vendor` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`external_id` text NOT NULL,
	`tokens_sealed` text NOT NULL,
	`settings` text NOT NULL,
	`sync_from` integer NOT NULL,
	`connected_at` integer NOT NULL,
	`run_claimed_at` integer,
	`last_run_at` integer,
	`last_run_report` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `accounting_oauth_states` (
	`state_digest` text PRIMARY KEY NOT NULL,
	`vendor` text NOT NULL,
	`request` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `accounting_sync_log` (
	`vendor` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`vendor_record_id` text,
	`attempts` integer NOT NULL,
	`generation` integer NOT NULL,
	`next_attempt_at` integer,
	`error_failure` text,
	`error_message` text,
	`error_vendor_code` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`vendor`, `key`)
);
--> statement-breakpoint
CREATE INDEX `accounting_sync_log_recent` ON `accounting_sync_log` (`vendor`,`updated_at`);--> statement-breakpoint
CREATE INDEX `accounting_sync_log_status` ON `accounting_sync_log` (`vendor`,`status`);