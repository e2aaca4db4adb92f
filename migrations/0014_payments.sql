CREATE TABLE `card_attempts` (
	`scope` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`scope`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `credit_card_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`enforce_card` integer DEFAULT false NOT NULL,
	`except_trial_customer` integer DEFAULT false NOT NULL,
	`exempt_org_ids` text DEFAULT '[]' NOT NULL,
	`link_multiple_accounts` integer DEFAULT true NOT NULL,
	`validity_deduction` integer DEFAULT false NOT NULL,
	`validity_deduction_minor` integer DEFAULT 0 NOT NULL,
	`decline_limit` integer DEFAULT 3 NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payment_customers` (
	`org_id` text NOT NULL,
	`gateway` text NOT NULL,
	`gateway_customer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `gateway`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_customers_gateway_id` ON `payment_customers` (`gateway`,`gateway_customer_id`);--> statement-breakpoint
CREATE TABLE `payment_events` (
	`gateway` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`object_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text,
	PRIMARY KEY(`gateway`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `payment_events_pending` ON `payment_events` (`processed_at`,`received_at`);--> statement-breakpoint
CREATE TABLE `payment_gateways` (
	`id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`mode` text,
	`settings` text NOT NULL,
	`secrets_enc` text,
	`secret_hints` text DEFAULT '{}' NOT NULL,
	`verified_at` integer,
	`verify_error` text,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payment_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`gateway` text NOT NULL,
	`gateway_customer_id` text NOT NULL,
	`gateway_payment_method_id` text NOT NULL,
	`brand` text NOT NULL,
	`last4` text NOT NULL,
	`exp_month` integer NOT NULL,
	`exp_year` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`cardholder_name` text,
	`status` text DEFAULT 'active' NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`decline_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_methods_gateway_pm` ON `payment_methods` (`gateway`,`gateway_payment_method_id`);--> statement-breakpoint
CREATE INDEX `payment_methods_org` ON `payment_methods` (`org_id`,`status`);--> statement-breakpoint
CREATE INDEX `payment_methods_fingerprint` ON `payment_methods` (`fingerprint`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `payment_methods_one_default` ON `payment_methods` (`org_id`) WHERE is_default = 1;--> statement-breakpoint
CREATE TABLE `payment_preferences` (
	`org_id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
