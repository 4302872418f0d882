CREATE TABLE `nas_alert_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`nas_id` text NOT NULL,
	`raised_at` integer NOT NULL,
	`cleared_at` integer
);
--> statement-breakpoint
CREATE INDEX `nas_alert_history_tenant` ON `nas_alert_history` (`tenant_id`,`raised_at`);--> statement-breakpoint
CREATE TABLE `nas_alerts` (
	`nas_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`is_raised` integer DEFAULT false NOT NULL,
	`raised_at` integer,
	`cleared_at` integer,
	`last_owner_sms_at` integer,
	`is_owner_told` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nas_alerts_tenant` ON `nas_alerts` (`tenant_id`,`is_raised`);--> statement-breakpoint
CREATE TABLE `nas_health` (
	`nas_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`snmp_community_sealed` text,
	`snmp_port` integer,
	`snmp_version` text,
	`monitored_since` integer NOT NULL,
	`last_snmp_answer_at` integer,
	`last_snmp_error_kind` text,
	`last_sample` text,
	`previous_sample` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nas_health_tenant` ON `nas_health` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `tenant_phase_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`at` integer NOT NULL,
	`phase` text NOT NULL,
	`tier` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tenant_phase_changes_tenant` ON `tenant_phase_changes` (`tenant_id`,`at`);--> statement-breakpoint
-- Backfill: one span per ISP from its creation, in its current phase and tier (no history was kept before).
INSERT INTO tenant_phase_changes (id, tenant_id, at, phase, tier)
SELECT 'phase_backfill_' || tenants.id, tenants.id, tenants.created_at,
       CASE WHEN tenants.status IN ('suspended', 'archived') THEN tenants.status
            WHEN platform_accounts.state IS NOT NULL THEN platform_accounts.state
            WHEN tenants.status = 'trial' THEN 'trial'
            ELSE 'active' END,
       tenants.tier
FROM tenants LEFT JOIN platform_accounts ON platform_accounts.tenant_id = tenants.id;
