CREATE TABLE `dunning_cases` (
	`org_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL,
	`anchor` integer,
	`next_state` text,
	`next_at` integer,
	`amount_overdue_minor` integer DEFAULT 0 NOT NULL,
	`currency` text,
	`detail` text,
	`suspended` integer DEFAULT false NOT NULL,
	`paused_until` integer,
	`pause_reason` text,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dunning_cases_state_idx` ON `dunning_cases` (`state`,`next_at`);--> statement-breakpoint
CREATE TABLE `dunning_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`policy` text NOT NULL,
	`updated_at` integer NOT NULL
);
