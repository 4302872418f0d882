CREATE TABLE "custom_domains" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"domain" text,
	"verification_token" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"verified_domain" text,
	"verified_at" bigint,
	"last_checked_at" bigint,
	"consecutive_misses" bigint DEFAULT 0 NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "custom_domains_verified_domain" ON "custom_domains" USING btree ("verified_domain");