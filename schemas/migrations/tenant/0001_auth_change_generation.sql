-- A counter the AAA server reads (at most every few hundred ms) to know when its cached
-- voucher/subscriber lookups may be stale; every writer bumps it through these triggers.
CREATE TABLE `change_generation` (`name` text PRIMARY KEY NOT NULL, `value` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `change_generation` (`name`, `value`) VALUES ('auth', 0);
--> statement-breakpoint
CREATE TRIGGER `vouchers_insert_generation` AFTER INSERT ON `vouchers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `vouchers_update_generation` AFTER UPDATE ON `vouchers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `vouchers_delete_generation` AFTER DELETE ON `vouchers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_insert_generation` AFTER INSERT ON `subscribers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_update_generation` AFTER UPDATE ON `subscribers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_delete_generation` AFTER DELETE ON `subscribers` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `plans_insert_generation` AFTER INSERT ON `plans` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `plans_update_generation` AFTER UPDATE ON `plans` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `plans_delete_generation` AFTER DELETE ON `plans` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
