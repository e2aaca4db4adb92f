/**
 * Dunning's last look before Termination, collection's side (worker/domain/dunning/settlement-check.ts,
 * docs/decisions/018-dunning.md): for each card payment of the organization that is pending or waits for 3-D
 * Secure, the gateway is asked what became of it (`reconcileAttempt`). One it says succeeded is recorded now
 * through settleInvoices, and Termination waits: the case re-reads the invoices at its next look. A payment
 * without a gateway id yet (its answer lost; the cron replays its key) or a gateway that does not answer also
 * holds Termination, which is retried later.
 */
import { and, eq, inArray } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { DomainContext } from "../context";
import type { SettlementCheck } from "../dunning/settlement-check";
import { reconcileAttempt } from "./resolve";

const MAX_LOOKUPS = 20;

export async function gatewaySettlements(ctx: DomainContext, orgId: string): Promise<SettlementCheck> {
  const open = await ctx.db.select().from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.channel, "card"), inArray(payments.status, ["pending", "requires_action"]))).limit(MAX_LOOKUPS + 1);
  if (open.length > MAX_LOOKUPS) return { pending: true, why: "too many card payments without a final answer to check at once" };
  // Called from inside the organization's dunning object: it must not be asked to refresh itself meanwhile.
  const quiet: DomainContext = { ...ctx, dunning: undefined };
  let recorded = 0;
  for (const p of open) {
    if (!p.gatewayPaymentId) return { pending: true, why: "a card payment has no answer from the gateway yet" };
    try {
      const s = (await reconcileAttempt(quiet, p)).status;
      if (s === "paid" || s === "processing") recorded++;
    } catch (err) {
      console.error(`[cumulus] settlement check of ${p.id} failed (Termination held, retried):`, err);
      return { pending: true, why: "the card gateway could not be asked" };
    }
  }
  return recorded > 0 ? { pending: true, why: "the gateway reported a payment (recorded, or still processing)" } : { pending: false, why: null };
}
