ALTER TABLE "nas_devices" ADD COLUMN "hotspot_dns_name" text;--> statement-breakpoint
ALTER TABLE "nas_devices" ADD COLUMN "is_hotspot_https" integer DEFAULT 0 NOT NULL;