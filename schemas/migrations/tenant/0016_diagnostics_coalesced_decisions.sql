DROP INDEX `access_decisions_decided`;--> statement-breakpoint
ALTER TABLE `access_decisions` ADD `repeat_count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `access_decisions` ADD `last_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `access_decisions_last` ON `access_decisions` (`last_at`);
--> statement-breakpoint
UPDATE `access_decisions` SET `last_at` = `decided_at`;
