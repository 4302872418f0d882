CREATE TABLE `subscriber_password_reset_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`subscriber_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscriber_password_reset_tokens_subscriber` ON `subscriber_password_reset_tokens` (`tenant_id`,`subscriber_id`);