/**
 * Payment Info » remove a card (after confirmation). Refused with LAST_CARD when it is the organization's last
 * valid card while a Resource Subscription is ongoing. Detached at the gateway first (a card we forget must not
 * stay chargeable there), then marked removed; another default is chosen among the valid cards.
 */
import { and, eq } from "drizzle-orm";
import { atomically, rawStatement } from "../../db/atomic";
import { paymentMethods } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { cardGateway } from "./card-gateway";
import { ongoingSubscriptions } from "./card-settings";
import { cardStatus, listCardRows, ownCard, ownOrg } from "./cards";

export async function removeCard(args: { ctx: ActorContext; cardId: string }): Promise<void> {
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const card = await ownCard(ctx, orgId, args.cardId);
  const now = ctx.clock.now();
  const otherValid = (await listCardRows(ctx, orgId)).filter((r) => r.id !== card.id && cardStatus(r, now) === "active");
  if (cardStatus(card, now) === "active" && otherValid.length === 0 && (await ongoingSubscriptions(ctx, orgId)).total > 0) {
    throw new DomainError("LAST_CARD", "This is your only valid card and you have ongoing subscriptions, so it cannot be removed. Add another card first, then remove this one.");
  }
  const gw = await cardGateway(ctx);
  await gw.gateway.sdk.paymentMethods.detach(card.gatewayPaymentMethodId).catch((err: unknown) => {
    // Already detached (e.g. from the Stripe Dashboard): nothing left to undo at the gateway.
    if ((err as { code?: string }).code !== "resource_missing" && !/not attached/i.test(String((err as Error).message))) throw err;
  });
  const next = card.isDefault ? otherValid[0] : undefined;
  await atomically(ctx.db, [
    ctx.db.update(paymentMethods).set({ status: "removed", isDefault: false, updatedAt: now }).where(and(eq(paymentMethods.id, card.id), eq(paymentMethods.orgId, orgId))),
    ...(next ? [rawStatement("UPDATE payment_methods SET is_default = 1, updated_at = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM payment_methods WHERE org_id = ? AND is_default = 1)", [now, next.id, orgId])] : []),
    auditStatement(ctx, { action: "payments.card.removed", orgId, targetType: "card", targetId: card.id, before: { brand: card.brand, last4: card.last4 } }),
  ]);
}
