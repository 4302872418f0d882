-- One accounting_log row per event (issue 11): a record retransmitted to this or another node is
-- written once. Records not about a session (Accounting-On/Off) were stored with 0 for a missing
-- Acct-Session-Time; they get NULL, as the AAA server now writes it, so none of them is merged. Rows
-- stored twice before this index are thinned to their first copy so it can be made.
UPDATE "accounting_log" SET "session_time_seconds" = NULL WHERE "status_type" NOT IN (1, 2, 3);
--> statement-breakpoint
DELETE FROM "accounting_log" WHERE "session_time_seconds" IS NOT NULL AND "acct_session_id" IS NOT NULL AND "id" NOT IN (
  SELECT MIN("id") FROM "accounting_log" WHERE "session_time_seconds" IS NOT NULL AND "acct_session_id" IS NOT NULL
   GROUP BY "nas_id", "acct_session_id", "status_type", "session_time_seconds");
--> statement-breakpoint
CREATE UNIQUE INDEX "accounting_log_event_once" ON "accounting_log" USING btree ("nas_id","acct_session_id","status_type","session_time_seconds");
