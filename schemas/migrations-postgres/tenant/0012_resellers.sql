CREATE TABLE "commission_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text,
	"plan_key" text NOT NULL,
	"level" bigint NOT NULL,
	"percent_basis_points" bigint,
	"fixed_cents" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reseller_commissions" (
	"sale_id" text NOT NULL,
	"level" bigint NOT NULL,
	"reseller_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"sale_kind" text NOT NULL,
	"sale_price_cents" bigint NOT NULL,
	"amount_cents" bigint NOT NULL,
	"settled_at" bigint NOT NULL,
	CONSTRAINT "reseller_commissions_pkey" PRIMARY KEY("sale_id","level")
);
--> statement-breakpoint
CREATE TABLE "reseller_payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"reseller_id" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"method" text NOT NULL,
	"reference" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reseller_stock_purchases" (
	"id" text PRIMARY KEY NOT NULL,
	"reseller_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"batch_id" text NOT NULL,
	"count" bigint NOT NULL,
	"unit_cost_cents" bigint NOT NULL,
	"cost_cents" bigint NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reseller_top_ups" (
	"id" text PRIMARY KEY NOT NULL,
	"reseller_id" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"method" text NOT NULL,
	"reference" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resellers" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"parent_id" text,
	"depth" bigint NOT NULL,
	"price_mode" text,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "reseller_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "commission_rules_plan_level_unique" ON "commission_rules" USING btree ("plan_key","level");--> statement-breakpoint
CREATE INDEX "reseller_commissions_reseller" ON "reseller_commissions" USING btree ("reseller_id","settled_at");--> statement-breakpoint
CREATE INDEX "reseller_payouts_reseller" ON "reseller_payouts" USING btree ("reseller_id","created_at");--> statement-breakpoint
CREATE INDEX "reseller_stock_reseller" ON "reseller_stock_purchases" USING btree ("reseller_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reseller_stock_batch_unique" ON "reseller_stock_purchases" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reseller_top_ups_reference_unique" ON "reseller_top_ups" USING btree ("reseller_id","reference");--> statement-breakpoint
CREATE INDEX "reseller_top_ups_reseller" ON "reseller_top_ups" USING btree ("reseller_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "resellers_code_unique" ON "resellers" USING btree ("code");--> statement-breakpoint
CREATE INDEX "resellers_parent" ON "resellers" USING btree ("parent_id","created_at");