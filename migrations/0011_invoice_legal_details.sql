CREATE TABLE `credit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`series` text NOT NULL,
	`invoice_id` text NOT NULL,
	`org_id` text NOT NULL,
	`issue_date` text NOT NULL,
	`reason` text NOT NULL,
	`currency` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_number_uq` ON `credit_notes` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_invoice_uq` ON `credit_notes` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_org_idx` ON `credit_notes` (`org_id`,`issue_date`);--> statement-breakpoint
CREATE TABLE `invoice_details` (
	`id` integer PRIMARY KEY NOT NULL,
	`legal_name` text NOT NULL,
	`address_line1` text NOT NULL,
	`address_line2` text,
	`postal_code` text,
	`city` text NOT NULL,
	`region` text,
	`country` text NOT NULL,
	`tax_id` text,
	`registration_number` text,
	`bank_name` text,
	`iban` text,
	`bic` text,
	`account_number` text,
	`routing_number` text,
	`footer` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `legal_name` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `address_line1` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `address_line2` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `postal_code` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `region` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `tax_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `tax_exempt_reason` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `seller` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `buyer` text;--> statement-breakpoint
ALTER TABLE `invoices` ADD `tax_exempt_reason` text;