import { currency } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import type { InvoiceDetail } from "../../contract/billing";
import { atomically, rawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { postingStatements } from "../ledger/post";
import { abortUnlessChanged, isGuardAbort } from "./guard";
import { getInvoice } from "./read";

export const notUnpaid = (status: string) =>
  new DomainError("INVOICE_NOT_UNPAID", `Only unpaid invoices can be changed this way; this invoice is ${status}.`);

/**
 * "Cancel Invoice": a void. The record and its number stay; the status becomes cancelled and the ledger gets
 * the reversal of what was still due (receivable down, revenue and tax back). Only unpaid invoices; the
 * status update is conditional and the batch aborts if it lost a race, so the reversal is never posted twice.
 */
export async function cancelInvoice(args: { ctx: ActorContext; id: string }): Promise<InvoiceDetail> {
  const { ctx, id } = args;
  const inv = await getInvoice({ ctx, id });
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  const now = ctx.clock.now();
  const due = inv.totalMinor - inv.amountPaidMinor;
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
  try {
    await atomically(ctx.db, [
      rawStatement(`UPDATE invoices SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, now, id]),
      abortUnlessChanged(),
      ...posting.statements,
      auditStatement(ctx, {
        action: "invoice.cancelled", orgId: inv.org.id, targetType: "invoice", targetId: id,
        before: { status: "unpaid" }, after: { status: "cancelled", number: inv.number, reversed: formatMoney(due, inv.currency, currency(inv.currency).exponent) },
      }),
    ]);
  } catch (err) {
    if (isGuardAbort(err)) throw notUnpaid("no longer unpaid");
    throw err;
  }
  return getInvoice({ ctx, id });
}
