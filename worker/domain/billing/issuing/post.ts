/**
 * Issuing, step 3 of 4 — post: each issued invoice is one `invoice_issued` ledger transaction (receivable =
 * total; revenue and tax credited), and a "Paid" manual invoice also an `offline_payment` (cash in, receivable
 * settled), all as set-based statements for the issuing batch (ledger/post.ts).
 */
import type { RawStatement } from "../../../db/atomic";
import type { DomainContext } from "../../context";
import { bulkPostingStatements, invoiceIssuedPosting, type Posting } from "../../ledger/post";
import type { NumberedInvoice } from "./number";

export interface OfflinePayment {
  reference: string;
  description: string;
}

/** An offline payment settles what is still due on an invoice: cash in, receivable down. */
export function offlinePaymentPosting(p: { id: string; orgId: string; currency: string; amountMinor: number; reference: string; description: string }): Posting {
  return {
    orgId: p.orgId, kind: "offline_payment", direction: "in", amountMinor: p.amountMinor, currency: p.currency, invoiceId: p.id,
    reference: p.reference, description: p.description || "Offline payment", idempotencyKey: `offline_payment:${p.id}`,
    entries: [
      { account: "cash", amountMinor: p.amountMinor },
      { account: "receivable", amountMinor: -p.amountMinor },
    ],
  };
}

/** `paid`: invoice id → the offline payment recorded with it at creation. */
export function postInvoices(ctx: Pick<DomainContext, "clock" | "principal">, invoices: NumberedInvoice[], paid: Map<string, OfflinePayment> = new Map()): RawStatement[] {
  const postings: Posting[] = [];
  for (const inv of invoices) {
    const base = { id: inv.id, orgId: inv.input.orgId, currency: inv.currency };
    postings.push(invoiceIssuedPosting({ ...base, subtotalMinor: inv.subtotalMinor, taxMinor: inv.taxMinor, totalMinor: inv.totalMinor }));
    const payment = paid.get(inv.id);
    if (payment) postings.push(offlinePaymentPosting({ ...base, amountMinor: inv.totalMinor, ...payment }));
  }
  return bulkPostingStatements(ctx, postings);
}
