import { currency } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import type { InvoiceDetail } from "../../contract/billing";
import { eq } from "drizzle-orm";
import { abortUnlessChanged, atomically, isGuardAbort, rawStatement } from "../../db/atomic";
import { invoiceSettled } from "../dunning/invoice-settled";
import { newId } from "../../db/ids";
import { invoiceNumberSeries } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { postingStatements } from "../ledger/post";
import { formatNumber, seriesFor } from "../billing/issue";
import { getInvoice } from "./read";

export const notUnpaid = (status: string) =>
  new DomainError("INVOICE_NOT_UNPAID", `Only unpaid invoices can be changed this way; this invoice is ${status}.`);

/** Credit notes have their own gapless series: `CN-<year>-<000001>`. */
export const CREDIT_NOTE_PREFIX = "CN";
const MAX_NUMBER_ATTEMPTS = 50;
const isNumberRace = (err: unknown) => /NOT NULL constraint failed: credit_notes\.number|UNIQUE constraint failed: credit_notes\.number/.test(String(err));

/**
 * "Cancel Invoice": a void. The record and its number stay; the status becomes cancelled, the ledger gets the
 * reversal of what was still due (receivable down, revenue and tax back), and a credit note is issued for the
 * whole invoice (docs/decisions/013-invoice-documents.md), all in ONE batch. Only unpaid invoices; the status
 * update is conditional and the batch aborts if it lost a race, so neither the reversal nor the credit note is
 * ever written twice. The credit note's number is allocated like an invoice's (issue.ts): taken only if the
 * series still stands where we read it, else the batch aborts and we retry with the next number.
 */
export async function cancelInvoice(args: { ctx: ActorContext; id: string }): Promise<InvoiceDetail> {
  const { ctx, id } = args;
  const inv = await getInvoice({ ctx, id });
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  const now = ctx.clock.now();
  const due = inv.totalMinor - inv.amountPaidMinor;
  const issueDate = new Date(now).toISOString().slice(0, 10);
  const series = seriesFor(CREDIT_NOTE_PREFIX, issueDate);
  const creditNoteId = newId("creditNote", now);
  // Nothing paid yet on an unpaid invoice: the reversal is the whole invoice. No money moves (direction none).
  const posting = postingStatements(ctx, {
    orgId: inv.org.id, kind: "invoice_cancelled", direction: "none", amountMinor: due, currency: inv.currency, invoiceId: id,
    description: `Invoice ${inv.number} cancelled`, idempotencyKey: `invoice_cancelled:${id}`,
    entries: [
      { account: "receivable", amountMinor: -due },
      { account: "revenue", amountMinor: inv.subtotalMinor },
      { account: "tax_payable", amountMinor: inv.taxMinor },
    ],
  });
  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
    const next = (await ctx.db.select({ n: invoiceNumberSeries.nextNumber }).from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, series)).get())?.n ?? 1;
    const number = formatNumber(series, next);
    try {
      await atomically(ctx.db, [
        rawStatement(`UPDATE invoices SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, now, id]),
        abortUnlessChanged(),
        ...posting.statements,
        rawStatement(`INSERT INTO invoice_number_series (series, next_number) VALUES (?, 1) ON CONFLICT (series) DO NOTHING`, [series]),
        rawStatement(
          `INSERT INTO credit_notes (id, number, series, invoice_id, org_id, issue_date, reason, currency, subtotal_minor, tax_minor, total_minor, created_by, created_at)
           VALUES (?, (SELECT ? FROM invoice_number_series WHERE series = ? AND next_number = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [creditNoteId, number, series, next, series, id, inv.org.id, issueDate, `Cancellation of invoice ${inv.number}`, inv.currency,
            inv.subtotalMinor, inv.taxMinor, inv.totalMinor, ctx.principal.userId, now],
        ),
        rawStatement(`UPDATE invoice_number_series SET next_number = next_number + 1 WHERE series = ? AND next_number = ?`, [series, next]),
        auditStatement(ctx, {
          action: "invoice.cancelled", orgId: inv.org.id, targetType: "invoice", targetId: id,
          before: { status: "unpaid" },
          after: { status: "cancelled", number: inv.number, reversed: formatMoney(due, inv.currency, currency(inv.currency).exponent), creditNote: number },
        }),
      ]);
      await invoiceSettled(ctx, inv.org.id); // a cancelled invoice is no longer owed (dunning re-anchors or ends)
      return getInvoice({ ctx, id });
    } catch (err) {
      if (isGuardAbort(err) || /UNIQUE constraint failed: credit_notes\.invoice_id/.test(String(err))) throw notUnpaid("no longer unpaid");
      if (isNumberRace(err)) continue;
      throw err;
    }
  }
  throw new Error(`Could not allocate a credit note number in series ${series}`);
}
