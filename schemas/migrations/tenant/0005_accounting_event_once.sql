-- One accounting_log row per event (issue 11): a record retransmitted to this or another node is
-- written once. Rows stored twice before this index are thinned to their first copy so it can be made.
DELETE FROM `accounting_log` WHERE `session_time_seconds` IS NOT NULL AND `id` NOT IN (
  SELECT MIN(`id`) FROM `accounting_log` WHERE `session_time_seconds` IS NOT NULL
   GROUP BY `nas_id`, `acct_session_id`, `status_type`, `session_time_seconds`);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounting_log_event_once` ON `accounting_log` (`nas_id`,`acct_session_id`,`status_type`,`session_time_seconds`);
