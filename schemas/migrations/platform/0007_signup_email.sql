CREATE TABLE `mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`body_sealed` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer,
	`claim_expires_at` integer,
	`provider_message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `password_reset_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `password_reset_tokens_user` ON `password_reset_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `signup_email_links` (
	`digest` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `signup_email_links_tenant` ON `signup_email_links` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `signup_sms_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`phone` text NOT NULL,
	`address` text NOT NULL,
	`digest` text NOT NULL,
	`sent_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `signup_sms_codes_phone` ON `signup_sms_codes` (`phone`,`sent_at`);--> statement-breakpoint
CREATE INDEX `signup_sms_codes_address` ON `signup_sms_codes` (`address`,`sent_at`);--> statement-breakpoint
CREATE INDEX `signup_sms_codes_tenant` ON `signup_sms_codes` (`tenant_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `signups` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`phone` text NOT NULL,
	`created_at` integer NOT NULL,
	`phone_verified_at` integer,
	`email_verified_at` integer,
	`activated_at` integer,
	`trial_ends_at` integer
);
--> statement-breakpoint
CREATE INDEX `signups_phone` ON `signups` (`phone`);--> statement-breakpoint
CREATE INDEX `signups_pending` ON `signups` (`activated_at`);