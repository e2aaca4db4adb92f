/**
 * My Invoices » "Pay all" (docs/decisions/019b-card-health-and-self-pay.md): a customer or reseller pays every
 * unpaid invoice of its own organization in ONE payment. The wallet pays first (oldest invoice first, one wallet
 * payment); the rest is ONE card charge under one key for the set (pay-all-attempt.ts), landed through
 * `settleInvoices` with one allocation per invoice, so each invoice's payment history shows its share.
 * The POST carries the total the person confirmed: a different total now is refused (409 CONFLICT).
 */
import { inArray } from "drizzle-orm";
import type { ChargeOutcome } from "../../integrations/payments/gateway";
import { PayAllInput, type PayAllPreview, type PayAllResult } from "../../contract/pay-all";
import { invoices } from "../../db/schema";
import { DomainError } from "../../errors";
import type { ActorContext, DomainContext } from "../context";
import type { PaymentRow } from "../collection/attempt";
import { chargeableCard } from "../collection/card";
import { cardLabel } from "../../contract/payments";
import { cardOf } from "../collection/resolve";
import { settleInvoices } from "../collection/settle";
import { cardGateway } from "../payments/card-gateway";
import { ownOrg, type CardRow } from "../payments/cards";
import { chargePayAll, openPayAllAttempt, payAllAttempts, payAllNumbers, recordPayAllDecline, recordPayAllRequiresAction } from "./pay-all-attempt";
import { planPayAll } from "./pay-all-plan";
import { payWalletShares } from "./pay-all-wallet";

export async function previewPayAll(args: { ctx: ActorContext }): Promise<PayAllPreview> {
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const plan = await planPayAll(ctx, orgId);
  let card: CardRow | null = null;
  let cardProblem: string | null = null;
  if (plan.cardMinor > 0) {
    try {
      card = await chargeableCard(ctx, orgId);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      cardProblem = err.message;
    }
  }
  return {
    currency: plan.currency, exponent: plan.exponent, totalMinor: plan.totalMinor, walletMinor: plan.walletMinor, cardMinor: plan.cardMinor,
    card: card ? { id: card.id, label: cardLabel(card) } : null, cardProblem, invoices: plan.shares, leftOutCount: plan.leftOutCount,
  };
}

export async function payAll(args: { ctx: ActorContext; input: PayAllInput }): Promise<PayAllResult> {
  const input = PayAllInput.parse(args.input);
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const attempts = await payAllAttempts(ctx, orgId);
  // A charge without an answer is resolved first, with its own key (its money may have moved).
  // Replaying is not a new charge: the card's row is used whatever its status now (blocked, removed).
  if (attempts[0]?.status === "pending") return runCharge(ctx, attempts[0], await cardOf(ctx, attempts[0]), null);
  const plan = await planPayAll(ctx, orgId);
  if (plan.totalMinor !== input.expectedTotalMinor) throw new DomainError("CONFLICT", "The amount due on your invoices changed since you opened this; review it and confirm again.");
  // Guards before anything moves: a remainder needs a chargeable card and a gateway.
  const card = plan.cardMinor > 0 ? await chargeableCard(ctx, orgId, input.paymentMethodId) : null;
  const gw = card ? await cardGateway(ctx) : null;
  const walletPaymentId = await payWalletShares(ctx, plan);
  if (!card || !gw) return finish(ctx, plan.shares.map((s) => s.invoiceId), { status: "paid", paymentId: null, walletPaymentId, walletMinor: plan.walletMinor, cardMinor: 0 });
  const planned = plan.shares.filter((s) => s.cardMinor > 0).map((s) => ({ invoiceId: s.invoiceId, number: s.number, amountMinor: s.cardMinor }));
  const p = await openPayAllAttempt(ctx, { orgId, card, gateway: gw.gateway.id, amountMinor: plan.cardMinor, currency: plan.currency, attempt: attempts.length + 1, planned });
  return runCharge(ctx, p, card, { walletPaymentId, walletMinor: plan.walletMinor, invoiceIds: plan.shares.map((s) => s.invoiceId) });
}

/**
 * The charge and what it means. Its money lands as planned when the charge was opened (the row's plan), also when
 * this is a replay of a charge left without an answer; `wallet` is this call's wallet part (null on a replay).
 */
async function runCharge(ctx: DomainContext, p: PaymentRow, card: CardRow, wallet: PayAllWallet | null): Promise<PayAllResult> {
  return applyPayAllOutcome(ctx, p, card, await chargePayAll(await cardGateway(ctx), p, card), wallet);
}

type PayAllWallet = { walletPaymentId: string | null; walletMinor: number; invoiceIds: string[] };

/** A charge left without an answer (cron sweep, pay-all-reconcile.ts): replayed with its own key, as the next Pay all would. */
export async function resolvePendingPayAll(ctx: DomainContext, p: PaymentRow): Promise<PayAllResult> {
  return runCharge(ctx, p, await cardOf(ctx, p), null);
}

/** What the gateway answered (the charge, its replay, or its state read back for a webhook), applied once. */
export async function applyPayAllOutcome(ctx: DomainContext, p: PaymentRow, card: CardRow, outcome: ChargeOutcome, wallet: PayAllWallet | null): Promise<PayAllResult> {
  const base = { paymentId: p.id, walletPaymentId: wallet?.walletPaymentId ?? null, walletMinor: wallet?.walletMinor ?? 0, cardMinor: p.amountMinor };
  const planned = p.plannedAllocations ?? [];
  const ids = wallet?.invoiceIds ?? planned.map((s) => s.invoiceId);
  if (outcome.status === "succeeded") {
    await settlePayAll(ctx, p, card, outcome.gatewayPaymentId);
    return finish(ctx, ids, { ...base, status: "paid" });
  }
  if (outcome.status === "processing" || outcome.status === "requires_action" || outcome.declineCode === "authentication_required") {
    await recordPayAllRequiresAction(ctx, p, outcome.gatewayPaymentId);
    return finish(ctx, ids, { ...base, status: "requires_action", message: "Your bank asks you to confirm this payment with 3-D Secure. Your invoices stay unpaid until it is confirmed." });
  }
  await recordPayAllDecline(ctx, { p, card, gatewayPaymentId: outcome.gatewayPaymentId, code: outcome.declineCode, message: outcome.message, invoiceNumbers: payAllNumbers(p) });
  return finish(ctx, ids, { ...base, status: "declined", declineCode: outcome.declineCode, message: outcome.message });
}

/** A succeeded Pay all charge lands through settleInvoices with its planned shares (a row without a plan: oldest first). */
export async function settlePayAll(ctx: DomainContext, p: PaymentRow, card: CardRow, gatewayPaymentId: string): Promise<void> {
  const planned = p.plannedAllocations;
  await settleInvoices({ ctx, input: {
    orgId: p.orgId, channel: "card", gateway: p.gateway, gatewayPaymentId, idempotencyKey: p.idempotencyKey, paymentMethodId: card.id,
    cardFingerprint: card.fingerprint, amountMinor: p.amountMinor, currency: p.currency, initiatedBy: "customer", methodLabel: cardLabel(card),
    allocations: planned?.length ? planned.map((s) => ({ invoiceId: s.invoiceId, amountMinor: s.amountMinor })) : undefined,
  } });
}

async function finish(ctx: DomainContext, ids: string[], r: Omit<PayAllResult, "invoices">): Promise<PayAllResult> {
  const rows = ids.length ? await ctx.db.select({ invoiceId: invoices.id, number: invoices.number, status: invoices.status, issueDate: invoices.issueDate }).from(invoices).where(inArray(invoices.id, ids)) : [];
  rows.sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1));
  return { ...r, invoices: rows.map(({ invoiceId, number, status }) => ({ invoiceId, number, status })) };
}
