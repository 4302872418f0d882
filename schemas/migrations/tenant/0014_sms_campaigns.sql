CREATE TABLE `sms_campaign_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`recipient` text NOT NULL,
	`body` text NOT NULL,
	`parts` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`claimed_at` integer,
	`provider_message_id` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `sms_campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sms_campaign_messages_queue` ON `sms_campaign_messages` (`campaign_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `sms_campaign_messages_provider_unique` ON `sms_campaign_messages` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `sms_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`template` text NOT NULL,
	`segment` text NOT NULL,
	`status` text NOT NULL,
	`rate_per_second` integer NOT NULL,
	`next_batch_at` integer DEFAULT 0 NOT NULL,
	`consecutive_gateway_failures` integer DEFAULT 0 NOT NULL,
	`pause_reason` text,
	`part_price_cents` integer NOT NULL,
	`recipient_count` integer NOT NULL,
	`skipped_count` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sms_campaigns_status` ON `sms_campaigns` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `sms_delivery_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider_message_id` text,
	`status` text,
	`failure_reason` text,
	`body` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sms_delivery_reports_provider` ON `sms_delivery_reports` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `sms_opt_outs` (
	`phone` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sms_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriber_tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscriber_id` text NOT NULL,
	`tag` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriber_tags_unique` ON `subscriber_tags` (`subscriber_id`,`tag`);--> statement-breakpoint
CREATE INDEX `subscriber_tags_tag` ON `subscriber_tags` (`tag`);