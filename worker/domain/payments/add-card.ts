/**
 * Payment Info » Add a Card » Save. The browser sends only the PaymentMethod id that Stripe.js created in
 * Stripe's own fields (the card number and CVV never reach us). Guards: a gateway that keeps cards, the brand
 * accepted by the admin, card-testing limits, the shared-card rule; then a SetupIntent confirmed server-side
 * (idempotency key per organization and payment method), and the Validity Deduction when it is on (ADR 016c).
 * 3-D Secure: the browser finishes it and calls confirm.
 */
import { AddCardInput, brandLabel, type AddCardResult, type CardBrand } from "../../contract/payments";
import { DomainError } from "../../errors";
import { isStripeError, stripeErrorInWords } from "../../integrations/payments/stripe";
import type { ActorContext } from "../context";
import { cardGateway, ensureCustomer } from "./card-gateway";
import { cardSettings } from "./card-settings";
import { ownOrg, SHARED_CARD_MESSAGE } from "./cards";
import { saveVerifiedCard } from "./save-verified-card";
import { checkCardAttempts } from "./card-attempts";
import { fingerprintInUseElsewhere } from "./fingerprint";

export async function addCard(args: { ctx: ActorContext; input: AddCardInput }): Promise<AddCardResult> {
  const { ctx } = args;
  const input = AddCardInput.parse(args.input);
  const orgId = ownOrg(ctx);
  const gw = await cardGateway(ctx);
  const settings = await cardSettings(ctx);
  const pm = await gw.gateway.sdk.paymentMethods.retrieve(input.paymentMethodId).catch((err: unknown) => {
    throw new DomainError("VALIDATION_FAILED", "The card could not be read from the card fields; enter it again.", { paymentMethodId: stripeErrorInWords(err) });
  });
  if (!pm.card) throw new DomainError("CARD_REFUSED", "Only cards can be saved here.");
  if (!gw.settings.acceptedBrands.includes(pm.card.brand as CardBrand)) {
    const accepted = gw.settings.acceptedBrands.map(brandLabel).join(", ");
    throw new DomainError("CARD_REFUSED", `${brandLabel(pm.card.brand)} cards are not accepted. Accepted cards: ${accepted}.`);
  }
  await checkCardAttempts(ctx, { orgId, fingerprint: pm.card.fingerprint ?? pm.id });
  if (!settings.linkMultipleAccounts && (await fingerprintInUseElsewhere(ctx, pm.card.fingerprint ?? "", orgId))) throw new DomainError("CARD_REFUSED", SHARED_CARD_MESSAGE);
  const customerId = await ensureCustomer(ctx, gw, orgId);
  try {
    const si = await gw.gateway.sdk.setupIntents.create(
      { customer: customerId, payment_method: pm.id, confirm: true, usage: "off_session", return_url: `${ctx.config.PUBLIC_ORIGIN}/billing/payment-info`, metadata: { org_id: orgId } },
      { idempotencyKey: `seti:${orgId}:${pm.id}` },
    );
    if (si.status === "requires_action") return { status: "requires_action", clientSecret: si.client_secret ?? "", intentId: si.id };
    if (si.status !== "succeeded") throw new DomainError("CARD_REFUSED", si.last_setup_error?.message ?? "The card could not be verified by its bank.");
    return await saveVerifiedCard(ctx, gw, { orgId, customerId, settings }, pm);
  } catch (err) {
    if (isStripeError(err, "StripeCardError")) throw new DomainError("CARD_REFUSED", `The card was declined: ${err.message}`);
    throw err;
  }
}
