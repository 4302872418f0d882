CREATE TABLE `usage_rated_periods` (
	`subscriber_id` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`plan_id` text NOT NULL,
	`plan_name` text NOT NULL,
	`included_bytes` integer NOT NULL,
	`price_per_gigabyte_cents` integer NOT NULL,
	`rated_bytes` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`subscriber_id`, `period_start`)
);
