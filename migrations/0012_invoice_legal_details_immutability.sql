-- Invoice legal details (docs/decisions/013-invoice-documents.md): the parties and the tax exemption frozen on an
-- invoice never change once it is issued, and credit notes are immutable.
CREATE TRIGGER invoices_parties_frozen_after_issue BEFORE UPDATE OF seller, buyer, tax_exempt_reason ON invoices
WHEN OLD.status <> 'draft' AND (NEW.seller IS NOT OLD.seller OR NEW.buyer IS NOT OLD.buyer OR NEW.tax_exempt_reason IS NOT OLD.tax_exempt_reason)
BEGIN
  SELECT RAISE(ABORT, 'issued invoices are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER credit_notes_no_update BEFORE UPDATE ON credit_notes
BEGIN
  SELECT RAISE(ABORT, 'credit notes are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER credit_notes_no_delete BEFORE DELETE ON credit_notes
BEGIN
  SELECT RAISE(ABORT, 'credit notes are immutable');
END;
