CREATE TABLE `support_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` integer NOT NULL,
	`conversation_id` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_attachments_conversation` ON `support_attachments` (`conversation_id`,`message_id`);--> statement-breakpoint
CREATE TABLE `support_canned_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`subject` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assigned_to` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_message_at` integer NOT NULL,
	`closed_at` integer,
	`isp_read_message_id` integer DEFAULT 0 NOT NULL,
	`platform_read_message_id` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_conversations_tenant` ON `support_conversations` (`tenant_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `support_conversations_status` ON `support_conversations` (`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `support_conversations_assigned` ON `support_conversations` (`assigned_to`,`last_message_at`);--> statement-breakpoint
CREATE TABLE `support_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`author_side` text NOT NULL,
	`author_id` text NOT NULL,
	`author_email` text,
	`body` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_messages_conversation` ON `support_messages` (`conversation_id`,`id`);--> statement-breakpoint
-- Support chat (issue 14): the built-in platform "support" role answers support conversations, and the
-- built-in ISP "manager" role may open them (built-in roles cannot be edited, so their permissions are
-- still exactly what they were created with; identity/roles/service.ts holds the same lists).
UPDATE roles SET permissions = replace(permissions, '"platform_audit.read"]', '"platform_audit.read","platform_support.manage"]')
 WHERE is_built_in = 1 AND name = 'support' AND tenant_id IS NULL AND permissions NOT LIKE '%platform_support.manage%';--> statement-breakpoint
UPDATE roles SET permissions = replace(permissions, '"branding.write"]', '"branding.write","support.use"]')
 WHERE is_built_in = 1 AND name = 'manager' AND tenant_id IS NOT NULL AND permissions NOT LIKE '%support.use%';
