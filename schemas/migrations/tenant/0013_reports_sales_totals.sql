CREATE TABLE `sales_daily_totals` (
	`day_index` integer NOT NULL,
	`provider` text NOT NULL,
	`plan_key` text NOT NULL,
	`payment_count` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	PRIMARY KEY(`day_index`, `provider`, `plan_key`)
);
--> statement-breakpoint
CREATE TABLE `sales_hourly_totals` (
	`hour_index` integer NOT NULL,
	`provider` text NOT NULL,
	`plan_key` text NOT NULL,
	`payment_count` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	PRIMARY KEY(`hour_index`, `provider`, `plan_key`)
);
--> statement-breakpoint
CREATE INDEX `payments_sales` ON `payments` (`status`,`received_at`,`provider`,`matched_kind`,`matched_id`,`amount_cents`);--> statement-breakpoint
CREATE INDEX `purchases_plan` ON `purchases` (`id`,`plan_id`);
--> statement-breakpoint
-- Hand-written below (issue 12 "Measure"): sales_daily_totals and sales_hourly_totals are kept by
-- triggers on payments, in the statement that writes the payment, so every path that records, matches
-- or removes a payment keeps them exact. A matched payment counts on its local (Nairobi, UTC+3 all
-- year) day and its hour, for its provider and the plan it bought: a purchase's plan, or a voucher's;
-- '' for a payment with no plan (a subscriber's). 10800000 = 3 h, 86400000 = 24 h, 3600000 = 1 h, as
-- features/reports/store.ts reads them.
CREATE TRIGGER `payments_sales_totals_insert` AFTER INSERT ON `payments` WHEN NEW.`status` = 'matched' BEGIN
  INSERT INTO `sales_daily_totals` (`day_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES ((NEW.`received_at` + 10800000) / 86400000, NEW.`provider`,
          COALESCE(CASE NEW.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = NEW.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = NEW.`matched_id`) END, ''),
          1, NEW.`amount_cents`)
  ON CONFLICT (`day_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` + 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
  INSERT INTO `sales_hourly_totals` (`hour_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES (NEW.`received_at` / 3600000, NEW.`provider`,
          COALESCE(CASE NEW.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = NEW.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = NEW.`matched_id`) END, ''),
          1, NEW.`amount_cents`)
  ON CONFLICT (`hour_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` + 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
END;
--> statement-breakpoint
CREATE TRIGGER `payments_sales_totals_update_old` AFTER UPDATE OF `status`, `provider`, `amount_cents`, `matched_kind`, `matched_id`, `received_at` ON `payments` WHEN OLD.`status` = 'matched' BEGIN
  INSERT INTO `sales_daily_totals` (`day_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES ((OLD.`received_at` + 10800000) / 86400000, OLD.`provider`,
          COALESCE(CASE OLD.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = OLD.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = OLD.`matched_id`) END, ''),
          -1, -OLD.`amount_cents`)
  ON CONFLICT (`day_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` - 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
  INSERT INTO `sales_hourly_totals` (`hour_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES (OLD.`received_at` / 3600000, OLD.`provider`,
          COALESCE(CASE OLD.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = OLD.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = OLD.`matched_id`) END, ''),
          -1, -OLD.`amount_cents`)
  ON CONFLICT (`hour_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` - 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
END;
--> statement-breakpoint
CREATE TRIGGER `payments_sales_totals_update_new` AFTER UPDATE OF `status`, `provider`, `amount_cents`, `matched_kind`, `matched_id`, `received_at` ON `payments` WHEN NEW.`status` = 'matched' BEGIN
  INSERT INTO `sales_daily_totals` (`day_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES ((NEW.`received_at` + 10800000) / 86400000, NEW.`provider`,
          COALESCE(CASE NEW.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = NEW.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = NEW.`matched_id`) END, ''),
          1, NEW.`amount_cents`)
  ON CONFLICT (`day_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` + 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
  INSERT INTO `sales_hourly_totals` (`hour_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES (NEW.`received_at` / 3600000, NEW.`provider`,
          COALESCE(CASE NEW.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = NEW.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = NEW.`matched_id`) END, ''),
          1, NEW.`amount_cents`)
  ON CONFLICT (`hour_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` + 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
END;
--> statement-breakpoint
CREATE TRIGGER `payments_sales_totals_delete` AFTER DELETE ON `payments` WHEN OLD.`status` = 'matched' BEGIN
  INSERT INTO `sales_daily_totals` (`day_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES ((OLD.`received_at` + 10800000) / 86400000, OLD.`provider`,
          COALESCE(CASE OLD.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = OLD.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = OLD.`matched_id`) END, ''),
          -1, -OLD.`amount_cents`)
  ON CONFLICT (`day_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` - 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
  INSERT INTO `sales_hourly_totals` (`hour_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
  VALUES (OLD.`received_at` / 3600000, OLD.`provider`,
          COALESCE(CASE OLD.`matched_kind`
                     WHEN 'purchase' THEN (SELECT `plan_id` FROM `purchases` WHERE `id` = OLD.`matched_id`)
                     WHEN 'voucher' THEN (SELECT `plan_id` FROM `vouchers` WHERE `id` = OLD.`matched_id`) END, ''),
          -1, -OLD.`amount_cents`)
  ON CONFLICT (`hour_index`, `provider`, `plan_key`) DO UPDATE
    SET `payment_count` = `payment_count` - 1, `amount_cents` = `amount_cents` + excluded.`amount_cents`;
END;
--> statement-breakpoint
-- The payments already stored, once.
INSERT INTO `sales_daily_totals` (`day_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
SELECT (`payments`.`received_at` + 10800000) / 86400000, `payments`.`provider`,
       COALESCE(CASE `payments`.`matched_kind` WHEN 'purchase' THEN `purchases`.`plan_id`
                                                WHEN 'voucher' THEN `vouchers`.`plan_id` END, ''),
       COUNT(*), SUM(`payments`.`amount_cents`)
  FROM `payments`
  LEFT JOIN `purchases` ON `payments`.`matched_kind` = 'purchase' AND `purchases`.`id` = `payments`.`matched_id`
  LEFT JOIN `vouchers` ON `payments`.`matched_kind` = 'voucher' AND `vouchers`.`id` = `payments`.`matched_id`
 WHERE `payments`.`status` = 'matched'
 GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `sales_hourly_totals` (`hour_index`, `provider`, `plan_key`, `payment_count`, `amount_cents`)
SELECT `payments`.`received_at` / 3600000, `payments`.`provider`,
       COALESCE(CASE `payments`.`matched_kind` WHEN 'purchase' THEN `purchases`.`plan_id`
                                                WHEN 'voucher' THEN `vouchers`.`plan_id` END, ''),
       COUNT(*), SUM(`payments`.`amount_cents`)
  FROM `payments`
  LEFT JOIN `purchases` ON `payments`.`matched_kind` = 'purchase' AND `purchases`.`id` = `payments`.`matched_id`
  LEFT JOIN `vouchers` ON `payments`.`matched_kind` = 'voucher' AND `vouchers`.`id` = `payments`.`matched_id`
 WHERE `payments`.`status` = 'matched'
 GROUP BY 1, 2, 3;
