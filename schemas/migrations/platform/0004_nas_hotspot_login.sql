ALTER TABLE `nas_devices` ADD `hotspot_dns_name` text;--> statement-breakpoint
ALTER TABLE `nas_devices` ADD `is_hotspot_https` integer DEFAULT false NOT NULL;