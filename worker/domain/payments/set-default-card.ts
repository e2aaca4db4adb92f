/** Payment Info » "Set as Default": the card automatic charges use. One batch: clear the old default, set the new. */
import { and, eq, ne } from "drizzle-orm";
import type { Card } from "../../contract/payments";
import { atomically } from "../../db/atomic";
import { paymentMethods } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { cardDto, cardStatus, ownCard, ownOrg } from "./cards";

export async function setDefaultCard(args: { ctx: ActorContext; cardId: string }): Promise<Card> {
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const card = await ownCard(ctx, orgId, args.cardId);
  const now = ctx.clock.now();
  if (cardStatus(card, now) !== "active") throw new DomainError("CONFLICT", "Only an active card can be the default: this one is expired or blocked.");
  if (card.isDefault) return cardDto(card, now);
  await atomically(ctx.db, [
    ctx.db.update(paymentMethods).set({ isDefault: false, updatedAt: now }).where(and(eq(paymentMethods.orgId, orgId), eq(paymentMethods.isDefault, true), ne(paymentMethods.id, card.id))),
    ctx.db.update(paymentMethods).set({ isDefault: true, updatedAt: now }).where(and(eq(paymentMethods.id, card.id), eq(paymentMethods.orgId, orgId))),
    auditStatement(ctx, { action: "payments.card.default", orgId, targetType: "card", targetId: card.id, after: { brand: card.brand, last4: card.last4 } }),
  ]);
  return cardDto({ ...card, isDefault: true }, now);
}
