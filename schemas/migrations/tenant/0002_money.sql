CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`transfer_id` text NOT NULL,
	`debit_account` text NOT NULL,
	`credit_account` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`kind` text NOT NULL,
	`reference` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfer_unique` ON `ledger_entries` (`transfer_id`);--> statement-breakpoint
CREATE INDEX `ledger_debit` ON `ledger_entries` (`debit_account`);--> statement-breakpoint
CREATE INDEX `ledger_credit` ON `ledger_entries` (`credit_account`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`provider_transaction_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`phone` text,
	`account_reference` text,
	`matched_kind` text,
	`matched_id` text,
	`status` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_provider_transaction_unique` ON `payments` (`provider`,`provider_transaction_id`);--> statement-breakpoint
CREATE INDEX `payments_status` ON `payments` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `payments_matched` ON `payments` (`matched_kind`,`matched_id`);--> statement-breakpoint
CREATE TABLE `provider_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`kind` text NOT NULL,
	`received_at` integer NOT NULL,
	`body` text NOT NULL,
	`outcome` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `callbacks_received` ON `provider_callbacks` (`received_at`);--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`phone` text NOT NULL,
	`mac_address` text,
	`amount_cents` integer NOT NULL,
	`status` text NOT NULL,
	`merchant_request_id` text,
	`checkout_request_id` text,
	`voucher_id` text,
	`mpesa_receipt` text,
	`failure_code` text,
	`failure_message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_checkout_unique` ON `purchases` (`checkout_request_id`);--> statement-breakpoint
CREATE INDEX `purchases_phone` ON `purchases` (`phone`,`created_at`);--> statement-breakpoint
CREATE INDEX `purchases_status` ON `purchases` (`status`,`created_at`);