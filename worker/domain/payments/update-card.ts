/**
 * Payment Info » Update: Cardholder Name and Expiry Date of a saved card, changed at the gateway first (Stripe
 * updates the PaymentMethod's billing_details.name and card exp_month/exp_year and validates the expiry), then our
 * row converges to what the gateway answered (docs/decisions/016c-card-settings.md). An expired card given a
 * future expiry is Active again (the status is computed from the expiry). A Blocked card is validated afresh
 * with an off-session SetupIntent; if the bank accepts it, the "fresh successful validation" rule applies
 * (docs/decisions/019b-card-health-and-self-pay.md: unblocked, decline count kept). Replaying the same update
 * changes nothing and audits nothing.
 */
import { cardLabel, parseExpiry, UpdateCardInput, type UpdateCardResult } from "../../contract/payments";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import { cardSummary, isStripeError, stripeErrorInWords } from "../../integrations/payments/stripe";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { cardGateway, type CardGateway } from "./card-gateway";
import { cardDto, ownCard, ownOrg, promoteDefaultStatement, type CardRow } from "./cards";
import { liftBlockStatements } from "./unblock-card";


export async function updateCard(args: { ctx: ActorContext; cardId: string; input: UpdateCardInput }): Promise<UpdateCardResult> {
  const { ctx } = args;
  const input = UpdateCardInput.parse(args.input);
  const orgId = ownOrg(ctx);
  const card = await ownCard(ctx, orgId, args.cardId);
  const expiry = parseExpiry(input.expiry)!;
  const gw = await cardGateway(ctx);
  const pm = await gw.gateway.sdk.paymentMethods
    .update(card.gatewayPaymentMethodId, { billing_details: { name: input.cardholderName }, card: { exp_month: expiry.expMonth, exp_year: expiry.expYear } })
    .catch((err: unknown) => {
      // Stripe checks the expiry (invalid_expiry_month / invalid_expiry_year): the person fixes the field.
      if (isStripeError(err, "StripeCardError") || (isStripeError(err, "StripeInvalidRequestError") && String(err.param ?? "").startsWith("card["))) {
        throw new DomainError("VALIDATION_FAILED", "The card was not updated.", { expiry: err.message });
      }
      if (isStripeError(err, "StripeInvalidRequestError")) throw new DomainError("CARD_REFUSED", `The card could not be updated: ${err.message}`);
      throw new DomainError("PAYMENTS_UNAVAILABLE", stripeErrorInWords(err));
    });
  const c = cardSummary(pm);
  const validation = card.status === "blocked" ? await validateAgain(ctx, gw, card) : null;
  const now = ctx.clock.now();
  const name = pm.billing_details?.name ?? input.cardholderName;
  await atomically(ctx.db, [
    rawStatement(
      `UPDATE payment_methods SET cardholder_name = ?, brand = ?, last4 = ?, exp_month = ?, exp_year = ?, updated_at = ?
       WHERE id = ? AND org_id = ? AND status <> 'removed' AND (cardholder_name IS NOT ? OR brand <> ? OR last4 <> ? OR exp_month <> ? OR exp_year <> ?)`,
      [name, c.brand, c.last4, c.expMonth, c.expYear, now, card.id, orgId, name, c.brand, c.last4, c.expMonth, c.expYear],
    ),
    auditIfChanged(ctx, {
      action: "payments.card.updated", orgId, targetType: "card", targetId: card.id,
      before: { card: cardLabel(card), expMonth: card.expMonth, expYear: card.expYear, cardholderNameChanged: card.cardholderName !== name },
      after: { card: cardLabel(c), expMonth: c.expMonth, expYear: c.expYear },
    }),
    ...(validation === "succeeded" ? unblockStatements(ctx, card) : []),
    // An expired default-less organization gets this card as its default once it is valid again.
    promoteDefaultStatement(orgId, now),
  ]);
  const fresh = await ownCard(ctx, orgId, card.id);
  const stillBlocked = fresh.status === "blocked" ? (validation === "succeeded" ? null : (validation ?? "The card's bank did not validate it again.")) : null;
  return { card: cardDto(fresh, now), stillBlocked };
}

function unblockStatements(ctx: ActorContext, card: CardRow): RawStatement[] {
  const [lift, rows] = liftBlockStatements(ctx.clock.now(), card.fingerprint, { resetCount: false });
  return [
    lift,
    auditIfChanged(ctx, { action: "payments.card.unblocked", orgId: card.orgId, targetType: "card", targetId: card.id, after: { status: "active", reason: "The card was updated and validated again by the gateway." } }),
    rows,
  ];
}

/**
 * A fresh off-session validation of the updated card (a SetupIntent, like Add a Card's). "succeeded", or why
 * not in words. The idempotency key includes the card row's last change, so a retried request replays Stripe's
 * answer while a later update validates again.
 */
async function validateAgain(ctx: ActorContext, gw: CardGateway, card: CardRow): Promise<string> {
  try {
    const si = await gw.gateway.sdk.setupIntents.create(
      { customer: card.gatewayCustomerId, payment_method: card.gatewayPaymentMethodId, confirm: true, usage: "off_session", return_url: `${ctx.config.PUBLIC_ORIGIN}/billing/payment-info`, metadata: { org_id: card.orgId, purpose: "card_update" } },
      { idempotencyKey: `seti:update:${card.id}:${card.updatedAt}` },
    );
    if (si.status === "succeeded") return "succeeded";
    if (si.status === "requires_action") return "The card's bank asks to confirm it with 3-D Secure: use Replace to add it again and confirm it with your bank.";
    return si.last_setup_error?.message ?? "The card's bank did not validate it again.";
  } catch (err) {
    if (isStripeError(err, "StripeCardError")) return `The card's bank declined it: ${err.message}`;
    throw err;
  }
}
