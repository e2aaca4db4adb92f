/**
 * Issuing, after commit: hand the issued invoices to collection (docs/decisions/019-collection.md). ONE queue
 * message per page of up to 100 invoices, never one per invoice, so a billing page costs one send more. The
 * consumer decides which are collected (unpaid, organization with Auto Payment on) and paces the gateway.
 */
import type { DomainContext } from "../../context";

export async function enqueueCollection(ctx: Pick<DomainContext, "collectQueue">, invoiceIds: string[], initiatedBy: "auto" | "retry" = "auto"): Promise<void> {
  for (let i = 0; i < invoiceIds.length; i += 100) {
    try {
      await ctx.collectQueue.send({ type: "collect.invoices", invoiceIds: invoiceIds.slice(i, i + 100), initiatedBy });
    } catch (err) {
      // Never fails the issue: the collection cron (collection/retry-due.ts) finds Auto Payment invoices never attempted.
      console.error("[cumulus] collect enqueue failed (the collection cron will pick these up):", err);
    }
  }
}
