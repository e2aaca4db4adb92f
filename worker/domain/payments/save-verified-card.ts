/**
 * The last step of Add a Card, shared by Save, the 3-D Secure return on the SetupIntent and the one on the
 * Validity Deduction's PaymentIntent: charge the deduction when it is on, then store the card and credit the
 * wallet (docs/decisions/016c-card-settings.md).
 */
import type Stripe from "stripe";
import type { AddCardResult } from "../../contract/payments";
import { notFound } from "../../errors";
import { cardSummary } from "../../integrations/payments/stripe";
import type { ActorContext } from "../context";
import type { CardGateway } from "./card-gateway";
import type { CardSettingsRow } from "./card-settings";
import { cardDto, storeCard } from "./cards";
import { chargeValidity, creditValidity, refuseCard, type Deduction } from "./validity-deduction";

interface Target {
  orgId: string;
  customerId: string;
  settings: CardSettingsRow;
}

async function store(ctx: ActorContext, gw: CardGateway, t: Target, pm: Stripe.PaymentMethod, deduction: Deduction): Promise<AddCardResult> {
  if (deduction.status === "requires_action") return { status: "requires_action", clientSecret: deduction.clientSecret, intentId: deduction.intentId };
  const card = cardSummary(pm);
  const row = await storeCard(ctx, { orgId: t.orgId, gateway: gw.gateway.id, gatewayCustomerId: t.customerId, card, cardholderName: pm.billing_details?.name ?? null, linkMultiple: t.settings.linkMultipleAccounts });
  if (deduction.status === "succeeded") await creditValidity(ctx, { orgId: t.orgId, paymentId: deduction.paymentId, amountMinor: deduction.amountMinor, card, gateway: gw.gateway.id });
  return { status: "saved", card: cardDto(row, ctx.clock.now()) };
}

/** The SetupIntent succeeded: deduct (if on), store, credit. */
export async function saveVerifiedCard(ctx: ActorContext, gw: CardGateway, t: Target, pm: Stripe.PaymentMethod): Promise<AddCardResult> {
  return store(ctx, gw, t, pm, await chargeValidity(ctx, gw, { orgId: t.orgId, customerId: t.customerId, pmId: pm.id, settings: t.settings }));
}

/**
 * The browser finished 3-D Secure on the Validity Deduction: refetch the PaymentIntent (never trust the browser);
 * it must be this organization's deduction, otherwise it is not found.
 */
export async function confirmDeduction(ctx: ActorContext, gw: CardGateway, t: Target, intentId: string): Promise<AddCardResult> {
  const pi = await gw.gateway.sdk.paymentIntents.retrieve(intentId, { expand: ["payment_method"] }).catch(() => null);
  const pm = pi?.payment_method;
  if (!pi || pi.customer !== t.customerId || pi.metadata.purpose !== "validity_deduction" || pi.metadata.org_id !== t.orgId || !pm || typeof pm === "string") throw notFound("Card setup");
  if (pi.status === "requires_action") return { status: "requires_action", clientSecret: pi.client_secret ?? "", intentId: pi.id };
  if (pi.status !== "succeeded") return refuseCard(gw, pm.id, pi.last_payment_error?.message ?? "3-D Secure was not completed");
  return store(ctx, gw, t, pm, { status: "succeeded", paymentId: pi.id, amountMinor: pi.amount });
}
