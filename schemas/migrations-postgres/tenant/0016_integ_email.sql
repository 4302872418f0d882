CREATE TABLE "invoice_mails" (
	"invoice_id" text PRIMARY KEY NOT NULL,
	"mail_id" text NOT NULL,
	"recipient" text NOT NULL,
	"queued_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "email" text;--> statement-breakpoint
CREATE INDEX "subscribers_email" ON "subscribers" USING btree ("email");