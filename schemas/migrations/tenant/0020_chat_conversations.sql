CREATE TABLE `chat_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` integer NOT NULL,
	`conversation_id` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`byte_count` integer NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `chat_messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `chat_conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chat_attachments_message` ON `chat_attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `chat_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`client_kind` text NOT NULL,
	`client_key` text NOT NULL,
	`client_label` text NOT NULL,
	`phone` text,
	`language` text DEFAULT 'en' NOT NULL,
	`status` text NOT NULL,
	`assigned_to` text,
	`last_message_at` integer NOT NULL,
	`staff_read_message_id` integer DEFAULT 0 NOT NULL,
	`client_read_message_id` integer DEFAULT 0 NOT NULL,
	`client_online_until` integer DEFAULT 0 NOT NULL,
	`reply_sms_message_id` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_conversations_client` ON `chat_conversations` (`client_kind`,`client_key`);--> statement-breakpoint
CREATE INDEX `chat_conversations_recent` ON `chat_conversations` (`status`,`last_message_at`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` integer PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`author_kind` text NOT NULL,
	`author_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `chat_conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chat_messages_conversation` ON `chat_messages` (`conversation_id`,`id`);--> statement-breakpoint
CREATE TABLE `chat_phone_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_phone_codes_phone` ON `chat_phone_codes` (`phone`,`created_at`);