/**
 * The last look before Termination (docs/decisions/018a-dunning-extensions-and-dev-clock.md): is a payment for this
 * organization possibly on its way, which the invoices in D1 do not show yet? Termination waits (the object
 * re-checks every RECHECK_MS) while one is. Today that is the payments inbox: a gateway event received and not yet
 * applied by the payments consumer (`payment_events.processed_at IS NULL`) may be this organization's payment,
 * and events carry no organization until applied, so any recent unapplied event holds every termination for a
 * few minutes (they are applied within seconds; a stuck one is in the dead-letter queue and stops holding after
 * INBOX_WINDOW_MS). Then the gateway itself is asked about each unpaid invoice's card payment that is pending or
 * waits for 3-D Secure (`ctx.paymentLookup`, provided by collection through the composition root: dunning may not
 * import collection, which imports dunning's hook). A payment the gateway says succeeded is recorded there and
 * then (settleInvoices) and Termination waits; a gateway that does not answer holds Termination too (retried).
 */
import { sql } from "drizzle-orm";
import type { DomainContext } from "../context";

export const RECHECK_MS = 15 * 60_000;
const INBOX_WINDOW_MS = 60 * 60_000;

export interface SettlementCheck {
  pending: boolean;
  why: string | null;
}

/** Collection's answer for one organization: records what the gateway says succeeded; pending if it may still. */
export type PaymentLookup = (ctx: DomainContext, orgId: string) => Promise<SettlementCheck>;

export async function settlementPending(ctx: DomainContext, orgId: string): Promise<SettlementCheck> {
  const now = ctx.clock.now();
  const inbox = await ctx.db.all<{ n: number }>(sql`
    SELECT COUNT(*) AS n FROM payment_events WHERE processed_at IS NULL AND received_at > ${now - INBOX_WINDOW_MS}`);
  if ((inbox[0]?.n ?? 0) > 0) return { pending: true, why: "a gateway event is not applied yet" };
  return ctx.paymentLookup ? ctx.paymentLookup(ctx, orgId) : { pending: false, why: null };
}
