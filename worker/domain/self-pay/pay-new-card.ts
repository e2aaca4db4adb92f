/**
 * Pay now with a new card (docs/decisions/019-collection.md, "Pay now with a new card"): the customer of the
 * invoice's own organization pays it with a card typed into Stripe.js's hosted fields on Payment Info
 * (`?pay={invoice}`); the card number and CVC never reach this Worker.
 *
 * - start: the wallet pays first (as for every payment), then ONE attempt row is written under the invoice's next
 *   key `pi:{invoiceId}:{n}` (unique: a double click cannot open two) and an on-session PaymentIntent for the
 *   remainder is created with that key; its client secret goes to the browser for `confirmCardPayment` (3-D
 *   Secure runs there). The row waits (`requires_action`) from the start: an unconfirmed PaymentIntent cannot
 *   take money, so nothing needs replaying if its answer is lost — the next attempt supersedes it.
 * - complete: whatever the browser says, the PaymentIntent is read back from the gateway and applied by
 *   collection's verbs (`applyChargeState`: paid through settleInvoices, a decline counted against the card's
 *   fingerprint). Not paid → cancelled at the gateway, so the secret the browser holds is worth nothing after.
 */
import { and, eq } from "drizzle-orm";
import { payments, invoices } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { cardAttempts, openAttempt, openPayAll } from "../collection/attempt";
import { askGateway, reconcileAttempt, supersedeAttempt, type AttemptState } from "../collection/resolve";
import { payFromWallet, planFromWallet, type PayableInvoice } from "../collection/wallet-first";
import type { ActorContext } from "../context";
import { notUnpaid } from "../invoices/cancel";
import { isNotCompleted } from "../invoices/payment-attempts";
import { cardGateway, ensureCustomer } from "../payments/card-gateway";
import { ownOrg } from "../payments/cards";
import { stepOf, type AuthenticationStep } from "./authenticate";

export interface NewCardStart {
  /** paid: the wallet covered it all; confirm: the browser confirms `clientSecret` with the card element. */
  status: "paid" | "confirm";
  paymentId: string | null;
  clientSecret?: string;
  walletMinor: number;
  cardMinor: number;
}

const NOT_COMPLETED = { code: "card_payment_abandoned", message: "The card payment was not completed; nothing was charged." };

async function ownInvoice(ctx: ActorContext, invoiceId: string): Promise<PayableInvoice & { status: string }> {
  const inv = await ctx.db.select({ id: invoices.id, orgId: invoices.orgId, number: invoices.number, status: invoices.status, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ownOrg(ctx)))).get();
  if (!inv || inv.status === "draft") throw notFound("Invoice");
  return inv;
}

export async function startNewCardPayment(args: { ctx: ActorContext; invoiceId: string; input: { expectedAmountMinor: number; saveCard: boolean } }): Promise<NewCardStart> {
  const { ctx, input } = args;
  const inv = await ownInvoice(ctx, args.invoiceId);
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  // An open Pay all charge may already cover this invoice (ADR 019, "Proof": no second charge of the same money).
  if (await openPayAll(ctx, inv.orgId)) throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of all this organization's invoices is waiting for the gateway's answer; it is confirmed automatically.");
  const attempts = await cardAttempts(ctx, inv.id);
  const last = attempts[0];
  if (last?.status === "pending") throw new DomainError("PAYMENT_IN_PROGRESS", "A card payment of this invoice is being confirmed with the gateway; try again in a minute.");
  if (last?.status === "requires_action") {
    // A person paying now replaces the waiting attempt (cancelled at the gateway first, ADR 019).
    if ((await supersedeAttempt(ctx, last)).status === "paid") return { status: "paid", paymentId: last.id, walletMinor: 0, cardMinor: last.amountMinor };
    return startNewCardPayment(args);
  }
  const due = inv.totalMinor - inv.amountPaidMinor;
  if (input.expectedAmountMinor !== due) throw new DomainError("CONFLICT", "The amount due changed since you opened this; review it and confirm again.");
  const wallet = await planFromWallet(ctx, inv, due);
  const gw = wallet.coveredMinor < due ? await cardGateway(ctx) : null;
  const customerId = gw ? await ensureCustomer(ctx, gw, inv.orgId) : null;
  const walletMinor = await payFromWallet(ctx, inv, wallet, "customer");
  if (!gw || !customerId) return { status: "paid", paymentId: null, walletMinor, cardMinor: 0 };
  const p = await openAttempt(ctx, { inv, card: null, gateway: gw.gateway.id, amountMinor: due - walletMinor, attempt: attempts.length + 1, initiatedBy: "customer", status: "requires_action" });
  const state = await askGateway(p, () => gw.gateway.createOnSessionCharge({
    amountMinor: p.amountMinor, currency: p.currency, gatewayCustomerId: customerId, idempotencyKey: p.idempotencyKey, saveCard: input.saveCard,
    metadata: { org_id: inv.orgId, invoice_id: inv.id, invoice_number: inv.number ?? "", payment_id: p.id },
  }));
  await ctx.db.update(payments).set({ gatewayPaymentId: state.outcome.gatewayPaymentId, updatedAt: ctx.clock.now() }).where(and(eq(payments.id, p.id), eq(payments.status, "requires_action")));
  if (state.outcome.status !== "requires_payment_method") throw new DomainError("INTERNAL", "The gateway answered a new card payment in an unexpected state.");
  return { status: "confirm", paymentId: p.id, clientSecret: state.outcome.clientSecret, walletMinor, cardMinor: p.amountMinor };
}

/** After Stripe.js: the payment as the gateway holds it; a replay answers the same and writes nothing. */
export async function completeNewCardPayment(args: { ctx: ActorContext; invoiceId: string; paymentId: string }): Promise<AuthenticationStep> {
  const { ctx, invoiceId } = args;
  const inv = await ownInvoice(ctx, invoiceId);
  const p = await ctx.db.select().from(payments).where(and(eq(payments.id, args.paymentId), eq(payments.orgId, inv.orgId))).get();
  if (!p || p.channel !== "card" || !p.idempotencyKey.startsWith(`pi:${inv.id}:`)) throw notFound("Payment");
  if (p.status === "succeeded") return stepOf(ctx, invoiceId, { status: "paid" });
  if (p.status === "failed") return stepOf(ctx, invoiceId, { status: isNotCompleted(p.declineCode) ? "closed" : "declined", code: p.declineCode ?? "", message: p.failureMessage ?? NOT_COMPLETED.message });
  if (!p.gatewayPaymentId) return stepOf(ctx, invoiceId, await supersedeAttempt(ctx, p, NOT_COMPLETED));
  let state: AttemptState = await reconcileAttempt(ctx, p);
  if (state.status === "requires_action" || state.status === "needs_confirmation" || state.status === "declined" || (state.status === "closed" && state.code !== "canceled")) {
    const reason = state.status === "declined" || state.status === "closed" ? { code: state.code, message: state.message } : NOT_COMPLETED;
    const closed = await supersedeAttempt(ctx, p, reason);
    if (closed.status === "paid" || state.status === "requires_action" || state.status === "needs_confirmation") state = closed;
  }
  return stepOf(ctx, invoiceId, state);
}

