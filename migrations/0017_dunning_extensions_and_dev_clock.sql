CREATE TABLE `dev_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dunning_extension_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`case_seq` integer NOT NULL,
	`days` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`until` integer,
	`decision_note` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dunning_extension_requests_open_uq` ON `dunning_extension_requests` (`org_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `dunning_extension_requests_org_idx` ON `dunning_extension_requests` (`org_id`,`requested_at`);--> statement-breakpoint
ALTER TABLE `dunning_cases` ADD `case_seq` integer DEFAULT 0 NOT NULL;