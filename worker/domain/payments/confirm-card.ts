/**
 * Add a Card after 3-D Secure: the browser finished the bank's challenge on the SetupIntent; we refetch it from
 * the gateway (never trust the browser) and store the card if it succeeded. The intent must belong to this
 * organization's customer; another organization's intent is not found. With the Validity Deduction, the
 * deduction's PaymentIntent may need 3-D Secure too (`pi_…`, save-verified-card.ts).
 */
import { and, eq } from "drizzle-orm";
import { ConfirmCardInput, type AddCardResult } from "../../contract/payments";
import { paymentCustomers } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import type { ActorContext } from "../context";
import { cardGateway } from "./card-gateway";
import { cardSettings } from "./card-settings";
import { ownOrg } from "./cards";
import { confirmDeduction, saveVerifiedCard } from "./save-verified-card";

export async function confirmCard(args: { ctx: ActorContext; input: ConfirmCardInput }): Promise<AddCardResult> {
  const { ctx } = args;
  const input = ConfirmCardInput.parse(args.input);
  const orgId = ownOrg(ctx);
  const gw = await cardGateway(ctx);
  const customer = await ctx.db.select().from(paymentCustomers).where(and(eq(paymentCustomers.orgId, orgId), eq(paymentCustomers.gateway, gw.gateway.id))).get();
  if (!customer) throw notFound("Card setup");
  const target = { orgId, customerId: customer.gatewayCustomerId, settings: await cardSettings(ctx) };
  if (input.intentId.startsWith("pi_")) return confirmDeduction(ctx, gw, target, input.intentId);
  const si = await gw.gateway.sdk.setupIntents.retrieve(input.intentId, { expand: ["payment_method"] }).catch(() => null);
  if (!si || si.customer !== customer.gatewayCustomerId) throw notFound("Card setup");
  if (si.status === "requires_action") return { status: "requires_action", clientSecret: si.client_secret ?? "", intentId: si.id };
  if (si.status !== "succeeded" || !si.payment_method || typeof si.payment_method === "string") {
    throw new DomainError("CARD_REFUSED", si.last_setup_error?.message ?? "The card's bank did not confirm the card (3-D Secure was not completed).");
  }
  return saveVerifiedCard(ctx, gw, target, si.payment_method);
}
