CREATE TABLE "guest_passes" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_sealed" text NOT NULL,
	"mac_address" text NOT NULL,
	"phone" text,
	"issued_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"rate_limit" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" text NOT NULL,
	"phone" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_rewards" (
	"id" text PRIMARY KEY NOT NULL,
	"purchase_id" text NOT NULL,
	"code" text NOT NULL,
	"referrer_kind" text NOT NULL,
	"referrer_id" text NOT NULL,
	"new_phone" text NOT NULL,
	"outcome" text NOT NULL,
	"reward_key" text,
	"decline_reason" text,
	"referrer_voucher_id" text,
	"new_client_voucher_id" text,
	"decided_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_subscribers" ADD COLUMN "trial_ends_at" bigint;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "referral_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "guest_passes_username" ON "guest_passes" USING btree ("username");--> statement-breakpoint
CREATE INDEX "guest_passes_mac" ON "guest_passes" USING btree ("mac_address","issued_at");--> statement-breakpoint
CREATE INDEX "guest_passes_phone" ON "guest_passes" USING btree ("phone","issued_at");--> statement-breakpoint
CREATE INDEX "guest_passes_issued" ON "guest_passes" USING btree ("issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_owner" ON "referral_codes" USING btree ("owner_kind","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_rewards_purchase" ON "referral_rewards" USING btree ("purchase_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_rewards_key" ON "referral_rewards" USING btree ("reward_key");--> statement-breakpoint
CREATE INDEX "referral_rewards_referrer" ON "referral_rewards" USING btree ("referrer_kind","referrer_id","decided_at");--> statement-breakpoint
CREATE INDEX "referral_rewards_decided" ON "referral_rewards" USING btree ("decided_at");