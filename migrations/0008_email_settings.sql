CREATE TABLE `email_assets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`data` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_delivery_rules` (
	`event` text PRIMARY KEY NOT NULL,
	`send_to_customers` integer DEFAULT true NOT NULL,
	`bcc_admin` integer DEFAULT false NOT NULL,
	`bcc_to` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_smtp_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`secure` integer NOT NULL,
	`use_auth` integer NOT NULL,
	`login` text,
	`password_enc` text,
	`from_name` text NOT NULL,
	`from_address` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`version` integer NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`branding` text DEFAULT '{}' NOT NULL,
	`note` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_template_versions_event_version_uq` ON `email_template_versions` (`event`,`version`);--> statement-breakpoint
CREATE TABLE `email_templates` (
	`event` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`branding` text DEFAULT '{}' NOT NULL,
	`version` integer NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
