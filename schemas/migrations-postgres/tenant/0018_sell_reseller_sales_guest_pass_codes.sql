CREATE TABLE "guest_pass_phone_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"used_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reseller_voucher_sales" (
	"voucher_id" text PRIMARY KEY NOT NULL,
	"reseller_id" text NOT NULL,
	"phone" text NOT NULL,
	"sold_by" text NOT NULL,
	"sold_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "guest_pass_phone_codes_phone" ON "guest_pass_phone_codes" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "guest_pass_phone_codes_created" ON "guest_pass_phone_codes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "reseller_voucher_sales_reseller" ON "reseller_voucher_sales" USING btree ("reseller_id","sold_at");