DROP INDEX "access_decisions_decided";--> statement-breakpoint
ALTER TABLE "access_decisions" ADD COLUMN "repeat_count" bigint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "access_decisions" ADD COLUMN "last_at" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "access_decisions_last" ON "access_decisions" USING btree ("last_at");
--> statement-breakpoint
UPDATE "access_decisions" SET "last_at" = "decided_at";
