-- Issued invoices are immutable (EU VAT Art. 226; reliability.md P14): once an invoice leaves `draft`, its
-- identity and money fields can never change, and it can never be deleted. Status moves only forward:
-- draft → unpaid | paid | cancelled; unpaid → paid | cancelled; paid and cancelled are final.
CREATE TRIGGER invoices_frozen_after_issue BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND (
  NEW.org_id IS NOT OLD.org_id OR NEW.subscription_id IS NOT OLD.subscription_id OR NEW.contract_id IS NOT OLD.contract_id
  OR NEW.kind IS NOT OLD.kind OR NEW.number IS NOT OLD.number OR NEW.series IS NOT OLD.series
  OR NEW.issue_date IS NOT OLD.issue_date OR NEW.due_date IS NOT OLD.due_date
  OR NEW.period_from IS NOT OLD.period_from OR NEW.period_to IS NOT OLD.period_to
  OR NEW.currency IS NOT OLD.currency OR NEW.precision IS NOT OLD.precision OR NEW.rounding_rule IS NOT OLD.rounding_rule
  OR NEW.subtotal_minor IS NOT OLD.subtotal_minor OR NEW.tax_minor IS NOT OLD.tax_minor OR NEW.total_minor IS NOT OLD.total_minor
  OR NEW.issued_at IS NOT OLD.issued_at)
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_status_forward_only BEFORE UPDATE OF status ON invoices
WHEN NOT (
  NEW.status = OLD.status
  OR (OLD.status = 'draft' AND NEW.status IN ('unpaid', 'paid', 'cancelled'))
  OR (OLD.status = 'unpaid' AND NEW.status IN ('paid', 'cancelled')))
BEGIN
  SELECT RAISE(ABORT, 'invalid invoice status transition');
END;
--> statement-breakpoint
CREATE TRIGGER invoices_no_delete_after_issue BEFORE DELETE ON invoices
WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'issued invoices cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'lines can only be added to draft invoices');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_taxes_frozen_insert BEFORE INSERT ON invoice_taxes
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'taxes can only be added to draft invoices');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_taxes_frozen_update BEFORE UPDATE ON invoice_taxes
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER invoice_taxes_frozen_delete BEFORE DELETE ON invoice_taxes
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
-- The ledger is append-only: entries never change; a transaction may only move its status
-- (pending → completed | failed, for card payments). Corrections are new transactions.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_status_only BEFORE UPDATE ON ledger_transactions
WHEN NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id OR NEW.kind IS NOT OLD.kind OR NEW.direction IS NOT OLD.direction
  OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.currency IS NOT OLD.currency OR NEW.invoice_id IS NOT OLD.invoice_id
  OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.created_at IS NOT OLD.created_at
  OR OLD.status <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN
  SELECT RAISE(ABORT, 'the ledger is append-only');
END;
