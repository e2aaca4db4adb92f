/**
 * THE hook every payment channel calls after its batch committed (Adjust Offline, cancelling an invoice, and
 * the card, Pay now, ADPAY and wallet channels as they arrive): "this organization's invoices changed". The
 * organization's Durable Object re-reads the invoices and re-anchors or ends the case (lifting a suspension at
 * once). Never fails the payment: if the object cannot be reached, its next alarm or the cron sweep
 * (sweep.ts) reads the same invoices and catches up.
 */
import { and, eq, notInArray } from "drizzle-orm";
import { dunningCases } from "../../db/schema";
import type { DomainContext } from "../context";

export async function invoiceSettled(ctx: Pick<DomainContext, "dunning" | "db">, orgId: string): Promise<void> {
  if (!ctx.dunning) return;
  // Only an open case can change (an organization not in dunning enters it through the sweep): most payments
  // cost one indexed read and no Durable Object request.
  const open = await ctx.db.select({ s: dunningCases.state }).from(dunningCases)
    .where(and(eq(dunningCases.orgId, orgId), notInArray(dunningCases.state, ["current", "terminated"]))).get();
  if (!open) return;
  try {
    await ctx.dunning.refresh(orgId);
  } catch (err) {
    console.error(`[cumulus] dunning refresh of ${orgId} failed (the sweep will retry):`, err);
  }
}
