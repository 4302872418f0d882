CREATE TABLE "sales_daily_totals" (
	"day_index" bigint NOT NULL,
	"provider" text NOT NULL,
	"plan_key" text NOT NULL,
	"payment_count" bigint NOT NULL,
	"amount_cents" bigint NOT NULL,
	CONSTRAINT "sales_daily_totals_pkey" PRIMARY KEY("day_index","provider","plan_key")
);
--> statement-breakpoint
CREATE TABLE "sales_hourly_totals" (
	"hour_index" bigint NOT NULL,
	"provider" text NOT NULL,
	"plan_key" text NOT NULL,
	"payment_count" bigint NOT NULL,
	"amount_cents" bigint NOT NULL,
	CONSTRAINT "sales_hourly_totals_pkey" PRIMARY KEY("hour_index","provider","plan_key")
);
--> statement-breakpoint
CREATE INDEX "payments_sales" ON "payments" USING btree ("status","received_at","provider","matched_kind","matched_id","amount_cents");--> statement-breakpoint
CREATE INDEX "purchases_plan" ON "purchases" USING btree ("id","plan_id");
--> statement-breakpoint
-- Hand-written below: PostgreSQL twin of migrations/tenant/0009_reports_sales_totals.sql's
-- triggers (both tables). Statement-level with transition tables (PostgreSQL 15 manual, CREATE TRIGGER,
-- "REFERENCING"): one grouped upsert per statement, however many payments it wrote, so a bulk
-- import costs one statement, not one per row. Old rows count -1, new rows +1; the schema comes from
-- TG_TABLE_SCHEMA, as in 0001's bump_auth_change_generation.
CREATE FUNCTION "add_payments_to_sales_totals"() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  changed text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    changed := 'SELECT 1 AS sign, * FROM new_payments';
  ELSIF TG_OP = 'UPDATE' THEN
    changed := 'SELECT -1 AS sign, * FROM old_payments UNION ALL SELECT 1 AS sign, * FROM new_payments';
  ELSE
    changed := 'SELECT -1 AS sign, * FROM old_payments';
  END IF;
  EXECUTE format(
    'INSERT INTO %1$I.sales_daily_totals AS totals (day_index, provider, plan_key, payment_count, amount_cents)
     SELECT (changed.received_at + 10800000) / 86400000, changed.provider,
            COALESCE(CASE changed.matched_kind WHEN ''purchase'' THEN purchases.plan_id
                                               WHEN ''voucher'' THEN vouchers.plan_id END, ''''),
            SUM(changed.sign), SUM(changed.sign * changed.amount_cents)
       FROM (%2$s) AS changed
       LEFT JOIN %1$I.purchases ON changed.matched_kind = ''purchase'' AND purchases.id = changed.matched_id
       LEFT JOIN %1$I.vouchers ON changed.matched_kind = ''voucher'' AND vouchers.id = changed.matched_id
      WHERE changed.status = ''matched''
      GROUP BY 1, 2, 3
     ON CONFLICT (day_index, provider, plan_key) DO UPDATE
       SET payment_count = totals.payment_count + excluded.payment_count,
           amount_cents = totals.amount_cents + excluded.amount_cents',
    TG_TABLE_SCHEMA, changed);
  EXECUTE format(
    'INSERT INTO %1$I.sales_hourly_totals AS totals (hour_index, provider, plan_key, payment_count, amount_cents)
     SELECT changed.received_at / 3600000, changed.provider,
            COALESCE(CASE changed.matched_kind WHEN ''purchase'' THEN purchases.plan_id
                                               WHEN ''voucher'' THEN vouchers.plan_id END, ''''),
            SUM(changed.sign), SUM(changed.sign * changed.amount_cents)
       FROM (%2$s) AS changed
       LEFT JOIN %1$I.purchases ON changed.matched_kind = ''purchase'' AND purchases.id = changed.matched_id
       LEFT JOIN %1$I.vouchers ON changed.matched_kind = ''voucher'' AND vouchers.id = changed.matched_id
      WHERE changed.status = ''matched''
      GROUP BY 1, 2, 3
     ON CONFLICT (hour_index, provider, plan_key) DO UPDATE
       SET payment_count = totals.payment_count + excluded.payment_count,
           amount_cents = totals.amount_cents + excluded.amount_cents',
    TG_TABLE_SCHEMA, changed);
  RETURN NULL;
END;
$body$;
--> statement-breakpoint
CREATE TRIGGER "payments_sales_totals_insert" AFTER INSERT ON "payments" REFERENCING NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION "add_payments_to_sales_totals"();
--> statement-breakpoint
CREATE TRIGGER "payments_sales_totals_update" AFTER UPDATE ON "payments" REFERENCING OLD TABLE AS old_payments NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION "add_payments_to_sales_totals"();
--> statement-breakpoint
CREATE TRIGGER "payments_sales_totals_delete" AFTER DELETE ON "payments" REFERENCING OLD TABLE AS old_payments FOR EACH STATEMENT EXECUTE FUNCTION "add_payments_to_sales_totals"();
--> statement-breakpoint
-- The payments already stored, once.
INSERT INTO "sales_daily_totals" ("day_index", "provider", "plan_key", "payment_count", "amount_cents")
SELECT ("payments"."received_at" + 10800000) / 86400000, "payments"."provider",
       COALESCE(CASE "payments"."matched_kind" WHEN 'purchase' THEN "purchases"."plan_id"
                                                WHEN 'voucher' THEN "vouchers"."plan_id" END, ''),
       COUNT(*), SUM("payments"."amount_cents")
  FROM "payments"
  LEFT JOIN "purchases" ON "payments"."matched_kind" = 'purchase' AND "purchases"."id" = "payments"."matched_id"
  LEFT JOIN "vouchers" ON "payments"."matched_kind" = 'voucher' AND "vouchers"."id" = "payments"."matched_id"
 WHERE "payments"."status" = 'matched'
 GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "sales_hourly_totals" ("hour_index", "provider", "plan_key", "payment_count", "amount_cents")
SELECT "payments"."received_at" / 3600000, "payments"."provider",
       COALESCE(CASE "payments"."matched_kind" WHEN 'purchase' THEN "purchases"."plan_id"
                                                WHEN 'voucher' THEN "vouchers"."plan_id" END, ''),
       COUNT(*), SUM("payments"."amount_cents")
  FROM "payments"
  LEFT JOIN "purchases" ON "payments"."matched_kind" = 'purchase' AND "purchases"."id" = "payments"."matched_id"
  LEFT JOIN "vouchers" ON "payments"."matched_kind" = 'voucher' AND "vouchers"."id" = "payments"."matched_id"
 WHERE "payments"."status" = 'matched'
 GROUP BY 1, 2, 3;
