CREATE TABLE "accounting_connections" (
	"vendor" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"external_id" text NOT NULL,
	"tokens_sealed" text NOT NULL,
	"settings" text NOT NULL,
	"sync_from" bigint NOT NULL,
	"connected_at" bigint NOT NULL,
	"run_claimed_at" bigint,
	"last_run_at" bigint,
	"last_run_report" text,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounting_oauth_states" (
	"state_digest" text PRIMARY KEY NOT NULL,
	"vendor" text NOT NULL,
	"request" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounting_sync_log" (
	"vendor" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"vendor_record_id" text,
	"attempts" bigint NOT NULL,
	"generation" bigint NOT NULL,
	"next_attempt_at" bigint,
	"error_failure" text,
	"error_message" text,
	"error_vendor_code" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "accounting_sync_log_pkey" PRIMARY KEY("vendor","key")
);
--> statement-breakpoint
CREATE INDEX "accounting_sync_log_recent" ON "accounting_sync_log" USING btree ("vendor","updated_at");--> statement-breakpoint
CREATE INDEX "accounting_sync_log_status" ON "accounting_sync_log" USING btree ("vendor","status");