/**
 * "Validity Deduction From Credit Card" (docs/decisions/016c-card-settings.md): when on, a card that passed its
 * SetupIntent is charged the configured amount before it is saved. Success: the card is stored and the amount
 * credited to the organization's wallet (cash in, paid wallet credit; Transaction Logs and the wallet show it).
 * Decline: the card is detached at the gateway and nothing is stored. The charge's idempotency key is the
 * organization and payment method, the credit's is the gateway's payment id: a retried Save replays both.
 */
import { cardLabel } from "../../contract/payments";
import { formatMoney } from "../../contract/money";
import { DomainError } from "../../errors";
import type { CardSummary } from "../../integrations/payments/gateway";
import type { ActorContext } from "../context";
import { postCredit } from "../wallet/credit";
import { getBillingCurrency } from "../wallet/currency";
import type { CardGateway } from "./card-gateway";
import type { CardSettingsRow } from "./card-settings";

export type Deduction = { status: "none" } | { status: "succeeded"; paymentId: string; amountMinor: number } | { status: "requires_action"; clientSecret: string; intentId: string };

/** The amount to deduct now, or 0 when the deduction is off. */
export const deductionMinor = (s: CardSettingsRow) => (s.validityDeduction ? s.validityDeductionMinor : 0);

export async function chargeValidity(ctx: ActorContext, gw: CardGateway, args: { orgId: string; customerId: string; pmId: string; settings: CardSettingsRow }): Promise<Deduction> {
  const amountMinor = deductionMinor(args.settings);
  if (amountMinor <= 0) return { status: "none" };
  const cur = await getBillingCurrency(ctx.db);
  const outcome = await gw.gateway.charge({
    amountMinor, currency: cur.code, gatewayCustomerId: args.customerId, gatewayPaymentMethodId: args.pmId, offSession: true,
    idempotencyKey: `validity:${args.orgId}:${args.pmId}`, metadata: { org_id: args.orgId, purpose: "validity_deduction" },
  });
  if (outcome.status === "succeeded") return { status: "succeeded", paymentId: outcome.gatewayPaymentId, amountMinor };
  if (outcome.status === "requires_action") return { status: "requires_action", clientSecret: outcome.clientSecret, intentId: outcome.gatewayPaymentId };
  return refuseCard(gw, args.pmId, outcome.status === "declined" ? outcome.message : "The bank has not confirmed the charge yet.");
}

/** Takes the card off the gateway's customer (it was attached by the SetupIntent) and refuses it. */
export async function refuseCard(gw: CardGateway, pmId: string, reason: string): Promise<never> {
  await gw.gateway.sdk.paymentMethods.detach(pmId).catch(() => undefined); // already detached: the same outcome
  throw new DomainError("CARD_REFUSED", `The card was not saved: the Validity Deduction was declined (${reason}).`);
}

/** The deducted amount as paid wallet credit, once per gateway payment. */
export async function creditValidity(ctx: ActorContext, args: { orgId: string; paymentId: string; amountMinor: number; card: CardSummary; gateway: string }): Promise<void> {
  const cur = await getBillingCurrency(ctx.db);
  const label = cardLabel(args.card);
  await postCredit(ctx, {
    posting: {
      orgId: args.orgId, kind: "wallet_topup", direction: "in", amountMinor: args.amountMinor, currency: cur.code, gateway: args.gateway, reference: args.paymentId,
      description: `Validity Deduction, ${label}`, idempotencyKey: `validity_credit:${args.paymentId}`,
      entries: [{ account: "cash", amountMinor: args.amountMinor }, { account: "wallet_paid", amountMinor: -args.amountMinor }],
    },
    audit: { action: "payments.validity_deduction.credited", after: { amount: formatMoney(args.amountMinor, cur.code, cur.exponent), card: label, payment: args.paymentId } },
    kindLabel: "Validity Deduction",
    exponent: cur.exponent,
  });
}
