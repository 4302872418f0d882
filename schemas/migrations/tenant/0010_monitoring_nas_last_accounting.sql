CREATE TABLE `nas_last_accounting` (
	`nas_id` text PRIMARY KEY NOT NULL,
	`last_accounting_at` integer NOT NULL
);
