import { AdjustOfflineInput, type InvoiceDetail } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import { abortUnlessChanged, atomically, isGuardAbort, rawStatement } from "../../db/atomic";
import { invoiceSettled } from "../dunning/invoice-settled";
import { auditStatement } from "../audit/record";
import { offlinePaymentPosting } from "../billing/issue";
import type { ActorContext } from "../context";
import { postingStatements } from "../ledger/post";
import { notUnpaid } from "./cancel";
import { getInvoice } from "./read";

/**
 * "Adjust Offline" → "Mark as Paid": records an `offline_payment` ledger transaction (cash in, receivable
 * settled) for what is still due, with the "Transaction Reference" and "Description", and marks the invoice
 * paid, in one batch that aborts if the invoice stopped being unpaid meanwhile.
 */
export async function adjustOffline(args: { ctx: ActorContext; id: string; input: AdjustOfflineInput }): Promise<InvoiceDetail> {
  const input = AdjustOfflineInput.parse(args.input);
  const { ctx, id } = args;
  const inv = await getInvoice({ ctx, id });
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  const now = ctx.clock.now();
  const due = inv.totalMinor - inv.amountPaidMinor;
  const posting = postingStatements(ctx, offlinePaymentPosting({ id, orgId: inv.org.id, currency: inv.currency, amountMinor: due, reference: input.reference, description: input.description }));
  try {
    await atomically(ctx.db, [
      rawStatement(`UPDATE invoices SET status = 'paid', amount_paid_minor = total_minor, paid_at = ?, updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, now, id]),
      abortUnlessChanged(),
      ...posting.statements,
      auditStatement(ctx, {
        action: "invoice.paid_offline", orgId: inv.org.id, targetType: "invoice", targetId: id,
        before: { status: "unpaid" },
        after: { status: "paid", number: inv.number, amount: formatMoney(due, inv.currency, currency(inv.currency).exponent), reference: input.reference, description: input.description },
      }),
    ]);
  } catch (err) {
    if (isGuardAbort(err)) throw notUnpaid("no longer unpaid");
    throw err;
  }
  await invoiceSettled(ctx, inv.org.id);
  return getInvoice({ ctx, id });
}
