/**
 * "Complete authentication" on an invoice whose card payment waits for 3-D Secure (docs/decisions/019-collection.md,
 * "3-D Secure and the gateway's word"): the customer of the invoice's own organization continues THE SAME
 * PaymentIntent in the portal.
 *
 * - start: the attempt must be waiting (requires_action). Asked off-session, the PaymentIntent is confirmed again
 *   with the customer present (it then asks for 3-D Secure); the answer carries its client secret for Stripe.js
 *   `handleNextAction`, used by the browser for that one call and never stored.
 * - complete: whatever the browser says, the PaymentIntent is read back from the gateway: succeeded → settled
 *   (settleInvoices, once per gateway payment id, the webhook may have done it first); failed or abandoned →
 *   cancelled at the gateway, the reason on the payment history, the invoice free for a new attempt.
 */
import { and, eq } from "drizzle-orm";
import { invoices } from "../../db/schema";
import { conflict, notFound } from "../../errors";
import { cardAttempts, type PaymentRow } from "../collection/attempt";
import { applyChargeState, askGateway, cardOf, reconcileAttempt, supersedeAttempt, type AttemptState } from "../collection/resolve";
import type { ActorContext } from "../context";
import { cardGateway } from "../payments/card-gateway";
import { ownOrg } from "../payments/cards";

export interface AuthenticationStep {
  status: "paid" | "requires_action" | "processing" | "declined" | "closed";
  /** Only with requires_action: for Stripe.js handleNextAction, once. */
  clientSecret?: string;
  message?: string;
  invoiceStatus: string;
  amountPaidMinor: number;
}

const ABANDONED = { code: "authentication_abandoned", message: "3-D Secure was not completed; the payment was cancelled and nothing was charged." };

async function latestAttempt(ctx: ActorContext, invoiceId: string): Promise<PaymentRow> {
  const own = await ctx.db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ownOrg(ctx)))).get();
  if (!own) throw notFound("Invoice");
  const last = (await cardAttempts(ctx, invoiceId))[0];
  if (!last || (last.status !== "requires_action" && last.status !== "succeeded")) throw conflict("This invoice has no card payment waiting for authentication.");
  return last;
}

export async function stepOf(ctx: ActorContext, invoiceId: string, s: AttemptState): Promise<AuthenticationStep> {
  const inv = (await ctx.db.select({ status: invoices.status, amountPaidMinor: invoices.amountPaidMinor }).from(invoices).where(eq(invoices.id, invoiceId)).get())!;
  const base = { invoiceStatus: inv.status, amountPaidMinor: inv.amountPaidMinor };
  if (s.status === "requires_action") return { ...base, status: "requires_action", clientSecret: s.clientSecret };
  if (s.status === "declined" || s.status === "closed") return { ...base, status: s.status, message: s.message };
  if (s.status === "needs_confirmation") return { ...base, status: "requires_action", message: "The payment is not ready to authenticate; try again." };
  return { ...base, status: s.status };
}

export async function startAuthentication(args: { ctx: ActorContext; invoiceId: string }): Promise<AuthenticationStep> {
  const { ctx, invoiceId } = args;
  const p = await latestAttempt(ctx, invoiceId);
  if (p.status === "succeeded") return stepOf(ctx, invoiceId, { status: "paid" });
  let state = await reconcileAttempt(ctx, p);
  if (state.status === "needs_confirmation") {
    // Asked off-session: confirm the same PaymentIntent again, now with the customer present.
    const [gw, card] = await Promise.all([cardGateway(ctx), cardOf(ctx, p)]);
    const again = await askGateway(p, () => gw.gateway.confirmOnSession({ gatewayPaymentId: p.gatewayPaymentId!, gatewayPaymentMethodId: card.gatewayPaymentMethodId, idempotencyKey: `${p.idempotencyKey}:on-session` }));
    state = await applyChargeState(ctx, p, again);
  }
  return stepOf(ctx, invoiceId, state);
}

export async function completeAuthentication(args: { ctx: ActorContext; invoiceId: string }): Promise<AuthenticationStep> {
  const { ctx, invoiceId } = args;
  const p = await latestAttempt(ctx, invoiceId);
  if (p.status === "succeeded") return stepOf(ctx, invoiceId, { status: "paid" });
  let state = await reconcileAttempt(ctx, p);
  // Not completed (the window closed) or failed: the PaymentIntent is cancelled so its secret is worth nothing.
  if (state.status === "requires_action" || state.status === "needs_confirmation" || (state.status === "closed" && state.code !== "canceled")) {
    const closed = await supersedeAttempt(ctx, p, state.status === "closed" ? { code: state.code, message: state.message } : ABANDONED);
    state = closed.status === "paid" ? closed : state.status === "closed" ? state : closed;
  }
  return stepOf(ctx, invoiceId, state);
}
