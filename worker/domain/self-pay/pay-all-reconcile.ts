/**
 * Pay all charges whose answer is not known yet (docs/decisions/019b-card-health-and-self-pay.md):
 * - the cron sweep replays a charge left `pending` (its answer lost, the customer gone) with its own key after it
 *   has been quiet for 2 minutes: the gateway answers the original charge, never a second one, and the answer
 *   lands with the row's planned shares;
 * - a Payment Intent webhook for a Pay all charge is read back from the gateway and applied the same way (a
 *   single-invoice attempt goes on to `reconcilePaymentIntent`, which only knows `pi:` keys).
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { DomainContext } from "../context";
import type { PaymentRow } from "../collection/attempt";
import { cardOf, reconcilePaymentIntent } from "../collection/resolve";
import { cardGateway } from "../payments/card-gateway";
import { applyPayAllOutcome, resolvePendingPayAll } from "./pay-all";

const QUIET_MS = 2 * 60_000;
const PAGE = 50;
const PAY_ALL = "pa:"; // attemptKey.payAll(orgId) is `pa:{orgId}:`

export async function sweepPendingPayAll(ctx: DomainContext): Promise<{ checked: number; failed: number }> {
  const rows = await ctx.db.select().from(payments)
    .where(and(eq(payments.status, "pending"), gte(payments.idempotencyKey, PAY_ALL), lt(payments.idempotencyKey, `${PAY_ALL}\uffff`), lt(payments.updatedAt, ctx.clock.now() - QUIET_MS)))
    .orderBy(asc(payments.updatedAt)).limit(PAGE);
  let failed = 0;
  for (const p of rows) {
    try {
      await resolvePendingPayAll(ctx, p);
    } catch (err) {
      failed++;
      // Still unanswered: to the back of the queue, so a page of them never starves the rest.
      await ctx.db.update(payments).set({ updatedAt: ctx.clock.now() }).where(and(eq(payments.id, p.id), eq(payments.status, "pending")));
      console.error(`[cumulus] Pay all charge ${p.id} not resolved:`, err);
    }
  }
  return { checked: rows.length, failed };
}

/** The payments queue's handler for a Payment Intent event (worker/queues/payments.ts). */
export async function reconcilePaymentEvent(ctx: DomainContext, gatewayPaymentId: string): Promise<string> {
  const gw = await cardGateway(ctx);
  const state = await gw.gateway.retrieveCharge(gatewayPaymentId);
  const p = await payAllRowOf(ctx, gw.gateway.id, gatewayPaymentId, state.metadata);
  if (!p) return reconcilePaymentIntent(ctx, gatewayPaymentId);
  if (p.status === "succeeded") return "already settled";
  const o = state.outcome;
  // Money moved: it lands once, with the planned shares, whatever the row said before.
  if (o.status === "succeeded") return `pay all ${(await applyPayAllOutcome(ctx, p, await cardOf(ctx, p), o, null)).status}`;
  // Otherwise only a charge still without an answer takes the gateway's word (a decline or 3-D Secure asked).
  if (p.status !== "pending" || o.status === "canceled" || o.status === "requires_payment_method" || o.status === "processing") return "no change";
  return `pay all ${(await applyPayAllOutcome(ctx, p, await cardOf(ctx, p), o, null)).status}`;
}

/** The Pay all row of a PaymentIntent: by its id, or (answer lost, no id kept yet) by the payment id in its metadata. */
async function payAllRowOf(ctx: DomainContext, gateway: string, gatewayPaymentId: string, metadata: Record<string, string>): Promise<PaymentRow | undefined> {
  const byId = await ctx.db.select().from(payments).where(and(eq(payments.gateway, gateway), eq(payments.gatewayPaymentId, gatewayPaymentId))).get();
  const byMeta = !byId && metadata.purpose === "pay_all" && metadata.payment_id
    ? await ctx.db.select().from(payments).where(eq(payments.id, metadata.payment_id)).get() : undefined;
  const p = byId ?? (byMeta && byMeta.gatewayPaymentId === null && byMeta.orgId === metadata.org_id ? byMeta : undefined);
  return p?.idempotencyKey.startsWith(PAY_ALL) ? p : undefined;
}
