-- PostgreSQL twin of migrations/tenant/0001_auth_change_generation.sql (hand-written on both sides).
-- A counter the AAA nodes read to know when their cached voucher/subscriber/plan lookups may be
-- stale; every write to those tables bumps it and notifies channel kiunga_changes with the tenant's
-- schema name, which the AAA nodes LISTEN on. PostgreSQL 15 manual, NOTIFY: a notification is sent
-- only when the transaction commits, and identical payloads of one transaction are folded into one.
-- Statement-level triggers: one bump and one notification per statement, however many rows changed.
-- The schema comes from TG_TABLE_SCHEMA, not search_path, so the trigger works whatever path the
-- writing connection has and keeps working after the schema is renamed.
CREATE TABLE "change_generation" ("name" text PRIMARY KEY NOT NULL, "value" bigint NOT NULL);
--> statement-breakpoint
INSERT INTO "change_generation" ("name", "value") VALUES ('auth', 0);
--> statement-breakpoint
CREATE FUNCTION "bump_auth_change_generation"() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  EXECUTE format('UPDATE %I.change_generation SET value = value + 1 WHERE name = %L', TG_TABLE_SCHEMA, 'auth');
  PERFORM pg_notify('kiunga_changes', TG_TABLE_SCHEMA);
  RETURN NULL;
END;
$body$;
--> statement-breakpoint
CREATE TRIGGER "vouchers_change_generation" AFTER INSERT OR UPDATE OR DELETE ON "vouchers" FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_change_generation"();
--> statement-breakpoint
CREATE TRIGGER "subscribers_change_generation" AFTER INSERT OR UPDATE OR DELETE ON "subscribers" FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_change_generation"();
--> statement-breakpoint
CREATE TRIGGER "plans_change_generation" AFTER INSERT OR UPDATE OR DELETE ON "plans" FOR EACH STATEMENT EXECUTE FUNCTION "bump_auth_change_generation"();
