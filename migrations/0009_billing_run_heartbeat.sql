ALTER TABLE `billing_runs` ADD `heartbeat_at` integer;--> statement-breakpoint
CREATE INDEX `invoices_issue_id_idx` ON `invoices` (`issue_date`,`id`);