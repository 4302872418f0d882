-- A fair-use state (issue 12) changes what the AAA server replies at login (the throttled
-- Mikrotik-Rate-Limit), so writing it moves the change generation like vouchers, subscribers and plans.
CREATE TRIGGER `fair_use_states_insert_generation` AFTER INSERT ON `fair_use_states` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `fair_use_states_update_generation` AFTER UPDATE ON `fair_use_states` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
--> statement-breakpoint
CREATE TRIGGER `fair_use_states_delete_generation` AFTER DELETE ON `fair_use_states` BEGIN UPDATE `change_generation` SET `value` = `value` + 1 WHERE `name` = 'auth'; END;
