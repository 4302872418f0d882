CREATE TABLE "usage_rated_periods" (
	"subscriber_id" text NOT NULL,
	"period_start" bigint NOT NULL,
	"period_end" bigint NOT NULL,
	"plan_id" text NOT NULL,
	"plan_name" text NOT NULL,
	"included_bytes" bigint NOT NULL,
	"price_per_gigabyte_cents" bigint NOT NULL,
	"rated_bytes" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "usage_rated_periods_pkey" PRIMARY KEY("subscriber_id","period_start")
);
