CREATE TABLE `access_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`decided_at` integer NOT NULL,
	`username` text NOT NULL,
	`nas_id` text NOT NULL,
	`mac_address` text DEFAULT '' NOT NULL,
	`result` text NOT NULL,
	`reason_code` text
);
--> statement-breakpoint
CREATE INDEX `access_decisions_username` ON `access_decisions` (`username`,`decided_at`);--> statement-breakpoint
CREATE INDEX `access_decisions_mac` ON `access_decisions` (`mac_address`);--> statement-breakpoint
CREATE INDEX `access_decisions_decided` ON `access_decisions` (`decided_at`);--> statement-breakpoint
CREATE TABLE `fair_use_states` (
	`subject_kind` text NOT NULL,
	`subject_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`rate_limit` text,
	`cycle_start` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_meter_cursor` (
	`name` text PRIMARY KEY NOT NULL,
	`last_log_id` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_meter_sessions` (
	`session_key` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`last_event_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_meter_sessions_last_event` ON `usage_meter_sessions` (`last_event_at`);--> statement-breakpoint
CREATE TABLE `usage_rollups` (
	`granularity` text NOT NULL,
	`dimension` text NOT NULL,
	`dimension_id` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`input_octets` integer NOT NULL,
	`output_octets` integer NOT NULL,
	`session_seconds` integer NOT NULL,
	PRIMARY KEY(`dimension`, `dimension_id`, `granularity`, `bucket_start`)
);
--> statement-breakpoint
ALTER TABLE `plans` ADD `fup_threshold_bytes` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `fup_rate_up_kbps` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `fup_rate_down_kbps` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `included_bytes` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `price_per_gigabyte_cents` integer;