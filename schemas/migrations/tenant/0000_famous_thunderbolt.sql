CREATE TABLE `accounting_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` integer NOT NULL,
	`nas_id` text NOT NULL,
	`status_type` integer NOT NULL,
	`acct_session_id` text,
	`username` text,
	`input_octets` integer,
	`output_octets` integer,
	`session_time_seconds` integer,
	`terminate_cause` integer
);
--> statement-breakpoint
CREATE INDEX `accounting_session` ON `accounting_log` (`nas_id`,`acct_session_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`price_cents` integer NOT NULL,
	`validity_seconds` integer,
	`billing_cycle_months` integer,
	`rate_up_kbps` integer NOT NULL,
	`rate_down_kbps` integer NOT NULL,
	`burst_up_kbps` integer,
	`burst_down_kbps` integer,
	`burst_threshold_up_kbps` integer,
	`burst_threshold_down_kbps` integer,
	`burst_time_seconds` integer,
	`device_limit` integer DEFAULT 1 NOT NULL,
	`data_cap_bytes` integer,
	`ip_pool` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`nas_id` text NOT NULL,
	`acct_session_id` text NOT NULL,
	`username` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`calling_station_id` text DEFAULT '' NOT NULL,
	`framed_ip` text,
	`nas_port_id` text,
	`status` text DEFAULT 'open' NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`stopped_at` integer,
	`interim_interval_seconds` integer NOT NULL,
	`input_octets` integer DEFAULT 0 NOT NULL,
	`output_octets` integer DEFAULT 0 NOT NULL,
	`input_packets` integer DEFAULT 0 NOT NULL,
	`output_packets` integer DEFAULT 0 NOT NULL,
	`session_time_seconds` integer DEFAULT 0 NOT NULL,
	`terminate_cause` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_nas_acct_unique` ON `sessions` (`nas_id`,`acct_session_id`);--> statement-breakpoint
CREATE INDEX `sessions_status` ON `sessions` (`status`);--> statement-breakpoint
CREATE INDEX `sessions_subject` ON `sessions` (`subject_kind`,`subject_id`);--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_sealed` text NOT NULL,
	`plan_id` text NOT NULL,
	`account_number` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`expires_at` integer,
	`static_ip` text,
	`mac_address` text,
	`full_name` text DEFAULT '' NOT NULL,
	`phone` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_username_unique` ON `subscribers` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_account_unique` ON `subscribers` (`account_number`);--> statement-breakpoint
CREATE INDEX `subscribers_status` ON `subscribers` (`status`);--> statement-breakpoint
CREATE TABLE `tenant_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `voucher_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`count` integer NOT NULL,
	`prefix` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `vouchers` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`plan_id` text NOT NULL,
	`batch_id` text,
	`price_cents` integer NOT NULL,
	`validity_seconds` integer NOT NULL,
	`device_limit` integer NOT NULL,
	`rate_limit` text NOT NULL,
	`data_cap_bytes` integer,
	`status` text DEFAULT 'unused' NOT NULL,
	`first_used_at` integer,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `voucher_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vouchers_code_unique` ON `vouchers` (`code`);--> statement-breakpoint
CREATE INDEX `vouchers_batch` ON `vouchers` (`batch_id`);--> statement-breakpoint
CREATE INDEX `vouchers_status` ON `vouchers` (`status`);