CREATE TABLE "reseller_voucher_sales" (
	"voucher_id" text PRIMARY KEY NOT NULL,
	"reseller_id" text NOT NULL,
	"phone" text NOT NULL,
	"sold_by" text NOT NULL,
	"sold_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "reseller_voucher_sales_reseller" ON "reseller_voucher_sales" USING btree ("reseller_id","sold_at");