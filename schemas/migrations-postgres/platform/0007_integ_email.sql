CREATE TABLE "subscriber_password_reset_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"subscriber_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "subscriber_password_reset_tokens_subscriber" ON "subscriber_password_reset_tokens" USING btree ("tenant_id","subscriber_id");