-- A fresh install has billing settings (EUR, Billing Precision 4, 14 days, prefix INV); the admin changes them
-- in "Billing Configurations" until the first invoice locks currency and precision.
INSERT INTO billing_settings (id, currency, precision, payment_terms_days, invoice_prefix, updated_at)
VALUES (1, 'EUR', 4, 14, 'INV', 0) ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
-- An issued invoice always carries its number: issuing without one (e.g. a lost numbering race) aborts the batch.
CREATE TRIGGER invoices_number_on_issue BEFORE UPDATE OF status ON invoices
WHEN OLD.status = 'draft' AND NEW.status <> 'draft' AND NEW.number IS NULL
BEGIN
  SELECT RAISE(ABORT, 'an issued invoice needs its number');
END;
--> statement-breakpoint
-- A precondition inside a D1 batch: `INSERT INTO batch_guard SELECT 0 WHERE changes() = 0` right after a
-- conditional UPDATE aborts the whole batch (CHECK fails) when that UPDATE lost its race. Never holds rows.
CREATE TABLE `batch_guard` (
  `ok` integer NOT NULL,
  CONSTRAINT `batch_guard_precondition` CHECK (`ok` = 1)
);
