CREATE TABLE `custom_domains` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`domain` text,
	`verification_token` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`verified_domain` text,
	`verified_at` integer,
	`last_checked_at` integer,
	`consecutive_misses` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_domains_verified_domain` ON `custom_domains` (`verified_domain`);