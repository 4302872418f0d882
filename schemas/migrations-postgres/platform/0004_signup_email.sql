CREATE TABLE "mail_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body_sealed" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" bigint,
	"claim_expires_at" bigint,
	"provider_message_id" text,
	"created_at" bigint NOT NULL,
	"sent_at" bigint
);
--> statement-breakpoint
CREATE TABLE "password_reset_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signup_email_links" (
	"digest" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "signup_sms_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"digest" text NOT NULL,
	"sent_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "signups" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"phone" text NOT NULL,
	"created_at" bigint NOT NULL,
	"phone_verified_at" bigint,
	"email_verified_at" bigint,
	"activated_at" bigint,
	"trial_ends_at" bigint
);
--> statement-breakpoint
CREATE INDEX "mail_outbox_due" ON "mail_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user" ON "password_reset_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "signup_email_links_tenant" ON "signup_email_links" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "signup_sms_codes_phone" ON "signup_sms_codes" USING btree ("phone","sent_at");--> statement-breakpoint
CREATE INDEX "signup_sms_codes_address" ON "signup_sms_codes" USING btree ("address","sent_at");--> statement-breakpoint
CREATE INDEX "signup_sms_codes_tenant" ON "signup_sms_codes" USING btree ("tenant_id","sent_at");--> statement-breakpoint
CREATE INDEX "signups_phone" ON "signups" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "signups_pending" ON "signups" USING btree ("activated_at");