CREATE TABLE `billing_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`as_of` text NOT NULL,
	`trigger` text NOT NULL,
	`triggered_by` text,
	`status` text NOT NULL,
	`total_subscriptions` integer NOT NULL,
	`processed_subscriptions` integer DEFAULT 0 NOT NULL,
	`invoices_created` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `billing_runs_started_idx` ON `billing_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `billing_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`precision` integer NOT NULL,
	`payment_terms_days` integer DEFAULT 14 NOT NULL,
	`invoice_prefix` text DEFAULT 'INV' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`product_id` text,
	`resource_id` text,
	`quantity_value` integer NOT NULL,
	`quantity_scale` integer NOT NULL,
	`unit` text NOT NULL,
	`unit_price_value` integer NOT NULL,
	`unit_price_scale` integer NOT NULL,
	`net_p` integer NOT NULL,
	`net_minor` integer NOT NULL,
	`taxable` integer NOT NULL,
	`period_from` text,
	`period_to` text,
	`usage_details` text,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `invoice_number_series` (
	`series` text PRIMARY KEY NOT NULL,
	`next_number` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invoice_taxes` (
	`invoice_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`rule_version_id` text NOT NULL,
	`rule_name` text NOT NULL,
	`rate_ppm` integer NOT NULL,
	`taxable_p` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	PRIMARY KEY(`invoice_id`, `rule_id`),
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`subscription_id` text,
	`contract_id` text,
	`kind` text NOT NULL,
	`number` text,
	`series` text,
	`status` text NOT NULL,
	`payment_state` text DEFAULT 'none' NOT NULL,
	`issue_date` text NOT NULL,
	`due_date` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`currency` text NOT NULL,
	`precision` integer NOT NULL,
	`rounding_rule` text DEFAULT 'v1-half-up-per-rate' NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`amount_paid_minor` integer DEFAULT 0 NOT NULL,
	`billing_run_id` text,
	`issued_at` integer,
	`paid_at` integer,
	`cancelled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `resource_subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_subscription_period_uq` ON `invoices` (`subscription_id`,`period_from`,`period_to`);--> statement-breakpoint
CREATE INDEX `invoices_org_issue_idx` ON `invoices` (`org_id`,`issue_date`);--> statement-breakpoint
CREATE INDEX `invoices_status_issue_idx` ON `invoices` (`status`,`issue_date`);--> statement-breakpoint
CREATE INDEX `invoices_issue_idx` ON `invoices` (`issue_date`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`transaction_id` text NOT NULL,
	`org_id` text NOT NULL,
	`account` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`transaction_id`) REFERENCES `ledger_transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_org_account_idx` ON `ledger_entries` (`org_id`,`account`);--> statement-breakpoint
CREATE INDEX `ledger_entries_transaction_idx` ON `ledger_entries` (`transaction_id`);--> statement-breakpoint
CREATE TABLE `ledger_transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`direction` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text DEFAULT 'completed' NOT NULL,
	`invoice_id` text,
	`gateway` text,
	`reference` text,
	`description` text,
	`actor_user_id` text,
	`idempotency_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transactions_idempotency_uq` ON `ledger_transactions` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_org_created_idx` ON `ledger_transactions` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_created_idx` ON `ledger_transactions` (`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_transactions_invoice_idx` ON `ledger_transactions` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `tax_rule_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`rate_ppm` integer NOT NULL,
	`effective_from` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `tax_rules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tax_rule_versions_rule_from_uq` ON `tax_rule_versions` (`rule_id`,`effective_from`);--> statement-breakpoint
CREATE TABLE `tax_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`status` text NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tax_rules_country_idx` ON `tax_rules` (`country`,`status`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`resource_id` text,
	`product_id` text NOT NULL,
	`quantity_value` integer NOT NULL,
	`quantity_scale` integer NOT NULL,
	`usage_date` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `resource_subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_records_idempotency_uq` ON `usage_records` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `usage_records_sub_date_idx` ON `usage_records` (`subscription_id`,`usage_date`);--> statement-breakpoint
CREATE TABLE `wallet_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`remaining_minor` integer NOT NULL,
	`expires_at` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_id`) REFERENCES `ledger_transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wallet_grants_org_idx` ON `wallet_grants` (`org_id`,`expires_at`);--> statement-breakpoint
ALTER TABLE `resource_subscriptions` ADD `billed_through` text;