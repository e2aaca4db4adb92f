/**
 * The last look before Termination (docs/decisions/018a-dunning-extensions-and-dev-clock.md): is a payment for this
 * organization possibly on its way, which the invoices in D1 do not show yet? Termination waits (the object
 * re-checks every RECHECK_MS) while one is. Today that is the payments inbox: a gateway event received and not yet
 * applied by the payments consumer (`payment_events.processed_at IS NULL`) may be this organization's payment,
 * and events carry no organization until applied, so any recent unapplied event holds every termination for a
 * few minutes (they are applied within seconds; a stuck one is in the dead-letter queue and stops holding after
 * INBOX_WINDOW_MS). The collection engine's payments (issue 11) add the per-invoice gateway lookup here.
 */
import { sql } from "drizzle-orm";
import type { DomainContext } from "../context";

export const RECHECK_MS = 15 * 60_000;
const INBOX_WINDOW_MS = 60 * 60_000;

export interface SettlementCheck {
  pending: boolean;
  why: string | null;
}

export async function settlementPending(ctx: DomainContext, _orgId: string): Promise<SettlementCheck> {
  const now = ctx.clock.now();
  const inbox = await ctx.db.all<{ n: number }>(sql`
    SELECT COUNT(*) AS n FROM payment_events WHERE processed_at IS NULL AND received_at > ${now - INBOX_WINDOW_MS}`);
  if ((inbox[0]?.n ?? 0) > 0) return { pending: true, why: "a gateway event is not applied yet" };
  return { pending: false, why: null };
}
