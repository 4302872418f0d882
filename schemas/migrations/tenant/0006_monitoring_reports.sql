CREATE INDEX `vouchers_first_used` ON `vouchers` (`first_used_at`);--> statement-breakpoint
CREATE INDEX `purchases_voucher` ON `purchases` (`voucher_id`);