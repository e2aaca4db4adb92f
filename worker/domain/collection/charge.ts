/**
 * Charging one invoice (docs/decisions/019-collection.md): automatic collection after issue, Capture Payment,
 * scheduled retries. The wallet pays first; only the remainder goes to the card, off-session, with one
 * idempotency key per invoice attempt (attempt.ts). An unanswered attempt is replayed with its own key before
 * anything else happens to the invoice.
 *
 *   succeeded        → settleInvoices (invoice paid, ledger, receipt email)
 *   requires_action  → invoice stays unpaid, the customer gets a link to pay it in the portal
 *   declined         → reason on the payment history, decline counted (Blocked at the limit), retry scheduled
 */
import { eq } from "drizzle-orm";
import { ChargeInput, type ChargeResult } from "../../contract/collection";
import { invoices } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import type { DomainContext } from "../context";
import { notUnpaid } from "../invoices/cancel";
import { cardGateway } from "../payments/card-gateway";
import type { CardRow } from "../payments/cards";
import { callGateway, cardAttempts, openAttempt, openPayAll, type PaymentRow } from "./attempt";
import { chargeableCard } from "./card";
import { recordDecline, recordRefused, recordRequiresAction } from "./outcome";
import { cardOf, settleCardAttempt, supersedeAttempt } from "./resolve";
import { payFromWallet, planFromWallet, type PayableInvoice } from "./wallet-first";

export async function chargeInvoice(args: { ctx: DomainContext; input: ChargeInput }): Promise<ChargeResult> {
  const input = ChargeInput.parse(args.input);
  const { ctx } = args;
  const inv = await issuedInvoice(ctx, input.invoiceId);
  const attempts = await cardAttempts(ctx, inv.id);
  const last = attempts[0];
  // An attempt without an answer is resolved first, whatever happened to the invoice since (its money is real).
  if (last?.status === "pending") return runAttempt(ctx, inv, last, await cardOf(ctx, last), 0);
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  if (await openPayAll(ctx, inv.orgId)) throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of all this organization's invoices is waiting for the gateway's answer; it is confirmed automatically.");
  if (last?.status === "requires_action") {
    // Automatic collection waits for the customer; a person paying now supersedes the waiting attempt (ADR 019).
    if (input.initiatedBy === "auto" || input.initiatedBy === "retry") throw new DomainError("PAYMENT_IN_PROGRESS", "This invoice's last card payment is waiting for the customer to confirm it with their bank (they were emailed a link).");
    if ((await supersedeAttempt(ctx, last)).status === "paid") return { status: "paid", paymentId: last.id, walletMinor: 0, cardMinor: last.amountMinor };
    return chargeInvoice(args);
  }
  const due = inv.totalMinor - inv.amountPaidMinor;
  if (input.expectedAmountMinor !== undefined && input.expectedAmountMinor !== due) throw new DomainError("CONFLICT", "The amount due changed since you opened this; review it and confirm again.");
  const wallet = await planFromWallet(ctx, inv, due);
  // Guards before anything moves: a remainder needs a chargeable card and a gateway.
  const card = wallet.coveredMinor < due ? await chargeableCard(ctx, inv.orgId, input.paymentMethodId) : null;
  const gw = card ? await cardGateway(ctx) : null;
  const walletMinor = await payFromWallet(ctx, inv, wallet, input.initiatedBy);
  if (!card || !gw) return { status: "paid", paymentId: null, walletMinor, cardMinor: 0 };
  const p = await openAttempt(ctx, { inv: { ...inv, amountPaidMinor: inv.amountPaidMinor + walletMinor }, card, gateway: gw.gateway.id, amountMinor: due - walletMinor, attempt: attempts.length + 1, initiatedBy: input.initiatedBy });
  return runAttempt(ctx, inv, p, card, walletMinor);
}

async function issuedInvoice(ctx: DomainContext, id: string): Promise<PayableInvoice & { status: string }> {
  const inv = await ctx.db.select({ id: invoices.id, orgId: invoices.orgId, number: invoices.number, status: invoices.status, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(eq(invoices.id, id)).get();
  if (!inv || inv.status === "draft") throw notFound("Invoice");
  return inv;
}

async function runAttempt(ctx: DomainContext, inv: PayableInvoice, p: PaymentRow, card: CardRow, walletMinor: number): Promise<ChargeResult> {
  const gw = await cardGateway(ctx);
  let outcome;
  try {
    outcome = await callGateway(gw, p, card, inv);
  } catch (err) {
    if (err instanceof DomainError && err.code === "CARD_REFUSED") await recordRefused(ctx, p, err.message);
    throw err;
  }
  const base = { paymentId: p.id, walletMinor, cardMinor: p.amountMinor };
  if (outcome.status === "succeeded" || outcome.status === "processing") {
    // "processing" (not for cards; bank debits) is settled by the webhook when it succeeds.
    if (outcome.status === "processing") return { ...base, status: "requires_action", message: "The payment is processing." };
    await settleCardAttempt(ctx, inv, p, card, outcome.gatewayPaymentId);
    return { ...base, status: "paid" };
  }
  if (outcome.status === "requires_action" || outcome.declineCode === "authentication_required") {
    await recordRequiresAction(ctx, { p, inv, card, gatewayPaymentId: outcome.gatewayPaymentId, message: outcome.status === "declined" ? outcome.message : "Authentication required." });
    return { ...base, status: "requires_action", message: "The customer's bank asks them to confirm this payment; they were emailed a link to pay in the portal." };
  }
  await recordDecline(ctx, { p, inv, card, gatewayPaymentId: outcome.gatewayPaymentId, code: outcome.declineCode, message: outcome.message, doNotRetry: outcome.doNotRetry });
  return { ...base, status: "declined", declineCode: outcome.declineCode, message: outcome.message };
}
