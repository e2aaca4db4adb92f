/**
 * What became of a card attempt, asked of the gateway (docs/decisions/019-collection.md, "3-D Secure and the
 * gateway's word"). Never from a browser or a webhook body: the portal's "Complete authentication", the
 * Payment Intent webhooks, a new attempt superseding a waiting one and dunning's last check before Termination
 * all read the PaymentIntent back and converge our rows to it through the same verbs as a charge's own answer:
 *
 *   succeeded                           → settleInvoices (idempotent on the gateway payment id)
 *   requires_action / authentication_required off-session → waiting for the customer (recorded once)
 *   declined by the bank                → recordDecline (counts against the card, like an off-session decline)
 *   3-D Secure failed, cancelled        → recordClosed (reason kept, invoice free for a new attempt)
 */
import { and, eq, isNull } from "drizzle-orm";
import { invoices, paymentCustomers, paymentMethods, payments } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { GatewayTransientError, type CardSummary, type ChargeOutcome, type ChargeState } from "../../integrations/payments/gateway";
import type { DomainContext } from "../context";
import { cardGateway } from "../payments/card-gateway";
import { storeCard, type CardRow } from "../payments/cards";
import { cardSettings } from "../payments/card-settings";
import { GatewayUnavailable, type PaymentRow } from "./attempt";
import { cardLabel } from "../../contract/payments";
import { recordClosed, recordDecline, recordRequiresAction, type AttemptCard } from "./outcome";
import { settleInvoices } from "./settle";
import type { PayableInvoice } from "./wallet-first";

export type AttemptState =
  | { status: "paid" }
  | { status: "processing" }
  | { status: "requires_action"; clientSecret: string }
  /** Asked for 3-D Secure off-session: the customer confirms it again in the portal. */
  | { status: "needs_confirmation" }
  | { status: "declined" | "closed"; code: string; message: string };

/** Codes of an authentication the customer did not complete: the bank declined nothing. */
const AUTHENTICATION_FAILED = new Set(["payment_intent_authentication_failure", "authentication_abandoned"]);

/** The invoice an attempt is for, from its key `pi:{invoiceId}:{attempt}` (attempt.ts). */
export async function invoiceOfAttempt(ctx: Pick<DomainContext, "db">, p: PaymentRow): Promise<PayableInvoice & { status: string }> {
  const id = p.idempotencyKey.split(":")[1] ?? "";
  const inv = await ctx.db.select({ id: invoices.id, orgId: invoices.orgId, number: invoices.number, status: invoices.status, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(eq(invoices.id, id)).get();
  if (!inv || inv.orgId !== p.orgId) throw notFound("Invoice");
  return inv;
}

export async function cardOf(ctx: Pick<DomainContext, "db">, p: PaymentRow): Promise<CardRow> {
  const card = p.paymentMethodId ? await ctx.db.select().from(paymentMethods).where(eq(paymentMethods.id, p.paymentMethodId)).get() : undefined;
  if (!card) throw new DomainError("INTERNAL", `Payment ${p.id} has no card to replay with.`);
  return card;
}

/**
 * The card of an attempt: the saved card it charged, or (Pay now with a new card, no row of ours yet) the card the
 * gateway says the customer entered — saved first when they asked for it and the payment succeeded
 * (docs/decisions/019-collection.md, "Pay now with a new card"). Null while no card was entered yet.
 */
export async function attemptCard(ctx: DomainContext, p: PaymentRow, state: Pick<ChargeState, "paymentMethodId" | "savesCard" | "outcome">): Promise<AttemptCard | null> {
  if (p.paymentMethodId) return cardOf(ctx, p);
  if (!state.paymentMethodId) return null;
  const gw = await cardGateway(ctx);
  const summary = await askGateway(p, () => gw.gateway.retrievePaymentMethod(state.paymentMethodId!));
  if (state.savesCard && state.outcome.status === "succeeded") await saveEnteredCard(ctx, p, summary);
  const stored = await ctx.db.select().from(paymentMethods)
    .where(and(eq(paymentMethods.gateway, gw.gateway.id), eq(paymentMethods.gatewayPaymentMethodId, summary.gatewayPaymentMethodId), eq(paymentMethods.orgId, p.orgId))).get();
  const card = stored ?? { id: null, fingerprint: summary.fingerprint, brand: summary.brand, last4: summary.last4 };
  // The payment history and decline counting know the card from here on.
  await ctx.db.update(payments).set({ cardFingerprint: card.fingerprint, paymentMethodId: card.id }).where(and(eq(payments.id, p.id), isNull(payments.cardFingerprint)));
  return card;
}

async function saveEnteredCard(ctx: DomainContext, p: PaymentRow, card: CardSummary): Promise<void> {
  const customer = await ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.orgId, p.orgId), eq(paymentCustomers.gateway, p.gateway ?? ""))).get();
  if (!customer) return;
  const settings = await cardSettings(ctx);
  // The money is taken whatever happens here: a card "Link Multiple Accounts" refuses is simply not saved.
  await storeCard(ctx, { orgId: p.orgId, gateway: customer.gateway, gatewayCustomerId: customer.gatewayCustomerId, card, cardholderName: null, linkMultiple: settings.linkMultipleAccounts })
    .catch((err: unknown) => { if (!(err instanceof DomainError)) throw err; });
}

/** The money of a succeeded card attempt lands (ADR 019: settleInvoices, once per gateway payment id). */
export async function settleCardAttempt(ctx: DomainContext, inv: PayableInvoice, p: PaymentRow, card: AttemptCard, gatewayPaymentId: string): Promise<void> {
  await settleInvoices({ ctx, input: {
    orgId: inv.orgId, channel: "card", gateway: p.gateway, gatewayPaymentId, idempotencyKey: p.idempotencyKey, paymentMethodId: card.id,
    cardFingerprint: card.fingerprint, amountMinor: p.amountMinor, currency: p.currency, initiatedBy: p.initiatedBy, methodLabel: cardLabel(card),
    allocations: [{ invoiceId: inv.id, amountMinor: p.amountMinor }],
  } });
}

/** Our rows converge to what the gateway says of the attempt; every branch is safe to run twice. */
export async function applyChargeState(ctx: DomainContext, p: PaymentRow, state: Pick<ChargeState, "outcome" | "paymentMethodId" | "savesCard">): Promise<AttemptState> {
  const { outcome } = state;
  const inv = await invoiceOfAttempt(ctx, p);
  const found = await attemptCard(ctx, p, state);
  // Only a new-card payment nobody has entered a card for yet has no card; it can only wait or be cancelled.
  const card = found ?? { id: null, fingerprint: "", brand: "", last4: "" };
  const id = outcome.gatewayPaymentId;
  switch (outcome.status) {
    case "succeeded":
      await settleCardAttempt(ctx, inv, p, card, outcome.gatewayPaymentId);
      return { status: "paid" };
    case "processing":
      return { status: "processing" };
    case "requires_action":
      await recordRequiresAction(ctx, { p, inv, card, gatewayPaymentId: id, message: "Authentication required." });
      return { status: "requires_action", clientSecret: outcome.clientSecret };
    case "requires_payment_method":
      return { status: "needs_confirmation" };
    case "canceled":
      await recordClosed(ctx, { p, inv, gatewayPaymentId: id, code: "canceled", message: "The payment was cancelled before it completed." });
      return { status: "closed", code: "canceled", message: "The payment was cancelled before it completed." };
    case "declined":
      return applyDecline(ctx, { p, inv, card }, outcome);
  }
}

async function applyDecline(ctx: DomainContext, a: { p: PaymentRow; inv: PayableInvoice; card: AttemptCard }, d: Extract<ChargeOutcome, { status: "declined" }>): Promise<AttemptState> {
  if (d.declineCode === "authentication_required") {
    await recordRequiresAction(ctx, { ...a, gatewayPaymentId: d.gatewayPaymentId, message: d.message });
    return { status: "needs_confirmation" };
  }
  if (AUTHENTICATION_FAILED.has(d.declineCode)) {
    await recordClosed(ctx, { ...a, gatewayPaymentId: d.gatewayPaymentId, code: d.declineCode, message: d.message });
    return { status: "closed", code: d.declineCode, message: d.message };
  }
  await recordDecline(ctx, { ...a, gatewayPaymentId: d.gatewayPaymentId, code: d.declineCode, message: d.message, doNotRetry: d.doNotRetry });
  return { status: "declined", code: d.declineCode, message: d.message };
}

/** A gateway call whose answer we did not get: the attempt is left as it is (PAYMENTS_UNAVAILABLE, retried). */
export async function askGateway<T>(p: PaymentRow, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GatewayTransientError) throw new GatewayUnavailable(err.rateLimited, p.id);
    if (err instanceof DomainError) throw err;
    throw new GatewayUnavailable(false, p.id);
  }
}

/** The attempt's current state at the gateway, applied. */
export async function reconcileAttempt(ctx: DomainContext, p: PaymentRow): Promise<AttemptState> {
  if (!p.gatewayPaymentId) throw new DomainError("CONFLICT", "This payment has no gateway payment yet.");
  const gw = await cardGateway(ctx);
  const state = await askGateway(p, () => gw.gateway.retrieveCharge(p.gatewayPaymentId!));
  return applyChargeState(ctx, p, state);
}

const SUPERSEDED = { code: "superseded", message: "Replaced by a new payment attempt before 3-D Secure was completed." };

/**
 * A new attempt (Pay now, Capture Payment) on an invoice whose last attempt waits for 3-D Secure: the waiting
 * PaymentIntent is cancelled at the gateway first, so it can never be paid later next to the new one. If the
 * gateway says it succeeded meanwhile, that payment is settled instead and no new attempt starts. The same
 * closes an authentication the customer abandoned or failed (with that reason instead).
 */
export async function supersedeAttempt(ctx: DomainContext, p: PaymentRow, closed = SUPERSEDED): Promise<AttemptState> {
  const inv = await invoiceOfAttempt(ctx, p);
  if (!p.gatewayPaymentId) {
    await recordClosed(ctx, { p, inv, gatewayPaymentId: null, ...closed });
    return { status: "closed", ...closed };
  }
  const gw = await cardGateway(ctx);
  const state = await askGateway(p, () => gw.gateway.cancelCharge({ gatewayPaymentId: p.gatewayPaymentId!, idempotencyKey: `${p.idempotencyKey}:cancel` }));
  if (state.outcome.status === "succeeded" || state.outcome.status === "processing") return applyChargeState(ctx, p, state);
  await recordClosed(ctx, { p, inv, gatewayPaymentId: p.gatewayPaymentId, ...closed });
  return { status: "closed", ...closed };
}

/**
 * A Payment Intent webhook (`payment_intent.succeeded | payment_failed | requires_action | canceled`): the event
 * only says which PaymentIntent changed; its current state is read back and applied (`applyChargeState`), so a
 * replayed, late or out-of-order event, and the browser's own answer, all converge to the same rows. An attempt
 * whose answer was lost has no gateway id yet: it is found by the `payment_id` we put in the metadata, checked
 * against the attempt's organization and invoice. Errors propagate: the queue retries the event.
 */
export async function reconcilePaymentIntent(ctx: DomainContext, gatewayPaymentId: string): Promise<string> {
  const gw = await cardGateway(ctx);
  const state = await gw.gateway.retrieveCharge(gatewayPaymentId);
  let p = await ctx.db.select().from(payments).where(and(eq(payments.gateway, gw.gateway.id), eq(payments.gatewayPaymentId, gatewayPaymentId))).get();
  if (!p && state.metadata.payment_id) {
    const byMeta = await ctx.db.select().from(payments).where(eq(payments.id, state.metadata.payment_id)).get();
    const matches = byMeta && byMeta.gatewayPaymentId === null && byMeta.orgId === state.metadata.org_id && byMeta.idempotencyKey.split(":")[1] === state.metadata.invoice_id;
    if (matches) p = byMeta;
  }
  if (!p || p.channel !== "card") return "not a collection payment";
  if (p.status === "succeeded") return "already settled";
  if (p.status === "failed" && state.outcome.status !== "succeeded") return "already closed";
  return `attempt ${(await applyChargeState(ctx, p, state)).status}`;
}
