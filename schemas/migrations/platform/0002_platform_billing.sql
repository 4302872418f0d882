CREATE TABLE `platform_accounts` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`bank_reference` text NOT NULL,
	`opted_tier2` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'trial' NOT NULL,
	`oldest_unpaid_due_at` integer,
	`tier_evaluated_period` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_accounts_reference_unique` ON `platform_accounts` (`bank_reference`);--> statement-breakpoint
CREATE TABLE `platform_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `platform_charges` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`period_key` text NOT NULL,
	`kind` text NOT NULL,
	`tier` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`description` text NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `platform_charges_tenant_due` ON `platform_charges` (`tenant_id`,`due_at`);--> statement-breakpoint
CREATE TABLE `platform_ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transfer_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`description` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_ledger_transfer_unique` ON `platform_ledger_entries` (`transfer_id`);--> statement-breakpoint
CREATE INDEX `platform_ledger_tenant` ON `platform_ledger_entries` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `platform_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE INDEX `platform_notices_tenant` ON `platform_notices` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `platform_payment_intents` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_reference` text,
	`amount_cents` integer NOT NULL,
	`paid_currency` text DEFAULT 'KES' NOT NULL,
	`paid_amount_minor` integer NOT NULL,
	`exchange_rate_kes_cents` integer,
	`status` text NOT NULL,
	`failure_message` text,
	`payment_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_intents_reference_unique` ON `platform_payment_intents` (`provider`,`provider_reference`);--> statement-breakpoint
CREATE INDEX `platform_intents_tenant` ON `platform_payment_intents` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `platform_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`provider` text NOT NULL,
	`provider_transaction_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`paid_currency` text DEFAULT 'KES' NOT NULL,
	`paid_amount_minor` integer NOT NULL,
	`exchange_rate_kes_cents` integer,
	`reference` text,
	`status` text NOT NULL,
	`recorded_by` text,
	`received_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_payments_provider_transaction_unique` ON `platform_payments` (`provider`,`provider_transaction_id`);--> statement-breakpoint
CREATE INDEX `platform_payments_tenant` ON `platform_payments` (`tenant_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `platform_payments_status` ON `platform_payments` (`status`,`received_at`);